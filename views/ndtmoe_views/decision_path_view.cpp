#include "ndtmoe_views/decision_path_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

enum Column { kWhat, kSelects, kValue, kThreshold, kDecision, kBranch, kUnits, kColumns };

QString number(double v, int decimals = 3) { return std::isnan(v) ? QString("–") : QString::number(v, 'f', decimals); }

}  // namespace

DecisionPathView::DecisionPathView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), header_(new QLabel(this)), tree_(new QTreeWidget(this)) {
  header_->setWordWrap(true);
  header_->setTextFormat(Qt::RichText);
  tree_->setColumnCount(kColumns);
  tree_->setHeaderLabels({tr("Layer / tree / level"), tr("Selects"), tr("Value"), tr("Threshold"), tr("p(right)"), tr("Branch"),
                          tr("In feature units")});
  tree_->setAlternatingRowColors(true);
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(header_);
  layout->addWidget(tree_);
  header_->setText(tr("Select a sample in the samples table to see its path."));
  connect(&selection_, &SelectionModel::changed, this, &DecisionPathView::show_selection);
}

void DecisionPathView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  path_.reset();
  tree_->clear();
  show_selection(selection_.current());
}

void DecisionPathView::show_selection(const Selection& selection) {
  if (!data_ || !selection.sample) return;
  if (path_ && path_->sample.sample == *selection.sample) return;
  show_path(decision_path(data_->description(), data_->sample(*selection.sample)));
}

void DecisionPathView::show_path(const DecisionPath& path) {
  path_ = path;
  const SampleTrace& s = path.sample;
  QString head = tr("<b>Sample %1</b> (%2)").arg(s.sample).arg(QString::fromStdString(s.split));
  head += tr(" — label <b>%1</b>, student <b>%2</b>").arg(s.label ? data_->class_name(*s.label) : data_->value_text(s.target), data_->value_text(s.prediction));
  if (!std::isnan(s.confidence)) head += QString(" (%1)").arg(number(s.confidence));
  if (s.has_teacher) head += tr(", teacher <b>%1</b>").arg(data_->value_text(s.teacher_prediction));
  header_->setText(head);
  tree_->clear();
  for (const PathLayer& layer : path.layers) {
    QStringList experts;
    for (size_t k = 0; k < layer.experts.size(); ++k) experts << tr("E%1 (%2)").arg(layer.experts[k]).arg(number(layer.weights[k], 2));
    auto* layer_item = new QTreeWidgetItem(tree_, {tr("Layer %1").arg(layer.layer), tr("experts: %1").arg(experts.join(", "))});
    layer_item->setForeground(1, expert_color(layer.experts.empty() ? 0 : layer.experts.front()));
    for (const PathLevel& lv : layer.levels) {
      QStringList selects;
      for (size_t k = 0; k < std::min<size_t>(3, lv.selected.size()); ++k)
        selects << number(lv.selected[k].weight, 2) + " " + QString::fromStdString(lv.selected[k].name);
      if (lv.selected.size() > 3) selects << tr("%n more", nullptr, static_cast<int>(lv.selected.size() - 3));
      const QString units = lv.feature ? QString("%1 = %2 %3 %4")
                                             .arg(QString::fromStdString(*lv.feature), number(lv.feature_value, 4), lv.right ? ">" : "≤",
                                                  number(lv.feature_threshold, 4))
                                       : QString();
      auto* item = new QTreeWidgetItem(layer_item, {tr("tree %1, level %2").arg(lv.tree).arg(lv.level), selects.join(" + "), number(lv.value),
                                                    number(lv.threshold), number(lv.decision), lv.right ? tr("right") : tr("left"), units});
      item->setToolTip(kDecision, tr("temperature %1").arg(number(lv.temperature)));
    }
    for (size_t t = 0; t < layer.leaf_probs.size(); ++t) {
      std::vector<size_t> order(layer.leaf_probs[t].size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return layer.leaf_probs[t][a] > layer.leaf_probs[t][b]; });
      QStringList leaves;
      for (size_t k = 0; k < std::min<size_t>(4, order.size()); ++k)
        leaves << tr("%1 (%2)").arg(order[k]).arg(number(layer.leaf_probs[t][order[k]]));
      new QTreeWidgetItem(layer_item, {tr("tree %1 leaves").arg(t), leaves.join(", ")});
    }
    layer_item->setExpanded(true);
  }
}

QString DecisionPathView::figure_name() const { return path_ ? QString("decision-path-sample%1").arg(path_->sample.sample) : "decision-path"; }
QSize DecisionPathView::figure_size() const { return QSize(std::max(800, width()), std::max(400, height())); }

void DecisionPathView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  const QSize old = size();
  resize(target.size());
  painter.translate(target.topLeft());
  render(&painter);
  resize(old);
}

void DecisionPathView::write_figure_data(QTextStream& csv) const {
  csv << "sample,layer,tree,level,selected,value,threshold,temperature,p_right,branch,feature,feature_value,feature_threshold\n";
  if (!path_) return;
  for (const PathLayer& layer : path_->layers)
    for (const PathLevel& lv : layer.levels) {
      QStringList selects;
      for (const SelectedInput& in : lv.selected) selects << QString::fromStdString(in.name) + ":" + QString::number(in.weight);
      csv << path_->sample.sample << ',' << layer.layer << ',' << lv.tree << ',' << lv.level << ',' << csv_field(selects.join(' ')) << ','
          << lv.value << ',' << lv.threshold << ',' << lv.temperature << ',' << lv.decision << ',' << (lv.right ? "right" : "left") << ','
          << csv_field(lv.feature ? QString::fromStdString(*lv.feature) : QString()) << ',' << (lv.feature ? QString::number(lv.feature_value) : QString())
          << ',' << (lv.feature ? QString::number(lv.feature_threshold) : QString()) << '\n';
    }
}

}  // namespace ndtmoe::views
