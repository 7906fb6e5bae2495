#include "ndtmoe_views/embedding_view.h"

#include <QComboBox>
#include <QStandardItemModel>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

constexpr int kMaxLegendGroups = 12;  // beyond this the legend would hide the points; the tooltip names each
constexpr double kClickRadius = 10;    // pixels: a press and release closer than this is a click, not a lasso

// The palettes repeat after eight colours; the marker tells the 9th group from the 1st.
QCPScatterStyle::ScatterShape marker_for(int64_t group) {
  static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssDisc, QCPScatterStyle::ssSquare, QCPScatterStyle::ssTriangle,
                                                         QCPScatterStyle::ssDiamond, QCPScatterStyle::ssCross};
  return shapes[std::max<int64_t>(0, group) / 8 % 5];
}

QColor correct_color(bool right) { return right ? QColor(0x9e9e9e) : QColor(0xd55e00); }

}  // namespace

EmbeddingView::EmbeddingView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), method_(new QComboBox(this)), colouring_(new QComboBox(this)),
      summary_(new QLabel(this)), plot_(new QCustomPlot(this)) {
  follow_palette(*plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout();
  bar->addWidget(new QLabel(tr("Map:"), this));
  bar->addWidget(method_);
  bar->addWidget(new QLabel(tr("Colour by:"), this));
  colouring_->addItem(tr("top-1 expert"), static_cast<int>(Colouring::Expert));
  colouring_->addItem(tr("class"), static_cast<int>(Colouring::Class));
  colouring_->addItem(tr("right or wrong"), static_cast<int>(Colouring::Correct));
  bar->addWidget(colouring_);
  bar->addStretch(1);
  layout->addLayout(bar);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  layout->addWidget(plot_, 1);
  method_->setToolTip(tr("PCA: the two directions of largest variance, every sample. t-SNE: neighbourhoods kept, distances between "
                         "clusters not meaningful; computed on an evenly spaced subset of the samples"));
  summary_->setToolTip(tr("Click a point to select its sample; drag around points to select them as a group; the wheel zooms, a double "
                       "click shows the whole map"));
  plot_->setMouseTracking(true);
  plot_->setInteractions(QCP::iRangeZoom);  // a drag draws a lasso, so it cannot also pan
  connect(method_, &QComboBox::activated, this, [this] { load(); });
  connect(colouring_, &QComboBox::activated, this, [this] { set_colouring(static_cast<Colouring>(colouring_->currentData().toInt())); });
  connect(plot_, &QCustomPlot::mousePress, this, &EmbeddingView::pressed);
  connect(plot_, &QCustomPlot::mouseMove, this, &EmbeddingView::moved);
  connect(plot_, &QCustomPlot::mouseRelease, this, &EmbeddingView::released);
  connect(&selection_, &SelectionModel::changed, this, &EmbeddingView::show_selection);
  connect(plot_, &QCustomPlot::afterLayout, this, [this] {
    if (!zoomed_) equal_aspect();
  });
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { zoomed_ = true; });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {  // back to the whole map
    zoomed_ = false;
    plot_->replot();
  });
}

void EmbeddingView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  layer_ = -1;
  const bool classification = data_ && data_->classification();
  // Class and right-or-wrong colourings need classes.
  for (int i : {1, 2}) qobject_cast<QStandardItemModel*>(colouring_->model())->item(i)->setEnabled(classification);
  if (!classification) {
    colouring_->setCurrentIndex(0);
    colour_by_ = Colouring::Expert;
  }
  show_selection(selection_.current());
}

bool EmbeddingView::show_method(const QString& method) {
  const int index = method_->findData(method);
  if (index < 0) return false;
  method_->setCurrentIndex(index);
  load();
  return true;
}

void EmbeddingView::set_colouring(Colouring colouring) {
  colour_by_ = colouring;
  colouring_->setCurrentIndex(colouring_->findData(static_cast<int>(colouring)));
  rebuild();
}

void EmbeddingView::show_selection(const Selection& selection) {
  if (!data_) return;
  if (selection.layer != layer_) {
    layer_ = selection.layer;
    load();
  } else {
    mark_selection();
  }
}

void EmbeddingView::load() {
  points_ = LayerEmbedding{};
  neighbours_.reset();
  experts_.clear();
  rows_.clear();
  if (!data_) return rebuild();
  TraceStore& store = data_->store();
  const QString wanted = method_->currentData().toString();
  {
    const QSignalBlocker block(method_);
    method_->clear();
    for (const LayerEmbedding& e : store.embeddings(data_->run()))
      if (e.layer == layer_) method_->addItem(e.method == "pca" ? tr("PCA") : tr("t-SNE"), QString::fromStdString(e.method));
    // The one shown before, else t-SNE, which separates groups PCA draws on top of each other.
    int index = method_->findData(wanted);
    if (index < 0) index = method_->findData(QString("tsne"));
    method_->setCurrentIndex(std::max(0, index));
  }
  if (method_->count() > 0) {
    points_ = store.embedding(data_->run(), layer_, method_->currentData().toString().toStdString());
    experts_ = store.top_experts(data_->run(), layer_);
    rows_ = store.sample_rows(data_->run(), SampleFilter{});
    for (const ExpertNeighbours& n : store.expert_neighbours(data_->run()))
      if (n.layer == layer_) neighbours_ = n;
  }
  rebuild();
}

int64_t EmbeddingView::group_of(size_t point) const {
  const int64_t sample = points_.samples[point];
  const auto index = static_cast<size_t>(sample - data_->summary().first_sample);
  switch (colour_by_) {
    case Colouring::Expert:
      return sample < static_cast<int64_t>(experts_.size()) ? experts_[static_cast<size_t>(sample)] : -1;
    case Colouring::Class:
      return index < rows_.size() && std::isfinite(rows_[index].truth) ? static_cast<int64_t>(rows_[index].truth) : -1;
    case Colouring::Correct:
      return index < rows_.size() ? (rows_[index].prediction == rows_[index].truth ? 1 : 0) : -1;
  }
  return -1;
}

QString EmbeddingView::group_name(int64_t group) const {
  switch (colour_by_) {
    case Colouring::Expert: return tr("E%1").arg(group);
    case Colouring::Class: return data_->class_name(group);
    case Colouring::Correct: return group == 1 ? tr("right") : tr("wrong");
  }
  return {};
}

int64_t EmbeddingView::drawn_group(int64_t sample) const {
  const auto it = std::lower_bound(points_.samples.begin(), points_.samples.end(), sample);
  return it != points_.samples.end() && *it == sample ? group_of(static_cast<size_t>(it - points_.samples.begin())) : -1;
}

void EmbeddingView::rebuild() {
  plot_->clearPlottables();
  plot_->clearItems();
  plot_->plotLayout()->clear();
  selected_ = group_ = nullptr;
  lasso_ = nullptr;
  zoomed_ = false;
  auto* rect = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(0, 0, rect);
  summary_->setText(summary_text());
  if (!has_embedding()) {
    plot_->replot();
    return;
  }
  std::map<int64_t, std::pair<QVector<double>, QVector<double>>> members;
  for (size_t i = 0; i < points_.samples.size(); ++i) {
    auto& [xs, ys] = members[group_of(i)];
    xs << points_.x[i];
    ys << points_.y[i];
  }
  std::map<int64_t, QCPGraph*> graphs;
  for (const auto& [group, coordinates] : members) {
    QCPGraph*& graph = graphs[group];
    {
      graph = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      const QColor colour = group < 0 ? QColor(Qt::lightGray)
                            : colour_by_ == Colouring::Expert ? expert_color(group)
                            : colour_by_ == Colouring::Class  ? class_color(group)
                                                              : correct_color(group == 1);
      graph->setLineStyle(QCPGraph::lsNone);
      graph->setScatterStyle(QCPScatterStyle(marker_for(group), colour, colour, points_.samples.size() > 2000 ? 3 : 5));
      graph->setName(group < 0 ? tr("not traced") : group_name(group));
      graph->setAdaptiveSampling(false);  // every point drawn, not a thinned-out line
    }
    graph->setData(coordinates.first, coordinates.second);
  }
  selected_ = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  group_ = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  for (QCPGraph* mark : {selected_, group_}) {
    mark->setLineStyle(QCPGraph::lsNone);
    mark->setAdaptiveSampling(false);
  }
  selected_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(highlight_color(), 2.5), Qt::NoBrush, 13));
  group_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0x202020), 1.2), Qt::NoBrush, 8));
  rect->axis(QCPAxis::atBottom)->setLabel(points_.method == "pca" ? tr("PC 1 (%1% of the variance)").arg(100 * points_.details["variance_1"], 0, 'f', 0)
                                                                  : tr("t-SNE 1"));
  rect->axis(QCPAxis::atLeft)->setLabel(points_.method == "pca" ? tr("PC 2 (%1% of the variance)").arg(100 * points_.details["variance_2"], 0, 'f', 0)
                                                                : tr("t-SNE 2"));
  // The points' extent with a margin; equal_aspect fits it to the plot's shape at each layout.
  const auto [x_low, x_high] = std::minmax_element(points_.x.begin(), points_.x.end());
  const auto [y_low, y_high] = std::minmax_element(points_.y.begin(), points_.y.end());
  extent_ = QRectF(QPointF(*x_low, *y_low), QPointF(*x_high, *y_high));
  extent_ = extent_.marginsAdded(QMarginsF(1, 1, 1, 1) * (0.04 * std::max({extent_.width(), extent_.height(), 1e-6})));
  equal_aspect();
  const QString colouring = colour_by_ == Colouring::Expert ? tr("top-1 expert") : colour_by_ == Colouring::Class ? tr("class") : tr("right or wrong");
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_,
      tr("Layer %1, %2, by %3").arg(layer_).arg(points_.method == "pca" ? tr("PCA") : tr("t-SNE")).arg(colouring),
      QFont(font().family(), 10, QFont::Bold)));
  if (static_cast<int>(graphs.size()) <= kMaxLegendGroups) {  // beside the map, at its top, as tall as its entries
    auto* side = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(1, 1, side);
    plot_->plotLayout()->setColumnStretchFactor(1, 0.001);
    auto* legend = new QCPLegend;
    side->addElement(0, 0, legend);
    side->addElement(1, 0, new QCPLayoutElement(plot_));
    side->setRowStretchFactors({0.001, 1});
    legend->setLayer("legend");
    for (const auto& [group, graph] : graphs) graph->addToLegend(legend);
  }
  mark_selection();
}

// One unit is as long across as up: a map's distances mean the same in both directions (PCA's axes
// especially), so the ranges grow in one direction until the extent fits at the plot's shape.
void EmbeddingView::equal_aspect() {
  if (!has_embedding() || plot_->graphCount() == 0) return;
  QCPAxis* x = plot_->graph(0)->keyAxis();
  QCPAxis* y = plot_->graph(0)->valueAxis();
  const QRect area = x->axisRect()->rect();
  if (area.width() < 2 || area.height() < 2) {
    x->setRange(extent_.left(), extent_.right());
    y->setRange(extent_.top(), extent_.bottom());
    return;
  }
  const double per_pixel = std::max(extent_.width() / area.width(), extent_.height() / area.height());
  const QPointF centre = extent_.center();
  x->setRange(centre.x() - per_pixel * area.width() / 2, centre.x() + per_pixel * area.width() / 2);
  y->setRange(centre.y() - per_pixel * area.height() / 2, centre.y() + per_pixel * area.height() / 2);
}

void EmbeddingView::mark_selection() {
  if (!selected_ || !group_) return;
  const Selection& s = selection_.current();
  selected_->data()->clear();
  group_->data()->clear();
  for (size_t i = 0; i < points_.samples.size(); ++i) {
    const int64_t sample = points_.samples[i];
    if (s.sample == sample) selected_->addData(points_.x[i], points_.y[i]);
    const bool in_group = s.group ? std::binary_search(s.group->begin(), s.group->end(), sample)
                          : s.expert && s.layer == layer_ && sample < static_cast<int64_t>(experts_.size()) &&
                                experts_[static_cast<size_t>(sample)] == *s.expert;
    if (in_group) group_->addData(points_.x[i], points_.y[i]);
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString EmbeddingView::summary_text() const {
  if (!data_) return {};
  if (!has_embedding())
    return data_->summary().token_level()
               ? tr("Embeddings map whole samples; this run routes tokens.")
               : tr("No embedding is stored for layer %1 of this run: it was traced without them, by shards or by an older "
                    "version. Trace it again (ndtmoe trace) to compute them.").arg(layer_);
  // A detail the method reported; 0 when a damaged store lacks it.
  const auto detail = [this](const char* name) { return points_.details.count(name) ? points_.details.at(name) : 0.0; };
  QString text = points_.method == "pca"
                     ? tr("PCA of the hidden states layer %1's experts read, all %2 samples; the axes explain %3% and %4% of the variance.")
                           .arg(layer_).arg(points_.samples.size())
                           .arg(100 * detail("variance_1"), 0, 'f', 1).arg(100 * detail("variance_2"), 0, 'f', 1)
                     : tr("t-SNE of the hidden states layer %1's experts read, %2 (perplexity %3, KL divergence %4).")
                           .arg(layer_)
                           .arg(static_cast<int64_t>(points_.samples.size()) == data_->summary().traced_samples
                                    ? tr("all %1 samples").arg(points_.samples.size())
                                    : tr("%1 evenly spaced samples of %2").arg(points_.samples.size()).arg(data_->summary().traced_samples))
                           .arg(detail("perplexity"), 0, 'f', 0)
                           .arg(detail("kl_divergence"), 0, 'f', 2);
  if (neighbours_)
    text += " " + tr("The top-1 expert of a sample is the majority expert of its %1 nearest neighbours for %2% of %3 samples "
                     "(the commonest expert alone: %4%).")
                      .arg(neighbours_->k).arg(100 * neighbours_->agreement, 0, 'f', 1).arg(neighbours_->samples)
                      .arg(100 * neighbours_->majority_share, 0, 'f', 1);
  return text;
}

std::optional<QPointF> EmbeddingView::pixel_of(int64_t sample) const {
  const auto it = std::lower_bound(points_.samples.begin(), points_.samples.end(), sample);
  if (it == points_.samples.end() || *it != sample || plot_->graphCount() == 0) return std::nullopt;
  const size_t i = static_cast<size_t>(it - points_.samples.begin());
  const QCPGraph* graph = plot_->graph(0);
  return QPointF(graph->keyAxis()->coordToPixel(points_.x[i]), graph->valueAxis()->coordToPixel(points_.y[i]));
}

std::vector<int64_t> EmbeddingView::samples_inside(const QPolygonF& pixels) const {
  std::vector<int64_t> inside;
  if (plot_->graphCount() == 0 || pixels.size() < 3) return inside;
  const QCPGraph* graph = plot_->graph(0);
  for (size_t i = 0; i < points_.samples.size(); ++i) {
    const QPointF p(graph->keyAxis()->coordToPixel(points_.x[i]), graph->valueAxis()->coordToPixel(points_.y[i]));
    if (pixels.containsPoint(p, Qt::OddEvenFill)) inside.push_back(points_.samples[i]);
  }
  return inside;
}

void EmbeddingView::pressed(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !has_embedding()) return;
  lasso_pixels_ = QPolygonF{QPointF(event->pos())};
}

void EmbeddingView::moved(QMouseEvent* event) {
  if (!has_embedding() || plot_->graphCount() == 0) return;
  const QCPGraph* graph = plot_->graph(0);
  if (!(event->buttons() & Qt::LeftButton)) {  // hovering: name the nearest point
    double best = kClickRadius * kClickRadius;
    std::optional<size_t> nearest;
    for (size_t i = 0; i < points_.samples.size(); ++i) {
      const double dx = graph->keyAxis()->coordToPixel(points_.x[i]) - event->pos().x();
      const double dy = graph->valueAxis()->coordToPixel(points_.y[i]) - event->pos().y();
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, nearest = i;
    }
    if (!nearest) return QToolTip::hideText();
    const int64_t sample = points_.samples[*nearest];
    const auto row = static_cast<size_t>(sample - data_->summary().first_sample);
    QString text = tr("sample %1, expert %2").arg(sample).arg(sample < static_cast<int64_t>(experts_.size()) ? experts_[static_cast<size_t>(sample)] : -1);
    if (row < rows_.size())
      text += tr(", class %1, predicted %2").arg(data_->value_text(rows_[row].truth), data_->value_text(rows_[row].prediction));
    QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
    return;
  }
  if (lasso_pixels_.isEmpty()) return;
  lasso_pixels_ << QPointF(event->pos());
  if (!lasso_) {
    lasso_ = new QCPCurve(graph->keyAxis(), graph->valueAxis());
    lasso_->setPen(QPen(QColor(0x202020), 1, Qt::DashLine));
    lasso_->removeFromLegend();
  }
  QVector<double> xs, ys;
  for (const QPointF& p : lasso_pixels_) xs << graph->keyAxis()->pixelToCoord(p.x()), ys << graph->valueAxis()->pixelToCoord(p.y());
  xs << xs.front();
  ys << ys.front();
  lasso_->setData(xs, ys);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void EmbeddingView::released(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || lasso_pixels_.isEmpty()) return;
  const QPolygonF lasso = lasso_pixels_;
  lasso_pixels_.clear();
  if (lasso_) {
    plot_->removePlottable(lasso_);
    lasso_ = nullptr;
    plot_->replot(QCustomPlot::rpQueuedReplot);
  }
  const QRectF extent = lasso.boundingRect();
  if (extent.width() < kClickRadius && extent.height() < kClickRadius) {  // a click: the nearest point
    std::optional<int64_t> nearest;
    double best = kClickRadius * kClickRadius;
    for (int64_t sample : points_.samples) {
      const QPointF p = *pixel_of(sample);
      const double d = QPointF::dotProduct(p - event->pos(), p - event->pos());
      if (d < best) best = d, nearest = sample;
    }
    if (nearest) selection_.select_sample(*nearest);
    return;
  }
  const std::vector<int64_t> inside = samples_inside(lasso);
  if (!inside.empty()) selection_.select_samples(inside);
}

QString EmbeddingView::figure_name() const {
  const QString colouring = colour_by_ == Colouring::Expert ? "expert" : colour_by_ == Colouring::Class ? "class" : "correct";
  return QString("embedding-layer%1-%2-%3").arg(layer_).arg(QString::fromStdString(points_.method)).arg(colouring);
}

QSize EmbeddingView::figure_size() const { return QSize(620, 540); }

void EmbeddingView::paint_figure(QPaintDevice& device, const QRect& target) { paint_plot_figure(*plot_, device, target); }

void EmbeddingView::write_figure_data(QTextStream& csv) const {
  csv << "sample,method,layer,x,y,expert,class,correct\n";
  for (size_t i = 0; i < points_.samples.size(); ++i) {
    const int64_t sample = points_.samples[i];
    const auto row = static_cast<size_t>(sample - data_->summary().first_sample);
    const bool known = row < rows_.size();
    csv << sample << ',' << QString::fromStdString(points_.method) << ',' << layer_ << ',' << points_.x[i] << ',' << points_.y[i] << ','
        << (sample < static_cast<int64_t>(experts_.size()) ? experts_[static_cast<size_t>(sample)] : -1) << ','
        << (known ? csv_field(data_->value_text(rows_[row].truth)) : QString()) << ','
        << (known && data_->classification() ? QString::number(rows_[row].prediction == rows_[row].truth ? 1 : 0) : QString()) << '\n';
  }
}

}  // namespace ndtmoe::views
