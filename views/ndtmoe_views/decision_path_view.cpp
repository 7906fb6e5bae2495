#include "ndtmoe_views/decision_path_view.h"

#include <QComboBox>
#include <QHeaderView>
#include <QStyledItemDelegate>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QUndoStack>
#include <QLabel>
#include <QPainter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <functional>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

// The Figure tab: the print figure of the path, scaled to the tab's width.
class PathFigureWidget : public QWidget {
 public:
  explicit PathFigureWidget(DecisionPathView* view) : QWidget(view), view_(view) { setBackgroundRole(QPalette::Base); }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    view_->paint_path(painter, QRectF(rect()));
  }

 private:
  DecisionPathView* view_;
};

}  // namespace

namespace {

enum Column { kWhat, kSelects, kValue, kThreshold, kDecision, kBranch, kUnits, kColumns };

QString number(double v, int decimals = 3) { return std::isnan(v) ? QString("–") : QString::number(v, 'f', decimals); }

// Nominal features are edited by choosing one of their categories, numeric ones as text.
class FeatureValueDelegate : public QStyledItemDelegate {
 public:
  FeatureValueDelegate(std::function<QStringList(int row)> categories, QObject* parent)
      : QStyledItemDelegate(parent), categories_(std::move(categories)) {}
  QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    const QStringList categories = categories_(index.row());
    if (categories.isEmpty()) return QStyledItemDelegate::createEditor(parent, option, index);
    auto* combo = new QComboBox(parent);
    combo->addItems(categories);
    return combo;
  }
  void setEditorData(QWidget* editor, const QModelIndex& index) const override {
    if (auto* combo = qobject_cast<QComboBox*>(editor)) combo->setCurrentText(index.data().toString());
    else QStyledItemDelegate::setEditorData(editor, index);
  }
  void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override {
    if (auto* combo = qobject_cast<QComboBox*>(editor)) model->setData(index, combo->currentText());
    else QStyledItemDelegate::setModelData(editor, model, index);
  }

 private:
  std::function<QStringList(int row)> categories_;
};

}  // namespace

// One what-if edit of a feature value (original units, or a category index), undoable.
class FeatureEdit : public QUndoCommand {
 public:
  FeatureEdit(DecisionPathView& view, int64_t feature, double before, double after, const QString& name, const QString& after_text)
      : QUndoCommand(QObject::tr("Set %1 to %2").arg(name, after_text)), view_(view), feature_(feature), before_(before), after_(after) {}
  void redo() override { view_.apply_feature(feature_, after_); }
  void undo() override { view_.apply_feature(feature_, before_); }

 private:
  DecisionPathView& view_;
  int64_t feature_;
  double before_, after_;
};

DecisionPathView::DecisionPathView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), header_(new QLabel(this)), tree_(new QTreeWidget(this)), features_(new QTableWidget(this)),
      undo_(new QUndoStack(this)), figure_tab_(new PathFigureWidget(this)) {
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
  features_->setToolTip(tr("Edit a feature (a number, or a category from the list) to see how the path, routing and prediction change (Ctrl+Z undoes)"));
  auto* reset = new QPushButton(tr("Reset what-if"), this);
  connect(reset, &QPushButton::clicked, this, [this] {
    undo_->clear();
    edited_ = original_;
    fill_features();
    if (data_ && selection_.current().sample) show_path(decision_path(data_->description(), data_->sample(*selection_.current().sample, selection_.current().token)));
    Q_EMIT what_if_reset();
  });
  features_->setItemDelegateForColumn(1, new FeatureValueDelegate(
                                             [this](int row) {
                                               QStringList names;
                                               if (!data_) return names;
                                               for (const std::string& c : data_->description().features.at(static_cast<size_t>(row)).categories)
                                                 names << QString::fromStdString(c);
                                               return names;
                                             },
                                             this));
  connect(features_, &QTableWidget::cellChanged, this, [this](int row, int column) {
    if (column != 1) return;
    const int64_t feature = features_->item(row, 0)->data(Qt::UserRole).toLongLong();
    const QString text = features_->item(row, column)->text();
    const std::optional<double> value = parse_value(feature, text);
    if (!value) {
      const QSignalBlocker block(features_);
      features_->item(row, column)->setText(value_text(feature, current_value(feature)));
      header_->setText(data_->description().features.at(static_cast<size_t>(feature)).nominal
                           ? tr("<span style='color:#c62828'>Not a category of this feature: choose one from the list</span>")
                           : tr("<span style='color:#c62828'>Not a number: enter a value such as 3.5</span>"));
      return;
    }
    edit_feature(feature, *value);
  });
  auto* what_if = new QWidget(this);
  auto* what_if_layout = new QVBoxLayout(what_if);
  what_if_layout->setContentsMargins(0, 0, 0, 0);
  what_if_layout->addWidget(features_);
  what_if_layout->addWidget(reset);
  auto* tabs = new QTabWidget(this);
  tabs->addTab(tree_, tr("Table"));
  tabs->addTab(figure_tab_, tr("Figure"));
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tabs);
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
  figure_.clear();
  tree_->clear();
  show_selection(selection_.current());
}

void DecisionPathView::show_selection(const Selection& selection) {
  if (!data_ || !selection.sample) return;
  if (path_ && path_->sample.sample == *selection.sample && shown_token_ == selection.token) return;
  shown_token_ = selection.token;
  const SampleTrace trace = data_->sample(*selection.sample, selection.token);
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
  if (data_->text_length() > 0 && features.size() == 1) {
    // Text: its one feature shown as the text the byte columns hold (byte + 1; 0 past the end). The
    // what-if editor edits numbers and categories, not text.
    std::string text;
    for (int64_t b = 0; b < data_->text_length() && b < static_cast<int64_t>(edited_.size()); ++b)
      if (const auto code = static_cast<int>(std::lround(edited_[static_cast<size_t>(b)])); code > 0) text += static_cast<char>(code - 1);
    features_->setRowCount(1);
    auto* name = new QTableWidgetItem(QString::fromStdString(features.front().name));
    name->setFlags(Qt::ItemIsEnabled);
    name->setData(Qt::UserRole, qlonglong{0});
    features_->setItem(0, 0, name);
    auto* value = new QTableWidgetItem(QString::fromUtf8(text.data(), static_cast<int>(text.size())));
    value->setFlags(Qt::ItemIsEnabled);
    value->setToolTip(tr("Text is read one byte per token; the what-if editor does not edit text"));
    features_->setItem(0, 1, value);
    return;
  }
  features_->setRowCount(static_cast<int>(features.size()));
  for (size_t f = 0; f < features.size(); ++f) {
    const FeatureInfo& info = features[f];
    auto* name = new QTableWidgetItem(QString::fromStdString(info.name));
    name->setFlags(Qt::ItemIsEnabled);
    name->setData(Qt::UserRole, static_cast<qlonglong>(f));
    features_->setItem(static_cast<int>(f), 0, name);
    const int64_t column = column_of(static_cast<int64_t>(f));
    const int64_t width = info.nominal ? static_cast<int64_t>(info.categories.size()) : 1;
    auto* value = new QTableWidgetItem(value_text(static_cast<int64_t>(f), current_value(static_cast<int64_t>(f))));
    const bool changed = !std::equal(edited_.begin() + column, edited_.begin() + column + width, original_.begin() + column);
    if (changed) value->setBackground(QColor(0xfff3cd));
    features_->setItem(static_cast<int>(f), 1, value);
  }
}

double DecisionPathView::current_value(int64_t feature) const {
  const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
  const auto column = static_cast<size_t>(column_of(feature));
  if (!f.nominal) return to_original_units(f, edited_.at(column));
  for (size_t k = 0; k < f.categories.size(); ++k)
    if (edited_.at(column + k) > 0.5f) return static_cast<double>(k);
  return -1;  // no category (cannot come from the encoder, which fills missing values)
}

QString DecisionPathView::value_text(int64_t feature, double value) const {
  const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
  if (!f.nominal) return QString::number(value, 'g', 6);
  return value >= 0 ? QString::fromStdString(f.categories.at(static_cast<size_t>(value))) : QString("–");
}

std::optional<double> DecisionPathView::parse_value(int64_t feature, const QString& text) const {
  const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
  if (f.nominal) {
    const auto it = std::find(f.categories.begin(), f.categories.end(), text.trimmed().toStdString());
    if (it == f.categories.end()) return std::nullopt;
    return static_cast<double>(it - f.categories.begin());
  }
  bool ok = false;
  const double value = text.toDouble(&ok);
  if (!ok || !std::isfinite(value)) return std::nullopt;
  return value;
}

void DecisionPathView::apply_feature(int64_t feature, double value) {
  const FeatureInfo& f = data_->description().features.at(static_cast<size_t>(feature));
  const auto column = static_cast<size_t>(column_of(feature));
  if (f.nominal) {
    for (size_t k = 0; k < f.categories.size(); ++k) edited_.at(column + k) = static_cast<double>(k) == value ? 1.0f : 0.0f;
  } else {
    edited_.at(column) = static_cast<float>(to_model_units(f, value));
  }
  fill_features();
  Q_EMIT inputs_edited(edited_);
}

bool DecisionPathView::edit_feature(int64_t feature, double value) {
  if (!data_ || edited_.empty() || feature < 0 || feature >= static_cast<int64_t>(data_->description().features.size()) ||
      data_->text_length() > 0)
    return false;
  const FeatureInfo& f = data_->description().features[static_cast<size_t>(feature)];
  const bool valid = f.nominal ? value >= 0 && value < static_cast<double>(f.categories.size()) && value == std::floor(value) : std::isfinite(value);
  const double current = current_value(feature);
  if (!valid) return false;
  if (value == current) return true;
  undo_->push(new FeatureEdit(*this, feature, current, value, QString::fromStdString(f.name), value_text(feature, value)));
  return true;
}

void DecisionPathView::show_path(const DecisionPath& path) {
  path_ = path;
  figure_tab_->update();
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
QSize DecisionPathView::figure_size() const { return path_ ? figure_.size(*path_) : QSize(800, 400); }

void DecisionPathView::paint_path(QPainter& painter, const QRectF& target) {
  if (!data_ || !path_) return;
  try {
    figure_.paint(painter, target, *data_, *path_);
  } catch (const std::exception& e) {  // a damaged store: the reason in place of the figure
    painter.fillRect(target, Qt::white);
    painter.setPen(Qt::black);
    painter.drawText(target.adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::TextWordWrap, tr("The figure could not be drawn: %1").arg(QString::fromStdString(e.what())));
  }
}

void DecisionPathView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  paint_path(painter, QRectF(target));
}

void DecisionPathView::write_figure_data(QTextStream& csv) const {
  csv << "sample,layer,tree,level,selected,value,threshold,temperature,p_right,branch,feature,feature_value,feature_threshold,"
         "node_samples,histogram_edges,histogram_counts\n";
  if (!path_ || !data_) return;
  for (size_t l = 0; l < path_->layers.size(); ++l) {
    const PathLayer& layer = path_->layers[l];
    for (const PathLevel& lv : layer.levels) {
      QStringList selects, edges, counts;
      for (const SelectedInput& in : lv.selected) selects << QString::fromStdString(in.name) + ":" + QString::number(in.weight);
      const NodeHistogram& h = figure_.histogram(*data_, *path_, l, lv);
      for (double e : h.edges) edges << QString::number(e, 'g', 6);
      for (int64_t c : h.counts) counts << QString::number(c);
      csv << path_->sample.sample << ',' << layer.layer << ',' << lv.tree << ',' << lv.level << ',' << csv_field(selects.join(' ')) << ','
          << lv.value << ',' << lv.threshold << ',' << lv.temperature << ',' << lv.decision << ',' << (lv.right ? "right" : "left") << ','
          << csv_field(lv.feature ? QString::fromStdString(*lv.feature) : QString()) << ',' << (lv.feature ? QString::number(lv.feature_value) : QString())
          << ',' << (lv.feature ? QString::number(lv.feature_threshold) : QString()) << ',' << h.samples << ',' << edges.join(';') << ','
          << counts.join(';') << '\n';
    }
  }
}

}  // namespace ndtmoe::views
