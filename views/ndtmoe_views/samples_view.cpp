#include "ndtmoe_views/samples_view.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

enum Column { kSample, kSplit, kTruth, kPrediction, kConfidence, kTeacher, kColumns };

}  // namespace

void SampleTableModel::set_rows(std::shared_ptr<RunData> data, std::vector<SampleRow> rows) {
  beginResetModel();
  data_ = std::move(data);
  rows_ = std::move(rows);
  endResetModel();
}

int SampleTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }
int SampleTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumns; }

int SampleTableModel::row_of(int64_t sample) const {
  const auto it = std::lower_bound(rows_.begin(), rows_.end(), sample, [](const SampleRow& r, int64_t s) { return r.sample < s; });
  return it != rows_.end() && it->sample == sample ? static_cast<int>(it - rows_.begin()) : -1;
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !data_) return {};
  const SampleRow& r = rows_.at(static_cast<size_t>(index.row()));
  const bool wrong = data_->classification() && r.prediction != r.truth;
  if (role == Qt::ForegroundRole && index.column() == kPrediction && wrong) return QColor(0xc62828);
  if (role == Qt::DecorationRole && index.column() == kTruth && data_->classification()) return class_color(static_cast<int64_t>(r.truth));
  if (role == Qt::TextAlignmentRole && (index.column() == kSample || index.column() == kConfidence))
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kSample: return QVariant::fromValue(r.sample);
    case kSplit: return QString::fromStdString(r.split);
    case kTruth: return data_->value_text(r.truth);
    case kPrediction: return data_->value_text(r.prediction);
    case kConfidence: return std::isnan(r.confidence) ? QString("–") : QString::number(r.confidence, 'f', 3);
    case kTeacher: return std::isnan(r.teacher_prediction) ? QString("–") : data_->value_text(r.teacher_prediction);
  }
  return {};
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case kSample: return tr("Sample");
    case kSplit: return tr("Split");
    case kTruth: return tr("Label");
    case kPrediction: return tr("Student");
    case kConfidence: return tr("Confidence");
    case kTeacher: return tr("Teacher");
  }
  return {};
}

SamplesView::SamplesView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), model_(this), table_(new QTableView(this)),
      misclassified_(new QCheckBox(tr("Misclassified"), this)), disagreement_(new QCheckBox(tr("Disagrees with teacher"), this)),
      low_confidence_(new QCheckBox(tr("Confidence ≤"), this)), confidence_(new QDoubleSpinBox(this)), scope_(new QLabel(this)) {
  confidence_->setRange(0.0, 1.0);
  confidence_->setSingleStep(0.05);
  confidence_->setValue(0.6);
  auto* clear = new QPushButton(tr("All samples"), this);
  clear->setToolTip(tr("Forget the node, expert or class that narrows the list"));
  auto* filters = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{misclassified_, disagreement_, low_confidence_, confidence_}) filters->addWidget(w);
  filters->addStretch();
  filters->addWidget(scope_);
  filters->addWidget(clear);
  table_->setModel(&model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  layout->addWidget(table_);
  for (QCheckBox* box : {misclassified_, disagreement_, low_confidence_}) connect(box, &QCheckBox::toggled, this, &SamplesView::refresh);
  connect(confidence_, &QDoubleSpinBox::valueChanged, this, [this] { if (low_confidence_->isChecked()) refresh(); });
  connect(clear, &QPushButton::clicked, &selection_, &SelectionModel::clear_group);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
    if (current.isValid()) selection_.select_sample(model_.row(current.row()).sample);
  });
  connect(&selection_, &SelectionModel::changed, this, &SamplesView::show_selection);
}

void SamplesView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  disagreement_->setEnabled(data_ && data_->classification());
  misclassified_->setEnabled(data_ && data_->classification());
  shown_ = selection_.current();
  refresh();
}

void SamplesView::refresh() {
  if (!data_) return;
  SampleFilter filter = data_->filter_for(shown_);
  filter.misclassified = misclassified_->isChecked();
  filter.disagreement = disagreement_->isChecked();
  if (low_confidence_->isChecked()) filter.max_confidence = confidence_->value();
  const int64_t generation = ++requested_;
  const int64_t run = data_->run();
  std::shared_ptr<RunData> data = data_;
  scope_->setText(tr("listing samples…"));
  data_->worker().request<std::vector<SampleRow>>(
      this, "samples", [run, filter](TraceStore& store) { return store.sample_rows(run, filter); },
      [this, data, generation](std::vector<SampleRow> rows) {
        if (generation != requested_ || data != data_) return;  // a newer request is on its way
        delivered_ = generation;
        show_rows(std::move(rows));
      },
      [this, generation](const QString& message) {
        if (generation != requested_) return;
        delivered_ = generation;
        model_.set_rows(data_, {});
        scope_->setText(tr("Could not list the samples: %1").arg(message));
      });
}

void SamplesView::show_rows(std::vector<SampleRow> rows) {
  model_.set_rows(data_, std::move(rows));
  QString scope = tr("all samples");
  if (shown_.tree_node())
    scope = tr("layer %1, tree %2, level %3, node %4").arg(shown_.layer).arg(shown_.tree).arg(*shown_.tree_level()).arg(*shown_.tree_node());
  if (shown_.expert) scope = tr("layer %1, expert %2").arg(shown_.layer).arg(*shown_.expert);
  if (shown_.label) scope += tr(", class %1").arg(data_->class_name(*shown_.label));
  if (shown_.group) scope = tr("%n hand-picked sample(s)", nullptr, static_cast<int>(shown_.group->size()));
  scope_->setText(tr("%n sample(s) · %1", nullptr, model_.rowCount()).arg(scope));
  select_current_sample();
}

void SamplesView::select_current_sample() {
  if (!shown_.sample) return;
  const int row = model_.row_of(*shown_.sample);
  if (row >= 0 && table_->currentIndex().row() != row) table_->selectRow(row);
}

void SamplesView::show_selection(const Selection& selection) {
  const bool group_changed = selection.item != shown_.item || selection.expert != shown_.expert ||
                             selection.label != shown_.label || selection.layer != shown_.layer || selection.tree != shown_.tree ||
                             selection.group != shown_.group;
  shown_ = selection;
  if (group_changed) refresh();
  else if (!loading()) select_current_sample();
}

QString SamplesView::figure_name() const { return "samples"; }
QSize SamplesView::figure_size() const { return QSize(std::max(600, table_->width()), std::max(300, table_->height())); }

void SamplesView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  const QSize old = table_->size();
  table_->resize(target.size());
  painter.translate(target.topLeft());
  table_->render(&painter);
  table_->resize(old);
}

void SamplesView::write_figure_data(QTextStream& csv) const {
  csv << "sample,split,label,student,confidence,teacher\n";
  for (int r = 0; r < model_.rowCount(); ++r) {
    QStringList cells;
    for (int c = 0; c < kColumns; ++c) cells << csv_field(model_.data(model_.index(r, c), Qt::DisplayRole).toString());
    csv << cells.join(',') << '\n';
  }
}

}  // namespace ndtmoe::views
