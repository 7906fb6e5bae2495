#include "ndtmoe_views/decoder_experts_view.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

constexpr double kMargin = 8, kTitle = 22, kRow = 22, kGap = 8, kLegend = 20;
constexpr int kMostRows = 40, kFigureRows = 12, kFigureWidth = 760;

}  // namespace

struct DecoderExpertsView::Layout {
  QRectF target;
  double label_w = 0, classes_w = 0;  // labels as wide as the widest; a narrow figure wraps its texts
  double explain_h = 0, legend_h = 0;
  double strip_x = 0, strip_w = 0, classes_x = 0;
  double sample_top = 0, list_title_top = 0, list_top = 0, legend_top = 0;
  int rows = 0;
  double row_y(int row) const { return list_top + row * kRow; }
};

DecoderExpertsView::DecoderExpertsView(SelectionModel& selection, QWidget* parent) : QWidget(parent), selection_(selection) {
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  connect(&selection_, &SelectionModel::changed, this, &DecoderExpertsView::show_selection);
}

void DecoderExpertsView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  sample_.reset();
  token_.reset();
  load_layer(0);
  show_selection(selection_.current());
}

void DecoderExpertsView::load_layer(int64_t layer) {
  experts_ = {};
  message_.clear();
  if (!data_) return;
  try {
    experts_ = decoder_experts(data_->store(), data_->run(), data_->description(), layer);
  } catch (const StoreError& e) {
    experts_ = {};
    message_ = QString::fromStdString(e.what());
  }
  if (experts_.empty() && message_.isEmpty()) message_ = tr("This run stores no decoder experts (family mxd)");
  scale_ = 1e-12;
  for (float v : experts_.modulations) scale_ = std::max(scale_, static_cast<double>(std::abs(v)));
  updateGeometry();
}

DecoderExpertsView::Layout DecoderExpertsView::layout(const QRect& target) const {
  Layout l;
  l.target = target;
  const QFontMetricsF metrics(label_font());
  double widest = metrics.horizontalAdvance(mixture_label());
  for (size_t k = 0; k < sample_experts_.size(); ++k) widest = std::max(widest, metrics.horizontalAdvance(sample_label(k)));
  for (size_t row = 0; row < experts_.by_use.size() && row < static_cast<size_t>(kMostRows); ++row)
    widest = std::max(widest, metrics.horizontalAdvance(list_label(experts_.by_use[row])));
  l.label_w = std::clamp(widest + 2 * kGap, 60.0, 0.45 * target.width());  // slack for a figure's own font metrics
  const double wide = target.width() - 2 * kMargin;
  const auto wrapped = [&](const QString& text) { return std::max(kTitle, metrics.boundingRect(QRectF(0, 0, wide, 1e6), Qt::TextWordWrap, text).height() + 6); };
  l.explain_h = wrapped(explanation());
  l.legend_h = wrapped(legend()) + (data_ && data_->classification() ? kLegend : 0.0);
  const bool classes = data_ && data_->classification();
  l.classes_w = classes ? std::min(130.0, 0.2 * target.width()) : 0.0;
  l.strip_x = target.left() + kMargin + l.label_w;
  l.classes_x = target.right() - kMargin - l.classes_w;
  l.strip_w = std::max(40.0, l.classes_x - (classes ? kGap : 0) - l.strip_x);
  l.sample_top = target.top() + kMargin + kTitle + l.explain_h;
  const double sample_height = sample_ ? kTitle + static_cast<double>(sample_experts_.size() + 1) * kRow + kGap : 0.0;
  l.list_title_top = l.sample_top + sample_height;
  l.list_top = l.list_title_top + kTitle;
  const int fit = static_cast<int>(std::floor((target.bottom() - kMargin - l.legend_h - l.list_top) / kRow));
  l.rows = std::clamp(fit, 1, std::min<int>(kMostRows, static_cast<int>(experts_.by_use.size())));
  l.legend_top = l.row_y(l.rows) + kGap / 2;
  return l;
}

std::vector<int64_t> DecoderExpertsView::listed_experts(const QRect& target) const {
  if (experts_.empty()) return {};
  const Layout l = layout(target);
  std::vector<int64_t> listed;
  for (int row = 0; row < l.rows; ++row) listed.push_back(experts_.by_use[static_cast<size_t>(row)].expert);
  return listed;
}

QRectF DecoderExpertsView::strip_cell(const QRect& target, int row, int output) const {
  const Layout l = layout(target);
  const double cell = l.strip_w / static_cast<double>(std::max<int64_t>(1, experts_.width));
  return QRectF(l.strip_x + output * cell, l.row_y(row) + 2, cell, kRow - 4);
}

QFont DecoderExpertsView::label_font() const {
  QFont f = font();
  f.setPointSizeF(9);
  return f;
}

QString DecoderExpertsView::list_label(const DecoderExpert& e) const {
  return tr("E%1  %2%  a %3").arg(e.expert).arg(100 * e.share, 0, 'f', 1).arg(e.mean_gate, 0, 'f', 2);
}

QString DecoderExpertsView::sample_label(size_t k) const { return tr("E%1  a = %2").arg(sample_experts_[k]).arg(sample_gates_[k], 0, 'f', 3); }

QString DecoderExpertsView::mixture_label() const {
  return tr("Σ a·ĉ, |·| ≤ %1").arg(std::max(largest_magnitude(mixture_), 1e-12), 0, 'f', 2);
}

QString DecoderExpertsView::explanation() const {
  return tr("Expert n is the shared decoder scaled by ĉ_n over the layer's %1 outputs: blue < 0 < red, |ĉ| up to %2").arg(experts_.width).arg(scale_, 0, 'f', 2);
}

QString DecoderExpertsView::legend() const {
  const QString numbers = tr("Beside each expert: its share of the %1 routed rows that chose it and its mean gate value a").arg(experts_.routed_rows);
  return data_ && data_->classification() ? numbers + tr("; the bar: the classes of those rows") : numbers;
}

int DecoderExpertsView::height_for(int width, int rows) const {
  const Layout l = layout(QRect(0, 0, width, 100000));
  rows = std::min<int>(rows, static_cast<int>(experts_.by_use.size()));
  return static_cast<int>(std::ceil(l.list_top + rows * kRow + kGap / 2 + l.legend_h + kMargin));
}

QSize DecoderExpertsView::minimumSizeHint() const {
  if (experts_.empty()) return {400, 160};
  return {400, height_for(std::max(width(), 400), kMostRows)};  // every listed expert: the workbench scrolls them
}

void DecoderExpertsView::paint_row(QPainter& painter, const Layout& l, double y, const QString& label, const std::vector<double>& values,
                                   double scale, const DecoderExpert* use, bool selected) const {
  const double left = l.target.left() + kMargin;
  if (selected) painter.fillRect(QRectF(left - 2, y, l.target.width() - 2 * kMargin + 4, kRow), QColor(255, 235, 235));
  painter.setPen(selected ? highlight_color() : Qt::black);
  painter.drawText(QRectF(left, y, l.label_w - kGap, kRow), Qt::AlignLeft | Qt::AlignVCenter,
                   painter.fontMetrics().elidedText(label, Qt::ElideRight, static_cast<int>(l.label_w - kGap)));
  const QRectF strip(l.strip_x, y + 2, l.strip_w, kRow - 4);
  const double cell = strip.width() / static_cast<double>(std::max<size_t>(1, values.size()));
  for (size_t i = 0; i < values.size(); ++i)
    painter.fillRect(QRectF(strip.left() + static_cast<double>(i) * cell, strip.top(), cell + 0.5, strip.height()), diverging_color(values[i], scale));
  painter.setPen(QColor(0xcccccc));
  painter.drawRect(strip);
  if (!use || use->classes.empty() || use->rows == 0) return;
  // The classes of the rows that chose the expert, as one stacked bar.
  const QRectF bar(l.classes_x, y + 4, l.classes_w, kRow - 8);
  double x = bar.left();
  for (size_t c = 0; c < use->classes.size(); ++c) {
    const double w = bar.width() * static_cast<double>(use->classes[c]) / static_cast<double>(use->rows);
    painter.fillRect(QRectF(x, bar.top(), w, bar.height()), class_color(static_cast<int64_t>(c)));
    x += w;
  }
  painter.drawRect(bar);
}

void DecoderExpertsView::paint(QPainter& painter, const QRect& target) const {
  painter.fillRect(target, Qt::white);
  painter.setPen(Qt::black);
  const QFont font = label_font();
  painter.setFont(font);
  if (experts_.empty()) {
    painter.drawText(target, Qt::AlignCenter | Qt::TextWordWrap, message_);
    return;
  }
  const Layout l = layout(target);
  const double left = target.left() + kMargin, wide = target.width() - 2 * kMargin;
  QFont bold = font;
  bold.setBold(true);
  painter.setFont(bold);
  const auto line = [&](double y, const QString& text) {
    painter.drawText(QRectF(left, y, wide, kTitle), Qt::AlignLeft | Qt::AlignVCenter, painter.fontMetrics().elidedText(text, Qt::ElideRight, static_cast<int>(wide)));
  };
  line(target.top() + kMargin, tr("Layer %1: %2 decoder experts, top-%3").arg(experts_.layer).arg(experts_.experts).arg(data_->summary().top_k));
  painter.setFont(font);
  const auto wrapped = [&](double y, double height, const QString& text) {
    painter.drawText(QRectF(left, y, wide, height), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, text);
  };
  wrapped(target.top() + kMargin + kTitle, l.explain_h, explanation());
  const auto use_of = [&](int64_t expert) -> const DecoderExpert* {
    for (const DecoderExpert& e : experts_.by_use)
      if (e.expert == expert) return &e;
    return nullptr;
  };
  if (sample_) {
    line(l.sample_top, sample_title_);
    double y = l.sample_top + kTitle;
    for (size_t k = 0; k < sample_experts_.size(); ++k, y += kRow) {
      const int64_t expert = sample_experts_[k];
      paint_row(painter, l, y, sample_label(k), experts_.modulation(expert), scale_,
                use_of(expert), selected_expert_ == expert);
    }
    const double mixture_scale = std::max(largest_magnitude(mixture_), 1e-12);
    paint_row(painter, l, y, mixture_label(), mixture_, mixture_scale, nullptr, false);
  }
  painter.setFont(bold);
  painter.setPen(Qt::black);
  line(l.list_title_top, tr("By use (%1 of %2 never chosen)").arg(experts_.unused()).arg(experts_.experts));
  painter.setFont(font);
  for (int row = 0; row < l.rows; ++row) {
    const DecoderExpert& e = experts_.by_use[static_cast<size_t>(row)];
    paint_row(painter, l, l.row_y(row), list_label(e),
              experts_.modulation(e.expert), scale_, &e, selected_expert_ == e.expert);
  }
  painter.setPen(Qt::black);
  const double text_h = l.legend_h - (data_->classification() ? kLegend : 0.0);
  wrapped(l.legend_top, text_h, legend());
  if (!data_->classification()) return;
  // The class colours of the bars.
  double x = left;
  const auto& classes = data_->description().classes;
  const double top = l.legend_top + text_h;
  for (size_t c = 0; c < classes.size() && x < target.right() - kMargin - 20; ++c) {
    const QString name = data_->class_name(static_cast<int64_t>(c));
    const double w = painter.fontMetrics().horizontalAdvance(name) + 22;
    if (c > 0 && x + w > target.right() - kMargin) break;
    painter.fillRect(QRectF(x, top + 5, 10, 10), class_color(static_cast<int64_t>(c)));
    painter.drawText(QRectF(x + 14, top, w, kLegend), Qt::AlignLeft | Qt::AlignVCenter, name);
    x += w;
  }
}

void DecoderExpertsView::show_selection(const Selection& selection) {
  if (!data_) return;
  if (selection.layer != experts_.layer && selection.layer < data_->summary().layers) load_layer(selection.layer);
  selected_expert_ = selection.expert;
  sample_ = selection.sample;
  token_ = selection.token;
  sample_experts_.clear();
  sample_gates_.clear();
  mixture_.clear();
  if (sample_ && !experts_.empty()) {
    try {
      const SampleTrace trace = data_->sample(*sample_, data_->summary().token_level() ? token_ : std::nullopt);
      const size_t layer = static_cast<size_t>(experts_.layer);
      if (layer < trace.layers.size()) {
        const LayerTrace& routed = trace.layers[layer];
        for (size_t k = 0; k < routed.experts.size() && k < routed.weights.size(); ++k)
          if (routed.experts[k] >= 0) {
            sample_experts_.push_back(routed.experts[k]);
            sample_gates_.push_back(routed.weights[k]);
          }
      }
      mixture_ = experts_.mixture(sample_experts_, sample_gates_);
      QString token;
      if (data_->summary().token_level() && !trace.tokens.empty()) {
        for (const TokenTrace& t : trace.tokens)
          if (t.position == token_.value_or(trace.tokens.front().position)) token = tr(", token %1 “%2”").arg(t.position).arg(data_->token_name(t.value));
      }
      sample_title_ = tr("Sample %1 (%2, predicted %3)%4: its experts and gate values")
                          .arg(*sample_)
                          .arg(trace.label ? data_->class_name(*trace.label) : data_->value_text(trace.target))
                          .arg(data_->value_text(trace.prediction))
                          .arg(token);
    } catch (const StoreError& e) {
      sample_title_ = tr("Sample %1 could not be read: %2").arg(*sample_).arg(QString::fromStdString(e.what()));
    }
  }
  updateGeometry();
  update();
}

void DecoderExpertsView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paint(painter, rect());
}

void DecoderExpertsView::mousePressEvent(QMouseEvent* event) {
  if (experts_.empty()) return;
  const Layout l = layout(rect());
  const double y = event->position().y();
  const double sample_rows = l.sample_top + kTitle;
  if (sample_ && y >= sample_rows && y < sample_rows + static_cast<double>(sample_experts_.size()) * kRow) {
    selection_.select_expert(experts_.layer, sample_experts_[static_cast<size_t>((y - sample_rows) / kRow)]);
    return;
  }
  if (y < l.list_top) return;
  const int row = static_cast<int>((y - l.list_top) / kRow);
  if (row < l.rows) selection_.select_expert(experts_.layer, experts_.by_use[static_cast<size_t>(row)].expert);
}

QString DecoderExpertsView::figure_name() const {
  const QString name = QString("mxd-experts-layer%1").arg(experts_.layer);
  return sample_ ? name + QString("-sample%1").arg(*sample_) : name;
}

QSize DecoderExpertsView::figure_size() const {
  if (experts_.empty()) return {600, 200};
  return {kFigureWidth, height_for(kFigureWidth, kFigureRows)};
}

int DecoderExpertsView::figure_height(int width) const { return experts_.empty() ? -1 : height_for(width, kFigureRows); }

void DecoderExpertsView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  paint(painter, target);
}

void DecoderExpertsView::write_figure_data(QTextStream& csv) const {
  csv << "table,expert,index,value\n";
  const auto modulation = [&](int64_t expert) {
    const std::vector<double> c = experts_.modulation(expert);
    for (size_t i = 0; i < c.size(); ++i) csv << "modulation," << expert << ',' << i << ',' << c[i] << '\n';
  };
  for (size_t k = 0; k < sample_experts_.size(); ++k) {
    csv << "sample_" << *sample_ << "_gate," << sample_experts_[k] << ",," << sample_gates_[k] << '\n';
    modulation(sample_experts_[k]);
  }
  for (size_t i = 0; i < mixture_.size(); ++i) csv << "sample_" << *sample_ << "_mixture,," << i << ',' << mixture_[i] << '\n';
  for (int64_t expert : listed_experts(QRect(QPoint(0, 0), figure_size()))) {
    const auto e = std::find_if(experts_.by_use.begin(), experts_.by_use.end(), [&](const DecoderExpert& d) { return d.expert == expert; });
    csv << "share," << expert << ",," << e->share << '\n' << "mean_gate," << expert << ",," << e->mean_gate << '\n';
    for (size_t c = 0; c < e->classes.size(); ++c) csv << "class_rows," << expert << ',' << csv_field(data_->class_name(static_cast<int64_t>(c))) << ',' << e->classes[c] << '\n';
    modulation(expert);
  }
}

}  // namespace ndtmoe::views
