#include "ndtmoe_views/training_view.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

QString duration(double seconds) {
  const auto s = static_cast<int64_t>(seconds + 0.5);
  return s >= 3600 ? QString("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60) : s >= 60 ? QString("%1 min %2 s").arg(s / 60).arg(s % 60) : QString("%1 s").arg(s);
}

void style_plot(QCustomPlot* plot, const QString& title, const QString& y) {
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 9, QFont::Bold)));
  plot->xAxis->setLabel(QObject::tr("step"));
  plot->yAxis->setLabel(y);
  legend_beside(*plot);  // a dozen terms would hide the lines they name
}

}  // namespace

std::map<QString, double> with_qt_names(const std::map<std::string, double>& values) {
  std::map<QString, double> named;
  for (const auto& [name, v] : values) named[QString::fromStdString(name)] = v;
  return named;
}

TrainingView::TrainingView(QWidget* parent)
    : QWidget(parent), bar_(new QProgressBar(this)), status_(new QLabel(tr("No training running. File ▸ New run… starts one."), this)),
      pause_(new QPushButton(tr("Pause"), this)), cancel_(new QPushButton(tr("Cancel"), this)), losses_(new QCustomPlot(this)), metrics_(new QCustomPlot(this)),
      smoothing_(new QDoubleSpinBox(this)), log_loss_(new QCheckBox(tr("Log loss axis"), this)) {
  follow_palette(*losses_);
  follow_palette(*metrics_);
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  pause_->setCheckable(true);
  pause_->setEnabled(false);
  pause_->setToolTip(tr("Hold the training after the current step, freeing the processor; press again to continue"));
  connect(pause_, &QPushButton::toggled, this, &TrainingView::set_paused);
  cancel_->setEnabled(false);
  cancel_->setToolTip(tr("Stop after the current step; a cancelled run is saved and can be resumed with ndtmoe train --resume"));
  connect(cancel_, &QPushButton::clicked, this, &TrainingView::cancel_requested);
  style_plot(losses_, tr("Loss terms (training)"), tr("loss"));
  style_plot(metrics_, tr("Validation metrics (epoch ends)"), tr("value"));
  smoothing_->setRange(0, 0.99);
  smoothing_->setSingleStep(0.1);
  smoothing_->setDecimals(2);
  smoothing_->setPrefix(tr("Smoothing "));
  smoothing_->setToolTip(tr("Exponential moving average of the curves (TensorBoard's smoothing weight; 0: raw values)"));
  connect(smoothing_, &QDoubleSpinBox::valueChanged, this, &TrainingView::set_smoothing);
  connect(log_loss_, &QCheckBox::toggled, this, &TrainingView::set_log_loss);
  auto* top = new QHBoxLayout;
  top->addWidget(bar_, 1);
  top->addWidget(smoothing_);
  top->addWidget(log_loss_);
  top->addWidget(pause_);
  top->addWidget(cancel_);
  auto* plots = new QHBoxLayout;
  plots->addWidget(losses_);
  plots->addWidget(metrics_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(status_);
  layout->addLayout(plots, 1);
}

void TrainingView::clear() {
  for (QCustomPlot* p : {losses_, metrics_}) p->clearGraphs();
  graph_of_.clear();
  averages_.clear();
  for (auto& colors : term_colors_) colors.clear();
  points_.clear();
  bar_->setValue(0);
}

void TrainingView::show_history(const RunData& run) {
  if (running_) return;
  clear();
  for (const TrainingStep& step : run.description().training) {
    CurvePoint p;
    p.model = QString::fromStdString(step.model);
    p.step = step.step;
    p.epoch = step.epoch;
    p.epoch_end = step.epoch_end;
    p.losses = with_qt_names(step.losses);
    p.metrics = with_qt_names(step.metrics);
    add_curves(p);
  }
  status_->setText(points_.empty() ? tr("Run %1 was stored without its training history.").arg(run.run())
                                   : tr("Training history of run %1 (%2 logged steps)").arg(run.run()).arg(points_.size()));
  if (!points_.empty()) bar_->setValue(1000);
  replot();
}

void TrainingView::add_curves(const CurvePoint& p) {
  points_.push_back(p);
  plot_point(p);
}

void TrainingView::plot_point(const CurvePoint& p) {
  for (const auto& [name, v] : p.losses) add_value(p.model, name, false, static_cast<double>(p.step), v);
  if (p.epoch_end)
    for (const auto& [name, v] : p.metrics) add_value(p.model, name, true, static_cast<double>(p.step), v);
}

double TrainingView::smoothed(const QString& key, double value) {
  const double weight = smoothing_->value();
  if (weight <= 0) return value;
  Average& a = averages_[key];
  a.sum = weight * a.sum + (1 - weight) * value;
  ++a.count;
  return a.sum / (1 - std::pow(weight, static_cast<double>(a.count)));
}

void TrainingView::set_smoothing(double weight) {
  if (std::abs(smoothing_->value() - weight) > 1e-12) {
    smoothing_->setValue(weight);  // comes back here through valueChanged
    return;
  }
  averages_.clear();
  for (QCustomPlot* plot : {losses_, metrics_})
    for (int g = 0; g < plot->graphCount(); ++g) plot->graph(g)->data()->clear();
  for (const CurvePoint& p : points_) plot_point(p);
  replot();
}

void TrainingView::set_log_loss(bool log) {
  log_loss_->setChecked(log);
  losses_->yAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  losses_->yAxis->setTicker(log ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog) : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  losses_->yAxis->setLabel(log ? tr("loss (log scale)") : tr("loss"));
  replot();
}

void TrainingView::replot() {
  for (QCustomPlot* plot : {losses_, metrics_}) {
    plot->rescaleAxes();
    plot->replot(QCustomPlot::rpQueuedReplot);  // coalesces bursts of points into one repaint
  }
}

void TrainingView::start(const QString& what) {
  clear();
  status_->setText(what);
  pause_->setEnabled(true);
  cancel_->setEnabled(true);
  running_ = true;
  paused_ms_ = 0;
  clock_.start();
  replot();
}

void TrainingView::add_value(const QString& model, const QString& name, bool metric, double step, double value) {
  QCustomPlot* plot = metric ? metrics_ : losses_;
  const QString key = (metric ? "m/" : "l/") + model + "/" + name;
  auto it = graph_of_.find(key);
  if (it == graph_of_.end()) {
    QCPGraph* graph = plot->addGraph();
    graph->setName(model + " " + name);
    // One colour per term within a panel, the teacher's curve dashed in its student's colour.
    std::map<QString, int64_t>& colors = term_colors_[metric ? 1 : 0];
    const int64_t color = colors.emplace(name, static_cast<int64_t>(colors.size())).first->second;
    QPen pen(expert_color(color), 1.5);
    if (model == "teacher") pen.setStyle(Qt::DashLine);
    graph->setPen(pen);
    it = graph_of_.emplace(key, plot->graphCount() - 1).first;
  }
  plot->graph(it->second)->addData(step, smoothed(key, value));
}

void TrainingView::add_point(const CurvePoint& p) {
  add_curves(p);
  bar_->setValue(static_cast<int>(1000 * p.progress));
  show_status(p);
  replot();
}

void TrainingView::show_status(const CurvePoint& p) {
  const double elapsed = active_seconds();
  const QString eta = p.progress > 0.02 ? tr(", about %1 left").arg(duration(elapsed * (1 - p.progress) / p.progress)) : QString();
  const QString stage = p.epoch > 0 ? tr("%1 — epoch %2").arg(p.stage).arg(p.epoch) : p.stage;
  const QString text = tr("%1 — %2 elapsed%3").arg(stage, duration(elapsed), eta);
  status_->setText(paused_ ? tr("Paused — %1").arg(text) : text);
}

double TrainingView::active_seconds() const {
  const qint64 pausing = paused_ ? pause_clock_.elapsed() : 0;
  return static_cast<double>(clock_.elapsed() - paused_ms_ - pausing) / 1000.0;
}

void TrainingView::set_paused(bool paused) {
  if (!running_ || paused == paused_) return;
  if (paused) {
    pause_clock_.start();
  } else {
    paused_ms_ += pause_clock_.elapsed();
  }
  paused_ = paused;
  const QSignalBlocker quiet(pause_);
  pause_->setChecked(paused);
  pause_->setText(paused ? tr("Resume") : tr("Pause"));
  if (!points_.empty()) show_status(points_.back());
  Q_EMIT pause_requested(paused);
}

void TrainingView::finish(const QString& message) {
  set_paused(false);
  running_ = false;
  pause_->setEnabled(false);
  cancel_->setEnabled(false);
  status_->setText(message);
  if (bar_->value() > 0) bar_->setValue(1000);
}

int TrainingView::graph_count() const { return losses_->graphCount() + metrics_->graphCount(); }

QSize TrainingView::figure_size() const { return QSize(1000, 380); }

void TrainingView::paint_figure(QPaintDevice& device, const QRect& target) {
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  const int half = target.width() / 2;
  int x = target.left();
  for (QCustomPlot* plot : {losses_, metrics_}) {
    paint_plot(*plot, painter, QRect(x, target.top(), half, target.height()));
    x += half;
  }
}

void TrainingView::write_figure_data(QTextStream& csv) const {
  // "drawn" is the value on the curve: the raw value, or its moving average when smoothing is on.
  csv << "model,step,epoch,kind,name,value,drawn\n";
  std::map<QString, int> next;  // per curve, the index of its next point in the graph
  const auto drawn = [&](bool metric, const QString& model, const QString& name) {
    const QString key = (metric ? "m/" : "l/") + model + "/" + name;
    const QCPGraph* graph = (metric ? metrics_ : losses_)->graph(graph_of_.at(key));
    return graph->data()->at(next[key]++)->value;
  };
  for (const CurvePoint& p : points_) {
    for (const auto& [name, v] : p.losses)
      csv << p.model << ',' << p.step << ',' << p.epoch << ",loss," << name << ',' << v << ',' << drawn(false, p.model, name) << '\n';
    if (p.epoch_end)
      for (const auto& [name, v] : p.metrics)
        csv << p.model << ',' << p.step << ',' << p.epoch << ",metric," << name << ',' << v << ',' << drawn(true, p.model, name) << '\n';
  }
}

}  // namespace ndtmoe::views
