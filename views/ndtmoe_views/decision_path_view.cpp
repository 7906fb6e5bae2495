#include "ndtmoe_views/decision_path_view.h"

#include <QHeaderView>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QUndoStack>
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

// One what-if edit of a feature value, undoable.
class FeatureEdit : public QUndoCommand {
 public:
  FeatureEdit(DecisionPathView& view, int64_t feature, double before, double after, const QString& name)
      : QUndoCommand(QObject::tr("Set %1 to %2").arg(name).arg(after)), view_(view), feature_(feature), before_(before), after_(after) {}
  void redo() override { view_.apply_feature(feature_, after_); }
  void undo() override { view_.apply_feature(feature_, before_); }

 private:
  DecisionPathView& view_;
  int64_t feature_;
  double before_, after_;
};

DecisionPathView::DecisionPathView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), header_(new QLabel(this)), tree_(new QTreeWidget(this)), features_(new QTableWidget(this)),
      undo_(new QUndoStack(this)) {
  header_->setWordWrap(true);
  header_->setTextFormat(Qt::RichText);
  tree_->setColumnCount(kColumns);
  tree_->setHeaderLabels({tr("Layer / tree / level"), tr("Selects"), tr("Value"), tr("Threshold"), tr("p(right)"), tr("Branch"),
                          tr("In feature units")});
  tree_->setAlternatingRowColors(true);
  tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  features_->setColumnCount(2);
  features_->setHorizontalHeaderLabels({tr("Feature"), tr("Value (edit: what-if)")});
  features_->verticalHeader()->hide();
  features_->horizontalHeader()->setStretchLastSection(true);
  features_->setToolTip(tr("Edit a numeric feature to see how the path, routing and prediction change (Ctrl+Z undoes)"));
  auto* reset = new QPushButton(tr("Reset what-if"), this);
  connect(reset, &QPushButton::clicked, this, [this] {
    undo_->clear();
    edited_ = original_;
    fill_features();
    if (data_ && selection_.current().sample) show_path(decision_path(data_->description(), data_->sample(*selection_.current().sample)));
  });
  connect(features_, &QTableWidget::cellChanged, this, [this](int row, int column) {
    if (column != 1) return;
    bool ok = false;
    const double value = features_->item(row, column)->text().toDouble(&ok);
    const int64_t feature = features_->item(row, 0)->data(Qt::UserRole).toLongLong();
    const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
    const double current = to_original_units(f, edited_.at(static_cast<size_t>(column_of(feature))));
    if (!ok || !std::isfinite(value)) {
      const QSignalBlocker block(features_);
      features_->item(row, column)->setText(QString::number(current, 'g', 6));
      header_->setText(tr("<span style='color:#c62828'>Not a number: enter a value such as 3.5</span>"));
      return;
    }
    if (value != current) undo_->push(new FeatureEdit(*this, feature, current, value, QString::fromStdString(f.name)));
  });
  auto* what_if = new QWidget(this);
  auto* what_if_layout = new QVBoxLayout(what_if);
  what_if_layout->setContentsMargins(0, 0, 0, 0);
  what_if_layout->addWidget(features_);
  what_if_layout->addWidget(reset);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tree_);
  split->addWidget(what_if);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(header_);
  layout->addWidget(split);
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
  const SampleTrace trace = data_->sample(*selection.sample);
  original_ = edited_ = trace.inputs;
  undo_->clear();
  show_path(decision_path(data_->description(), trace));
  fill_features();
}

int64_t DecisionPathView::column_of(int64_t feature) const {
  int64_t column = 0;
  for (int64_t f = 0; f < feature; ++f) {
    const FeatureInfo& info = data_->description().features[static_cast<size_t>(f)];
    column += info.nominal ? static_cast<int64_t>(info.categories.size()) : 1;
  }
  return column;
}

void DecisionPathView::fill_features() {
  const QSignalBlocker block(features_);
  const auto& features = data_->description().features;
  features_->setRowCount(static_cast<int>(features.size()));
  for (size_t f = 0; f < features.size(); ++f) {
    const FeatureInfo& info = features[f];
    auto* name = new QTableWidgetItem(QString::fromStdString(info.name));
    name->setFlags(Qt::ItemIsEnabled);
    name->setData(Qt::UserRole, static_cast<qlonglong>(f));
    features_->setItem(static_cast<int>(f), 0, name);
    QString text;
    const int64_t column = column_of(static_cast<int64_t>(f));
    if (info.nominal) {
      for (size_t k = 0; k < info.categories.size(); ++k)
        if (edited_.at(static_cast<size_t>(column) + k) > 0.5f) text = QString::fromStdString(info.categories[k]);
    } else {
      text = QString::number(to_original_units(info, edited_.at(static_cast<size_t>(column))), 'g', 6);
    }
    auto* value = new QTableWidgetItem(text);
    if (info.nominal) value->setFlags(Qt::ItemIsEnabled);  // categories are not edited here
    const bool changed = !info.nominal && edited_[static_cast<size_t>(column)] != original_[static_cast<size_t>(column)];
    if (changed) value->setBackground(QColor(0xfff3cd));
    features_->setItem(static_cast<int>(f), 1, value);
  }
}

void DecisionPathView::apply_feature(int64_t feature, double value) {
  const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
  edited_.at(static_cast<size_t>(column_of(feature))) = static_cast<float>((value - f.mean) / f.scale);
  fill_features();
  Q_EMIT inputs_edited(edited_);
}

bool DecisionPathView::edit_feature(int64_t feature, double value) {
  if (!data_ || edited_.empty() || feature < 0 || feature >= static_cast<int64_t>(data_->description().features.size())) return false;
  const FeatureInfo& f = data_->description().features[static_cast<size_t>(feature)];
  if (f.nominal) return false;
  undo_->push(new FeatureEdit(*this, feature, to_original_units(f, edited_[static_cast<size_t>(column_of(feature))]), value, QString::fromStdString(f.name)));
  return true;
}

void DecisionPathView::show_path(const DecisionPath& path) {
  path_ = path;
  const SampleTrace& s = path.sample;
  QString head = tr("<b>Sample %1</b> (%2)").arg(s.sample).arg(QString::fromStdString(s.split));
  if (what_if_active()) head = tr("<b>What-if</b> on ") + head;
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
