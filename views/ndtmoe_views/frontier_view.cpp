#include "ndtmoe_views/frontier_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

// `legend`: the plot that names the curves of both (beside its axes, outside the data).
void prepare(QCustomPlot* plot, const QString& title, const QString& y, bool legend) {
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 9, QFont::Bold)));
  plot->xAxis->setLabel(QObject::tr("K (experts or units per row)"));
  plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
  QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
  ticker->setLogBase(2);
  ticker->setSubTickCount(0);
  plot->xAxis->setTicker(ticker);
  plot->xAxis->setNumberFormat("f");
  plot->xAxis->setNumberPrecision(0);
  plot->yAxis->setLabel(y);
  if (legend) legend_beside(*plot);
  follow_palette(*plot);
}

QPen model_pen(size_t index) {
  QPen pen(expert_color(static_cast<int64_t>(index)));
  pen.setWidthF(1.8);
  return pen;
}

}  // namespace

FrontierView::FrontierView(QWidget* parent)
    : QWidget(parent), note_(new QLabel(this)), errors_(new QCustomPlot(this)), metrics_(new QCustomPlot(this)) {
  prepare(errors_, tr("Layer reconstruction"), tr("normalised MSE"), false);
  prepare(metrics_, tr("Spliced model"), tr("test metric"), true);
  note_->setWordWrap(true);
  auto* plots = new QHBoxLayout;
  plots->addWidget(errors_);
  plots->addWidget(metrics_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(note_);
  layout->addLayout(plots, 1);
  note_->setText(tr("Compare traced decompositions (ndtmoe trace of a decompose --out directory) to see their frontier"));
}

void FrontierView::set_runs(TraceStore& store, const std::vector<int64_t>& runs) {
  frontier_ = decomposition_frontier(store, runs);
  draw();
}

void FrontierView::clear() {
  frontier_ = {};
  draw();
}

void FrontierView::draw() {
  errors_->clearGraphs();
  metrics_->clearGraphs();
  if (frontier_.empty()) {
    note_->setText(tr("None of the compared runs is a traced decomposition (ndtmoe trace of a decompose --out directory)"));
    errors_->replot();
    metrics_->replot();
    return;
  }
  QString note = tr("Layer %1 of the decomposed run, %n decomposition(s)", "", static_cast<int>(frontier_.runs.size())).arg(QString::fromStdString(frontier_.layer));
  if (!frontier_.other_runs.empty()) note += tr("; %n compared run(s) left out: not decompositions of this layer", "", static_cast<int>(frontier_.other_runs.size()));
  note_->setText(note);
  double low = 1, high = 1;
  for (size_t m = 0; m < frontier_.models.size(); ++m) {
    QVector<double> ks, mse, metric;
    for (const FrontierPoint& p : frontier_.points)
      if (p.model == frontier_.models[m]) {
        ks << static_cast<double>(p.k);
        mse << p.normalized_mse;
        metric << p.metric;
        low = std::min(low, static_cast<double>(p.k));
        high = std::max(high, static_cast<double>(p.k));
      }
    for (auto [plot, values] : {std::pair{errors_, &mse}, std::pair{metrics_, &metric}}) {
      QCPGraph* graph = plot->addGraph();
      graph->setName(QString::fromStdString(frontier_.models[m]));
      graph->setPen(model_pen(m));
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
      graph->setData(ks, *values, true);
    }
  }
  const QString metric = QString::fromStdString(frontier_.metric);
  metrics_->yAxis->setLabel(tr("test %1").arg(metric));
  for (const auto& [name, value, style] : {std::tuple{tr("original"), frontier_.original, Qt::DashLine}, std::tuple{tr("zero-ablated"), frontier_.zero_ablated, Qt::DotLine}}) {
    QCPGraph* line = metrics_->addGraph();
    line->setName(name);
    line->setPen(QPen(QColor(0x555555), 1.4, style));
    line->setData(QVector<double>{low / 1.3, high * 1.3}, QVector<double>{value, value}, true);
  }
  for (QCustomPlot* plot : {errors_, metrics_}) {
    plot->rescaleAxes();
    plot->xAxis->setRange(low / 1.3, high * 1.3);
    plot->yAxis->scaleRange(1.1, plot->yAxis->range().center());
    plot->replot();
  }
}

void FrontierView::paint_figure(QPaintDevice& device, const QRect& target) {
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  const int half = target.width() / 2;
  paint_plot(*errors_, painter, QRect(target.left(), target.top(), half, target.height()));
  paint_plot(*metrics_, painter, QRect(target.left() + half, target.top(), target.width() - half, target.height()));
}

void FrontierView::write_figure_data(QTextStream& csv) const {
  csv << "run,k,model,normalized_mse," << QString::fromStdString(frontier_.metric.empty() ? "metric" : frontier_.metric) << '\n';
  for (const FrontierPoint& p : frontier_.points)
    csv << p.run << ',' << p.k << ',' << csv_field(QString::fromStdString(p.model)) << ',' << p.normalized_mse << ',' << p.metric << '\n';
  if (!frontier_.empty()) csv << ",,original,0," << frontier_.original << '\n' << ",,zero_ablated,1," << frontier_.zero_ablated << '\n';
}

}  // namespace ndtmoe::views
