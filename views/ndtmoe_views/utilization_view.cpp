#include "ndtmoe_views/utilization_view.h"

#include <QComboBox>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

UtilizationView::UtilizationView(SelectionModel& selection, QWidget* parent) : QWidget(parent), selection_(selection), plot_(new QCustomPlot(this)) {
  follow_palette(*plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setMouseTracking(true);
  connect(plot_, &QCustomPlot::mousePress, this, &UtilizationView::clicked);
  connect(plot_, &QCustomPlot::mouseMove, this, &UtilizationView::hovered);
  connect(&selection_, &SelectionModel::changed, this, &UtilizationView::show_selection);
}

void UtilizationView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  layer_ = -1;
  show_selection(selection_.current());
}

int UtilizationView::plottable_count() const { return plot_->plottableCount(); }

UtilizationView::Map UtilizationView::make_map(QCPAxisRect* rect, const QString& title, Map spec) {
  const auto columns = static_cast<int>(spec.columns.size()), rows = static_cast<int>(spec.rows.size());
  spec.map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  spec.map->data()->setSize(columns, rows);
  spec.map->data()->setRange(QCPRange(0, std::max(0, columns - 1)), QCPRange(0, std::max(0, rows - 1)));
  double top = 0;
  for (int c = 0; c < columns; ++c)
    for (int r = 0; r < rows; ++r) {
      spec.map->data()->setCell(c, r, spec.values[static_cast<size_t>(c)][static_cast<size_t>(r)]);
      top = std::max(top, spec.values[static_cast<size_t>(c)][static_cast<size_t>(r)]);
    }
  spec.map->setGradient(viridis());
  spec.map->setInterpolate(false);
  spec.map->setDataRange(QCPRange(0, std::max(1.0, top)));
  auto* scale = new QCPColorScale(plot_);
  scale->setType(QCPAxis::atRight);
  scale->setLabel(tr("samples"));
  spec.map->setColorScale(scale);
  scale->setDataRange(QCPRange(0, std::max(1.0, top)));
  scale->setGradient(viridis());
  auto* group = new QCPMarginGroup(plot_);
  rect->setMarginGroup(QCP::msBottom | QCP::msTop, group);
  scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
  if (stacked_) rect->setMarginGroup(QCP::msLeft | QCP::msRight, stacked_margins_);  // heatmaps aligned one above the other
  rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(spec.columns));
  rect->axis(QCPAxis::atLeft)->setTicker(text_ticker(spec.rows));
  rect->axis(QCPAxis::atBottom)->setLabel(spec.column_title);
  rect->axis(QCPAxis::atLeft)->setLabel(spec.row_title);
  rect->axis(QCPAxis::atBottom)->setRange(-0.5, columns - 0.5);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, rows - 0.5);
  rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // expert 0 on top
  rect->axis(QCPAxis::atBottom)->setTickLabelRotation(columns > 6 ? 45 : 0);
  // Side by side, or in a narrow figure one above the other.
  const int row = stacked_ ? plot_->plotLayout()->rowCount() : 0, column = stacked_ ? 0 : plot_->plotLayout()->columnCount();
  plot_->plotLayout()->addElement(row, column, new QCPTextElement(plot_, title, QFont(font().family(), 10, QFont::Bold)));
  plot_->plotLayout()->addElement(row + 1, column, rect);
  plot_->plotLayout()->addElement(row + 1, column + 1, scale);
  return spec;
}

void UtilizationView::rebuild() {
  plot_->clearItems();
  marks_.clear();
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  classes_ = layers_ = flow_ = Map{};
  stacked_margins_ = new QCPMarginGroup(plot_);
  if (!data_) return;
  const RunSummary& s = data_->summary();
  std::vector<QString> experts;
  for (int64_t e = 0; e < s.experts; ++e) experts.push_back(tr("E%1").arg(e));
  const auto N = static_cast<size_t>(s.experts);

  const bool per_layer = panels_ != Panels::ExpertByLayer, across_layers = panels_ != Panels::Layer;
  if (per_layer && data_->classification()) {
    Map spec{nullptr, tr("expert (top-1)"), tr("class"), experts, {}, {}};
    for (size_t c = 0; c < data_->description().classes.size(); ++c) spec.columns.push_back(data_->class_name(static_cast<int64_t>(c)));
    spec.values.assign(spec.columns.size(), std::vector<double>(N, 0.0));
    for (const CountCell& cell : data_->store().expert_classes(data_->run(), layer_))
      spec.values[static_cast<size_t>(cell.column)][static_cast<size_t>(cell.row)] = static_cast<double>(cell.samples);
    classes_ = make_map(new QCPAxisRect(plot_), tr("Layer %1: expert × class").arg(layer_), spec);
  }
  if (across_layers) {
    Map load{nullptr, tr("expert (top-1)"), tr("layer"), experts, {}, {}};
    for (int64_t l = 0; l < s.layers; ++l) load.columns.push_back(QString::number(l));
    load.values.assign(load.columns.size(), std::vector<double>(N, 0.0));
    for (const CountCell& cell : data_->store().expert_layers(data_->run()))
      load.values[static_cast<size_t>(cell.column)][static_cast<size_t>(cell.row)] = static_cast<double>(cell.samples);
    layers_ = make_map(new QCPAxisRect(plot_), tr("Expert × layer"), load);
  }

  if (per_layer && layer_ + 1 < s.layers) {
    Map flow{nullptr, tr("expert in layer %1").arg(layer_), tr("expert in layer %1").arg(layer_ + 1), experts, experts, {}};
    flow.values.assign(N, std::vector<double>(N, 0.0));
    for (const FlowCell& f : data_->store().flow(data_->run()))
      if (f.layer == layer_) flow.values[static_cast<size_t>(f.to_expert)][static_cast<size_t>(f.from_expert)] = static_cast<double>(f.samples);
    flow_ = make_map(new QCPAxisRect(plot_), tr("Flow: layer %1 → %2").arg(layer_).arg(layer_ + 1), flow);
  }
  plot_->replot();
}

void UtilizationView::show_selection(const Selection& selection) {
  if (!data_) return;
  if (selection.layer != layer_) {
    layer_ = std::min<int64_t>(selection.layer, data_->summary().layers - 1);
    rebuild();
  }
  mark_selected(selection);
}

// Outlines the selected expert (its row) or expert x class cell.
void UtilizationView::mark_selected(const Selection& selection) {
  for (QCPItemRect* mark : marks_) plot_->removeItem(mark);
  marks_.clear();
  if (selection.expert) {
    const auto outline = [&](const Map& m, double left, double right) {
      if (!m.map) return;
      auto* mark = new QCPItemRect(plot_);
      mark->setClipAxisRect(m.map->keyAxis()->axisRect());
      for (QCPItemPosition* p : {mark->topLeft, mark->bottomRight}) p->setAxes(m.map->keyAxis(), m.map->valueAxis());
      mark->topLeft->setCoords(left, static_cast<double>(*selection.expert) - 0.5);
      mark->bottomRight->setCoords(right, static_cast<double>(*selection.expert) + 0.5);
      mark->setPen(QPen(QColor(0xd62728), 2.5));
      mark->setBrush(Qt::NoBrush);
      marks_.push_back(mark);
    };
    if (selection.label) outline(classes_, static_cast<double>(*selection.label) - 0.5, static_cast<double>(*selection.label) + 0.5);
    else outline(classes_, -0.5, static_cast<double>(classes_.columns.size()) - 0.5);
    outline(layers_, static_cast<double>(selection.layer) - 0.5, static_cast<double>(selection.layer) + 0.5);
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

UtilizationView::Map* UtilizationView::map_at(const QPoint& position, int64_t* column, int64_t* row) {
  for (Map* m : {&classes_, &layers_, &flow_}) {
    if (!m->map || !m->map->keyAxis()->axisRect()->rect().contains(position)) continue;
    const double key = m->map->keyAxis()->pixelToCoord(position.x()), value = m->map->valueAxis()->pixelToCoord(position.y());
    *column = static_cast<int64_t>(std::lround(key));
    *row = static_cast<int64_t>(std::lround(value));
    if (*column < 0 || *row < 0 || *column >= static_cast<int64_t>(m->columns.size()) || *row >= static_cast<int64_t>(m->rows.size())) return nullptr;
    return m;
  }
  return nullptr;
}

void UtilizationView::clicked(QMouseEvent* event) {
  int64_t column = 0, row = 0;
  const Map* m = map_at(event->pos(), &column, &row);
  if (m == &classes_) selection_.select_expert(layer_, row, column);
  else if (m == &layers_) selection_.select_expert(column, row);
  else if (m == &flow_) selection_.select_expert(layer_, row);
}

void UtilizationView::hovered(QMouseEvent* event) {
  int64_t column = 0, row = 0;
  const Map* m = map_at(event->pos(), &column, &row);
  if (!m) {
    QToolTip::hideText();
    return;
  }
  double total = 0;
  for (const auto& c : m->values)
    for (double v : c) total += v;
  const double v = m->values[static_cast<size_t>(column)][static_cast<size_t>(row)];
  QToolTip::showText(event->globalPosition().toPoint(),
                     tr("%1 %2, %3 %4: %5 samples (%6% of the table)")
                         .arg(m->row_title, m->rows[static_cast<size_t>(row)], m->column_title, m->columns[static_cast<size_t>(column)])
                         .arg(v)
                         .arg(total > 0 ? 100.0 * v / total : 0.0, 0, 'f', 1),
                     plot_);
}

void UtilizationView::set_panels(Panels panels) {
  panels_ = panels;
  rebuild();
}

QString UtilizationView::figure_name() const {
  return panels_ == Panels::ExpertByLayer ? QString("expert-by-layer") : QString("expert-utilization-layer%1").arg(layer_);
}

QSize UtilizationView::figure_size() const {
  const int panels = (classes_.map ? 1 : 0) + (layers_.map ? 1 : 0) + (flow_.map ? 1 : 0);
  return QSize(std::max(300, panels * 330), std::max(360, plot_->height()));
}

namespace {
constexpr int kStackBelow = 700;  // pixels at 96 DPI: narrower figures stack their heatmaps
}  // namespace

int UtilizationView::figure_height(int width) const {
  const int panels = (classes_.map ? 1 : 0) + (layers_.map ? 1 : 0) + (flow_.map ? 1 : 0);
  return width < kStackBelow ? std::max(1, panels) * 300 : -1;
}

void UtilizationView::paint_figure(QPaintDevice& device, const QRect& target) {
  const bool stack = target.width() < kStackBelow;
  if (stack != stacked_) {
    stacked_ = stack;
    rebuild();
  }
  paint_plot_figure(*plot_, device, target);
  if (stacked_) {  // the screen keeps its side-by-side panels
    stacked_ = false;
    rebuild();
    mark_selected(selection_.current());
  }
}

void UtilizationView::write_figure_data(QTextStream& csv) const {
  csv << "table,row_title,row,column_title,column,samples\n";
  for (const auto& [name, m] : {std::pair{"expert_class", &classes_}, {"expert_layer", &layers_}, {"flow", &flow_}}) {
    if (!m->map) continue;
    for (size_t c = 0; c < m->columns.size(); ++c)
      for (size_t r = 0; r < m->rows.size(); ++r)
        csv << name << ',' << csv_field(m->row_title) << ',' << csv_field(m->rows[r]) << ',' << csv_field(m->column_title) << ','
            << csv_field(m->columns[c]) << ',' << m->values[c][r] << '\n';
  }
}

}  // namespace ndtmoe::views
