#include "ndtmoe_views/token_lanes_view.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

constexpr int kMargin = 12, kLabelWidth = 70, kMaxCell = 44, kMinCell = 14, kGap = 16;

}  // namespace

TokenLanesView::TokenLanesView(SelectionModel& selection, QWidget* parent) : QWidget(parent), selection_(selection) {
  setMouseTracking(true);
  setMinimumHeight(120);
  connect(&selection_, &SelectionModel::changed, this, &TokenLanesView::show_selection);
}

void TokenLanesView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  sample_.reset();
  show_selection(selection_.current());
}

void TokenLanesView::show_selection(const Selection& selection) {
  token_ = selection.token;
  if (!data_ || !data_->summary().token_level() || !selection.sample) {
    sample_.reset();
  } else if (!sample_ || sample_->sample != *selection.sample) {
    try {
      sample_ = data_->sample(*selection.sample);
    } catch (const std::exception&) {
      sample_.reset();  // a damaged or missing sample: the lanes stay empty rather than wrong
    }
  }
  setMinimumHeight(patch_side() > 0 ? 2 * kMargin + 18 + 20 + 4 * patch_side() : 2 * kMargin + 18 + (layer_count() + 1) * (kMinCell + 4));
  updateGeometry();
  update();
}

QString TokenLanesView::token_text(size_t index) const {
  if (!sample_ || index >= sample_->tokens.size() || !data_) return {};
  return data_->token_name(sample_->tokens[index].value);
}

QColor TokenLanesView::box_color(int64_t expert, double weight) {
  // Blend towards white: weight 1 is the expert's full colour, weight 0 a faint tint.
  const QColor base = expert_color(expert);
  const double t = 0.15 + 0.85 * std::clamp(weight, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(1 - t + t * base.redF()), static_cast<float>(1 - t + t * base.greenF()),
                          static_cast<float>(1 - t + t * base.blueF()));
}

int TokenLanesView::layer_count() const {
  return sample_ && !sample_->tokens.empty() ? static_cast<int>(sample_->tokens.front().layers.size()) : 0;
}

int TokenLanesView::patch_side() const {
  if (!data_ || data_->summary().token_kind != "patch" || data_->image_shape().size() != 3) return 0;
  const auto side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(data_->summary().tokens))));
  return static_cast<int64_t>(side) * side == data_->summary().tokens ? side : 0;
}

QRect TokenLanesView::box_in(const QRect& target, size_t index, int64_t layer) const {
  const int layers = std::max(1, layer_count());
  const int top = target.top() + kMargin + 18;
  if (const int side = patch_side()) {
    // One copy of the image per layer, side by side, its patches at their place in the image.
    const int by_width = (target.width() - 2 * kMargin - (layers - 1) * kGap) / layers;
    const int by_height = target.height() - 2 * kMargin - 18 - 20;
    const int cell = std::max(4, std::min(by_width, by_height) / side);
    const int64_t position = sample_->tokens[index].position;
    return {target.left() + kMargin + static_cast<int>(layer) * (cell * side + kGap) + static_cast<int>(position % side) * cell,
            top + static_cast<int>(position / side) * cell, cell, cell};
  }
  // Square boxes as large as both the width (all tokens) and the height (header and every lane) allow.
  const int tokens = std::max<int>(1, static_cast<int>(sample_->tokens.size()));
  const int by_width = (target.width() - 2 * kMargin - kLabelWidth) / tokens;
  const int by_height = (target.height() - 2 * kMargin - 18) / (layers + 1) - 4;
  const int cell = std::clamp(std::min(by_width, by_height), kMinCell, kMaxCell);
  return {target.left() + kMargin + kLabelWidth + static_cast<int>(index) * cell, top + (static_cast<int>(layer) + 1) * (cell + 4), cell - 2,
          cell - 2};
}

QRect TokenLanesView::box(size_t index, int64_t layer) const { return box_in(rect(), index, layer); }

std::optional<std::pair<size_t, int64_t>> TokenLanesView::hit(const QPoint& point) const {
  if (!sample_) return std::nullopt;
  for (size_t i = 0; i < sample_->tokens.size(); ++i)
    for (int64_t l = 0; l < static_cast<int64_t>(sample_->tokens[i].layers.size()); ++l)
      if (box(i, l).contains(point)) return std::pair{i, l};
  return std::nullopt;
}

QImage TokenLanesView::sample_image() const {
  // The stored inputs are standardized pixels: stretched to the sample's own range for display.
  const auto& shape = data_->image_shape();
  const int channels = static_cast<int>(shape[0]), height = static_cast<int>(shape[1]), width = static_cast<int>(shape[2]);
  QImage image(width, height, QImage::Format_RGB32);
  const auto& pixels = sample_->inputs;
  if (static_cast<int64_t>(pixels.size()) != shape[0] * shape[1] * shape[2]) {
    image.fill(Qt::lightGray);
    return image;
  }
  const auto [low, high] = std::minmax_element(pixels.begin(), pixels.end());
  const float span = std::max(*high - *low, 1e-6f);
  const auto level = [&](int c, int y, int x) {
    return static_cast<int>(255 * (pixels[static_cast<size_t>((c * height + y) * width + x)] - *low) / span);
  };
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      image.setPixel(x, y, channels == 3 ? qRgb(level(0, y, x), level(1, y, x), level(2, y, x)) : qRgb(level(0, y, x), level(0, y, x), level(0, y, x)));
  return image;
}

void TokenLanesView::paint(QPainter& p, const QRect& target) const {
  p.fillRect(target, Qt::white);
  p.setPen(Qt::black);
  QFont title = font();
  title.setBold(true);
  p.setFont(title);
  if (!sample_ || sample_->tokens.empty()) {
    p.drawText(target, Qt::AlignCenter, data_ && !data_->summary().token_level() ? tr("This run routes whole samples, not tokens")
                                                                                  : tr("Select a sample to see its tokens"));
    return;
  }
  const bool patches = patch_side() > 0;
  p.drawText(QRect(target.left() + kMargin, target.top() + 2, target.width() - 2 * kMargin, 18), Qt::AlignLeft | Qt::AlignVCenter,
             patches ? tr("Sample %1: top-1 expert of each patch per layer (stronger = higher gate weight)").arg(sample_->sample)
                     : tr("Sample %1: top-1 expert of each token per layer (lighter = lower gate weight)").arg(sample_->sample));
  QFont normal = font();
  normal.setBold(false);
  p.setFont(normal);
  const int64_t layers = layer_count();
  const QImage image = patches ? sample_image() : QImage();
  for (int64_t l = 0; l < layers; ++l) {
    if (patches) {  // the image under the layer's patches, and the layer's name under the image
      QRect panel = box_in(target, 0, l);
      for (size_t i = 1; i < sample_->tokens.size(); ++i) panel = panel.united(box_in(target, i, l));
      p.drawImage(panel, image);
      p.setPen(Qt::black);
      p.drawText(QRect(panel.left(), panel.bottom() + 2, panel.width(), 18), Qt::AlignCenter, tr("layer %1").arg(l));
    } else {
      const QRect first = box_in(target, 0, l);
      p.setPen(Qt::black);
      p.drawText(QRect(target.left() + kMargin, first.top(), kLabelWidth - 6, first.height()), Qt::AlignRight | Qt::AlignVCenter,
                 tr("layer %1").arg(l));
    }
    for (size_t i = 0; i < sample_->tokens.size(); ++i) {
      const LayerTrace& routing = sample_->tokens[i].layers[static_cast<size_t>(l)];
      const QRect r = box_in(target, i, l);
      const double weight = routing.weights.empty() ? 1.0 : routing.weights.front();
      const bool selected = token_ && *token_ == sample_->tokens[i].position;
      if (patches) {
        QColor tint = expert_color(routing.expert);
        tint.setAlphaF(static_cast<float>(0.2 + 0.5 * std::clamp(weight, 0.0, 1.0)));
        p.fillRect(r, tint);
        p.setPen(selected ? QPen(Qt::black, 2) : QPen(QColor(255, 255, 255, 160)));
        p.drawRect(r.adjusted(0, 0, -1, -1));
        p.setPen(Qt::white);
      } else {
        p.fillRect(r, box_color(routing.expert, weight));
        p.setPen(selected ? QPen(Qt::black, 2) : QPen(QColor(0x9e9e9e)));
        p.drawRect(r);
        p.setPen(weight > 0.55 ? Qt::white : Qt::black);
      }
      p.drawText(r, Qt::AlignCenter, QString::number(routing.expert));
      if (patches || l > 0) continue;
      const QRect header(r.left(), r.top() - r.height() - 4, r.width(), r.height());  // the token over its first lane
      if (selected) p.fillRect(header, QColor(0xffe082));
      p.setPen(Qt::black);
      p.drawText(header, Qt::AlignCenter, token_text(i));
    }
  }
}

void TokenLanesView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paint(painter, rect());
}

void TokenLanesView::mousePressEvent(QMouseEvent* event) {
  if (const auto found = hit(event->pos())) {
    const TokenTrace& token = sample_->tokens[found->first];
    selection_.select_token(token.position, found->second, token.layers[static_cast<size_t>(found->second)].expert);
  }
}

bool TokenLanesView::event(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QWidget::event(event);
  auto* help = static_cast<QHelpEvent*>(event);
  const auto found = hit(help->pos());
  if (!found) {
    QToolTip::hideText();
    return true;
  }
  const TokenTrace& token = sample_->tokens[found->first];
  const LayerTrace& routing = token.layers[static_cast<size_t>(found->second)];
  QString text = tr("'%1' (position %2), layer %3").arg(token_text(found->first)).arg(token.position).arg(found->second);
  for (size_t k = 0; k < routing.experts.size() && k < routing.weights.size(); ++k)
    text += "\n" + tr("expert %1: weight %2").arg(routing.experts[k]).arg(routing.weights[k], 0, 'f', 3);
  QToolTip::showText(help->globalPos(), text, this);
  return true;
}

QString TokenLanesView::figure_name() const { return sample_ ? QString("token-lanes-sample%1").arg(sample_->sample) : "token-lanes"; }

QSize TokenLanesView::figure_size() const {
  const int layers = std::max(1, layer_count());
  if (patch_side() > 0) return {std::max(600, 2 * kMargin + layers * (220 + kGap)), 2 * kMargin + 18 + 220 + 24};
  const int tokens = sample_ ? static_cast<int>(sample_->tokens.size()) : 8;
  // At least as wide as the title line.
  return {std::max(600, 2 * kMargin + kLabelWidth + tokens * 40), 2 * kMargin + 18 + (layers + 1) * 44};
}

void TokenLanesView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  paint(painter, target);
}

void TokenLanesView::write_figure_data(QTextStream& csv) const {
  csv << "sample,position,token,layer,rank,expert,weight\n";
  if (!sample_) return;
  for (size_t i = 0; i < sample_->tokens.size(); ++i) {
    const TokenTrace& token = sample_->tokens[i];
    for (size_t l = 0; l < token.layers.size(); ++l)
      for (size_t k = 0; k < token.layers[l].experts.size() && k < token.layers[l].weights.size(); ++k)
        csv << sample_->sample << ',' << token.position << ',' << csv_field(token_text(i)) << ',' << l << ',' << k << ','
            << token.layers[l].experts[k] << ',' << token.layers[l].weights[k] << '\n';
  }
}

}  // namespace ndtmoe::views
