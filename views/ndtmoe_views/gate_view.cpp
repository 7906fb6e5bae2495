#include "ndtmoe_views/gate_view.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

const char* const kGateWeight = "gate_weight";

QCPColorGradient diverging() { return evenly_spaced_gradient(diverging_stops()); }

const StoredTensor* gate_of(const RunData& data, int64_t layer) {
  const auto& layers = data.description().router_tensors;
  if (layer < 0 || static_cast<size_t>(layer) >= layers.size()) return nullptr;
  const auto found = layers[static_cast<size_t>(layer)].find(kGateWeight);
  return found == layers[static_cast<size_t>(layer)].end() ? nullptr : &found->second;
}

}  // namespace

GateView::GateView(SelectionModel& selection, QWidget* parent) : QWidget(parent), selection_(selection), plot_(new QCustomPlot(this)) {
  follow_palette(*plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setMouseTracking(true);
  connect(plot_, &QCustomPlot::mousePress, this, &GateView::clicked);
  connect(plot_, &QCustomPlot::mouseMove, this, &GateView::hovered);
  connect(&selection_, &SelectionModel::changed, this, &GateView::show_selection);
}

bool GateView::can_show(const RunData& data) { return gate_of(data, 0) != nullptr; }

void GateView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  layer_ = -1;
  sample_.reset();
  show_selection(selection_.current());
}

void GateView::rebuild() {
  plot_->clearItems();
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  weights_ = nullptr;
  logit_rect_ = nullptr;
  logit_title_ = nullptr;
  logit_bars_ = chosen_bars_ = nullptr;
  const StoredTensor* gate = data_ ? gate_of(*data_, layer_) : nullptr;
  if (!gate || gate->shape.size() != 2) {
    plot_->replot();
    return;
  }
  const int experts = static_cast<int>(gate->shape[0]), inputs = static_cast<int>(gate->shape[1]);
  std::vector<QString> expert_names, input_names;
  for (int e = 0; e < experts; ++e) expert_names.push_back(tr("E%1").arg(e));
  for (int i = 0; i < inputs; ++i) input_names.push_back(data_->input_name(i));

  auto* rect = new QCPAxisRect(plot_);
  weights_ = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  weights_->data()->setSize(experts, inputs);
  weights_->data()->setRange(QCPRange(0, std::max(0, experts - 1)), QCPRange(0, std::max(0, inputs - 1)));
  double largest = 0;
  for (int e = 0; e < experts; ++e)
    for (int i = 0; i < inputs; ++i) {
      const double w = gate->values[static_cast<size_t>(e) * static_cast<size_t>(inputs) + static_cast<size_t>(i)];
      weights_->data()->setCell(e, i, w);
      largest = std::max(largest, std::abs(w));
    }
  const QCPRange range(-std::max(largest, 1e-6), std::max(largest, 1e-6));  // symmetric: white is exactly zero
  weights_->setGradient(diverging());
  weights_->setInterpolate(false);
  weights_->setDataRange(range);
  auto* scale = new QCPColorScale(plot_);
  scale->setType(QCPAxis::atRight);
  scale->setLabel(tr("gate weight"));
  weights_->setColorScale(scale);
  scale->setDataRange(range);
  scale->setGradient(diverging());
  rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(expert_names));
  rect->axis(QCPAxis::atLeft)->setTicker(text_ticker(input_names));
  rect->axis(QCPAxis::atBottom)->setLabel(tr("expert"));
  rect->axis(QCPAxis::atLeft)->setLabel(tr("router input"));
  rect->axis(QCPAxis::atBottom)->setRange(-0.5, experts - 0.5);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, inputs - 0.5);
  rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // first input on top
  if (inputs > 40) rect->axis(QCPAxis::atLeft)->setTickLabels(false);  // hundreds of pixels: the colours carry it

  logit_rect_ = new QCPAxisRect(plot_);
  logit_bars_ = new QCPBars(logit_rect_->axis(QCPAxis::atBottom), logit_rect_->axis(QCPAxis::atLeft));
  chosen_bars_ = new QCPBars(logit_rect_->axis(QCPAxis::atBottom), logit_rect_->axis(QCPAxis::atLeft));
  logit_bars_->setPen(Qt::NoPen);
  logit_bars_->setBrush(QColor(0xbdbdbd));
  chosen_bars_->setPen(Qt::NoPen);
  chosen_bars_->setBrush(highlight_color());
  for (QCPBars* bars : {logit_bars_, chosen_bars_}) bars->setWidth(0.7);
  logit_rect_->axis(QCPAxis::atBottom)->setTicker(text_ticker(expert_names));
  logit_rect_->axis(QCPAxis::atBottom)->setRange(-0.6, experts - 0.4);
  logit_rect_->axis(QCPAxis::atBottom)->setLabel(tr("expert"));
  logit_rect_->axis(QCPAxis::atLeft)->setLabel(tr("gate logit"));

  auto* group = new QCPMarginGroup(plot_);
  rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
  logit_rect_->setMarginGroup(QCP::msLeft | QCP::msRight, group);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, tr("Layer %1: linear gate weights").arg(layer_), QFont(font().family(), 10, QFont::Bold)));
  plot_->plotLayout()->addElement(1, 0, rect);
  plot_->plotLayout()->addElement(1, 1, scale);
  logit_title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), 9));
  plot_->plotLayout()->addElement(2, 0, logit_title_);
  plot_->plotLayout()->addElement(3, 0, logit_rect_);
  plot_->plotLayout()->setRowStretchFactor(1, 3);
  plot_->plotLayout()->setRowStretchFactor(3, 1.6);
  show_sample(selection_.current());
}

void GateView::show_selection(const Selection& selection) {
  if (!data_) return;
  if (selection.layer != layer_) {
    layer_ = std::min<int64_t>(selection.layer, data_->summary().layers - 1);
    rebuild();
    return;
  }
  if (selection.sample != sample_ || selection.token != token_) show_sample(selection);
}

void GateView::show_sample(const Selection& selection) {
  sample_ = selection.sample;
  token_ = selection.token;
  logits_.clear();
  chosen_.clear();
  chosen_weights_.clear();
  plot_->clearItems();
  if (!logit_bars_) return;
  QVector<double> keys, all, chosen;
  if (sample_) {
    const SampleTrace trace = data_->sample(*sample_, token_);
    logits_ = linear_gate_logits(data_->description(), layer_, trace.inputs);
    if (static_cast<size_t>(layer_) < trace.layers.size()) {
      chosen_ = trace.layers[static_cast<size_t>(layer_)].experts;
      chosen_weights_ = trace.layers[static_cast<size_t>(layer_)].weights;
    }
  }
  for (size_t e = 0; e < logits_.size(); ++e) {
    const bool picked = std::find(chosen_.begin(), chosen_.end(), static_cast<int32_t>(e)) != chosen_.end();
    keys << static_cast<double>(e);
    all << (picked ? 0.0 : logits_[e]);
    chosen << (picked ? logits_[e] : 0.0);
  }
  logit_bars_->setData(keys, all);
  chosen_bars_->setData(keys, chosen);
  for (size_t k = 0; k < chosen_.size() && !logits_.empty(); ++k) {
    auto* label = new QCPItemText(plot_);
    label->setClipAxisRect(logit_rect_);
    label->position->setAxes(logit_rect_->axis(QCPAxis::atBottom), logit_rect_->axis(QCPAxis::atLeft));
    const double logit = logits_.at(static_cast<size_t>(chosen_[k]));
    label->position->setCoords(chosen_[k], logit);
    label->setPositionAlignment(logit >= 0 ? (Qt::AlignHCenter | Qt::AlignBottom) : (Qt::AlignHCenter | Qt::AlignTop));
    label->setText(tr("w %1").arg(static_cast<double>(chosen_weights_[k]), 0, 'f', 2));
  }
  QString title = tr("Sample %1: gate logits (highlighted: the experts it was sent to, with their weights)").arg(sample_.value_or(0));
  if (!sample_) title = tr("Select a sample to see its gate logits");
  else if (logits_.empty()) title = tr("This gate reads hidden states, which the store does not keep: no logits to show");
  logit_title_->setText(title);
  logit_rect_->axis(QCPAxis::atLeft)->rescale();
  QCPRange range = logit_rect_->axis(QCPAxis::atLeft)->range();
  range.lower = std::min(range.lower, 0.0);
  range.upper = std::max(range.upper, 0.0);
  const double pad = std::max(0.45 * range.size(), 0.1);  // room for the weight labels above the bars
  logit_rect_->axis(QCPAxis::atLeft)->setRange(range.lower - (range.lower < 0 ? pad : 0), range.upper + pad);
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void GateView::clicked(QMouseEvent* event) {
  for (QCPAxisRect* rect : plot_->axisRects()) {
    if (!rect->rect().contains(event->pos())) continue;
    const auto expert = static_cast<int64_t>(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->pos().x())));
    if (expert >= 0 && expert < data_->summary().experts) selection_.select_expert(layer_, expert);
    return;
  }
}

void GateView::hovered(QMouseEvent* event) {
  if (!weights_ || !weights_->keyAxis()->axisRect()->rect().contains(event->pos())) {
    QToolTip::hideText();
    return;
  }
  const auto expert = static_cast<int>(std::lround(weights_->keyAxis()->pixelToCoord(event->pos().x())));
  const auto input = static_cast<int>(std::lround(weights_->valueAxis()->pixelToCoord(event->pos().y())));
  if (expert < 0 || input < 0 || expert >= weights_->data()->keySize() || input >= weights_->data()->valueSize()) return;
  QToolTip::showText(event->globalPosition().toPoint(),
                     tr("%1 → E%2: weight %3").arg(data_->input_name(input)).arg(expert).arg(weights_->data()->cell(expert, input), 0, 'g', 4),
                     plot_);
}

QString GateView::figure_name() const { return QString("linear-gate-layer%1").arg(layer_); }

QSize GateView::figure_size() const { return QSize(std::max(700, plot_->width()), std::max(600, plot_->height())); }

void GateView::paint_figure(QPaintDevice& device, const QRect& target) { paint_plot_figure(*plot_, device, target); }

void GateView::write_figure_data(QTextStream& csv) const {
  csv << "table,layer,input,expert,value\n";
  if (weights_)
    for (int e = 0; e < weights_->data()->keySize(); ++e)
      for (int i = 0; i < weights_->data()->valueSize(); ++i)
        csv << "gate_weight," << layer_ << ',' << csv_field(data_->input_name(i)) << ',' << e << ',' << weights_->data()->cell(e, i) << '\n';
  for (size_t e = 0; e < logits_.size(); ++e)
    csv << "sample_" << *sample_ << "_logit," << layer_ << ",," << e << ',' << logits_[e] << '\n';
}

}  // namespace ndtmoe::views
