#include "ndtmoe_views/path_figure.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

constexpr double kPanelWidth = 230, kPanelHeight = 150, kGap = 12, kHeader = 30;
constexpr int kBins = 20;
const QColor kLeftBars(0x9ecae1), kRightBars(0xfdae6b), kInk(0x222222), kMuted(0x777777);

void text(QPainter& painter, const QRectF& box, const QString& s, double points, bool bold = false, int align = Qt::AlignLeft | Qt::AlignTop,
          const QColor& color = kInk) {
  QFont font = painter.font();
  font.setPointSizeF(points);
  font.setBold(bold);
  painter.setFont(font);
  painter.setPen(color);
  painter.drawText(box, align, QFontMetricsF(font).elidedText(s, Qt::ElideMiddle, box.width()));
}

QString number(double v) { return QString::number(v, 'g', 4); }

NodeHistogram make_histogram(const std::vector<float>& values, double threshold, double marked) {
  NodeHistogram h;
  h.samples = static_cast<int64_t>(values.size());
  double lo = std::min(threshold, marked), hi = std::max(threshold, marked);
  for (float v : values) {
    lo = std::min(lo, static_cast<double>(v));
    hi = std::max(hi, static_cast<double>(v));
  }
  const double width = hi > lo ? (hi - lo) / kBins : 1.0;
  // Bins aligned so the threshold is an edge: every bar lies wholly on one side of the test.
  const double first = threshold - std::ceil((threshold - lo) / width + 1e-9) * width;
  const int bins = static_cast<int>(std::ceil((hi - first) / width + 1e-9));
  for (int b = 0; b <= std::max(1, bins); ++b) h.edges.push_back(first + b * width);
  h.counts.assign(h.edges.size() - 1, 0);
  for (float v : values) {
    const auto b = static_cast<size_t>(std::clamp((static_cast<double>(v) - first) / width, 0.0, static_cast<double>(h.counts.size() - 1)));
    ++h.counts[b];
  }
  return h;
}

}  // namespace

QSize PathFigure::size(const DecisionPath& path) const {
  size_t rows = 0, columns = 1;
  for (const PathLayer& layer : path.layers) {
    const size_t trees = layer.leaf_probs.size();
    const size_t depth = trees > 0 ? layer.levels.size() / trees : 0;
    rows += std::max<size_t>(1, trees);
    columns = std::max(columns, depth + (trees > 0 ? 2 : 1));
  }
  return QSizeF(kGap + columns * (kPanelWidth + kGap), kHeader + rows * (kPanelHeight + kGap)).toSize();
}

const NodeHistogram& PathFigure::histogram(RunData& data, const DecisionPath& path, size_t layer, const PathLevel& level) {
  const PathLayer& l = path.layers.at(layer);
  const int64_t leaf = l.top_leaves.at(static_cast<size_t>(level.tree));
  const int64_t node = leaf & ((int64_t{1} << level.level) - 1);  // the node of this level on the path
  const auto key = std::make_tuple(data.run(), l.layer, level.tree, level.level, node);
  auto it = histograms_.find(key);
  if (it == histograms_.end()) {
    const std::vector<float> values = data.store().node_split_values(data.run(), l.layer, level.tree, level.level, node);
    it = histograms_.emplace(key, make_histogram(values, level.threshold, level.value)).first;
  }
  return it->second;
}

void PathFigure::paint_level(QPainter& painter, const QRectF& box, RunData& data, const DecisionPath& path, size_t layer, const PathLevel& level) {
  const NodeHistogram& h = histogram(data, path, layer, level);
  text(painter, QRectF(box.left(), box.top(), box.width(), 14), QObject::tr("level %1 · n = %2").arg(level.level).arg(h.samples), 8, true);
  QStringList parts;
  for (const SelectedInput& in : level.selected) parts << number(in.weight) + "·" + QString::fromStdString(in.name);
  text(painter, QRectF(box.left(), box.top() + 15, box.width(), 13), parts.join(" + ") + " > " + number(level.threshold), 7);
  const QRectF plot(box.left() + 2, box.top() + 32, box.width() - 4, box.height() - 32 - 40);
  const double lo = h.edges.front(), hi = h.edges.back();
  const auto x_of = [&](double v) { return plot.left() + (v - lo) / (hi - lo) * plot.width(); };
  const int64_t top = std::max<int64_t>(1, *std::max_element(h.counts.begin(), h.counts.end()));
  painter.setPen(Qt::NoPen);
  for (size_t b = 0; b < h.counts.size(); ++b) {
    const double height = plot.height() * static_cast<double>(h.counts[b]) / static_cast<double>(top);
    painter.setBrush((h.edges[b] + h.edges[b + 1]) / 2 > level.threshold ? kRightBars : kLeftBars);
    painter.drawRect(QRectF(x_of(h.edges[b]), plot.bottom() - height, x_of(h.edges[b + 1]) - x_of(h.edges[b]) - 0.5, height));
  }
  painter.setPen(QPen(kMuted, 0.8));
  painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()));
  painter.setPen(QPen(kInk, 1.0, Qt::DashLine));
  painter.drawLine(QPointF(x_of(level.threshold), plot.top() - 2), QPointF(x_of(level.threshold), plot.bottom()));
  // The sample: a triangle under the axis at its value.
  const double x = x_of(level.value);
  painter.setPen(Qt::NoPen);
  painter.setBrush(highlight_color());
  painter.drawPolygon(QPolygonF({QPointF(x, plot.bottom() + 1), QPointF(x - 5, plot.bottom() + 9), QPointF(x + 5, plot.bottom() + 9)}));
  text(painter, QRectF(box.left(), plot.bottom() + 10, box.width(), 13),
       QObject::tr("%1 → %2, p(right) = %3").arg(number(level.value), level.right ? QObject::tr("right") : QObject::tr("left")).arg(level.decision, 0, 'f', 2), 7.5);
  if (level.feature)
    text(painter, QRectF(box.left(), plot.bottom() + 23, box.width(), 13),
         QString("%1 = %2 %3 %4").arg(QString::fromStdString(*level.feature), number(level.feature_value), level.right ? ">" : "≤", number(level.feature_threshold)),
         7.5, false, Qt::AlignLeft | Qt::AlignTop, kMuted);
}

void PathFigure::paint(QPainter& painter, const QRectF& target, RunData& data, const DecisionPath& path) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(target, Qt::white);
  const QSizeF natural = size(path);
  const double scale = std::min(target.width() / natural.width(), target.height() / natural.height());
  painter.translate(target.topLeft());
  painter.scale(scale, scale);
  const SampleTrace& s = path.sample;
  QString header = QObject::tr("Sample %1 (%2): student %3").arg(s.sample).arg(QString::fromStdString(s.split), data.value_text(s.prediction));
  if (s.label) header += QObject::tr(", label %1").arg(data.class_name(*s.label));
  header += QObject::tr(". Histograms: the values each node's samples were tested on (blue went left, orange right); "
                        "dashed: the threshold; triangle: this sample.");
  text(painter, QRectF(kGap, 6, natural.width() - 2 * kGap, kHeader - 6), header, 8);
  double y = kHeader;
  for (size_t l = 0; l < path.layers.size(); ++l) {
    const PathLayer& layer = path.layers[l];
    const size_t trees = layer.leaf_probs.size();
    const size_t depth = trees > 0 ? layer.levels.size() / trees : 0;
    for (size_t t = 0; t < std::max<size_t>(1, trees); ++t) {
      double x = kGap;
      text(painter, QRectF(x, y, 200, 12), QObject::tr("Layer %1").arg(layer.layer) + (trees > 1 ? QObject::tr(", tree %1").arg(t) : QString()), 8, true,
           Qt::AlignLeft | Qt::AlignTop, kMuted);
      for (size_t i = 0; i < depth; ++i) {
        paint_level(painter, QRectF(x, y + 14, kPanelWidth, kPanelHeight - 14), data, path, l, layer.levels[t * depth + i]);
        x += kPanelWidth + kGap;
      }
      if (trees > 0) {  // the leaf probabilities, the most probable leaf in the highlight colour
        const std::vector<double>& probs = layer.leaf_probs[t];
        text(painter, QRectF(x, y + 14, kPanelWidth, 14), QObject::tr("leaves: p = %1 at leaf %2").arg(probs.empty() ? 0.0 : probs[static_cast<size_t>(layer.top_leaves[t])], 0, 'f', 2).arg(layer.top_leaves[t]), 8, true);
        const QRectF bars(x + 2, y + 34, kPanelWidth - 4, kPanelHeight - 34 - 22);
        const double w = bars.width() / static_cast<double>(std::max<size_t>(1, probs.size()));
        for (size_t k = 0; k < probs.size(); ++k) {
          painter.setPen(Qt::NoPen);
          painter.setBrush(static_cast<int32_t>(k) == layer.top_leaves[t] ? highlight_color() : QColor(0xbdbdbd));
          painter.drawRect(QRectF(bars.left() + k * w, bars.bottom() - bars.height() * probs[k], std::max(1.0, w - 1), bars.height() * probs[k]));
          if (probs.size() <= 16) text(painter, QRectF(bars.left() + k * w, bars.bottom() + 2, w, 12), QString::number(k), 7, false, Qt::AlignHCenter | Qt::AlignTop, kMuted);
        }
        painter.setPen(QPen(kMuted, 0.8));
        painter.drawLine(bars.bottomLeft(), bars.bottomRight());
        x += kPanelWidth + kGap;
      }
      if (t == 0) {  // the layer's chosen experts and their weights
        text(painter, QRectF(x, y + 14, kPanelWidth, 14), QObject::tr("experts (weights)"), 8, true);
        for (size_t k = 0; k < layer.experts.size(); ++k) {
          const QRectF row(x, y + 34 + 18.0 * k, kPanelWidth, 16);
          text(painter, QRectF(row.left(), row.top(), 34, 16), QObject::tr("E%1").arg(layer.experts[k]), 8);
          painter.setPen(Qt::NoPen);
          painter.setBrush(expert_color(layer.experts[k]));
          painter.drawRect(QRectF(row.left() + 36, row.top() + 3, (kPanelWidth - 80) * layer.weights[k], 10));
          text(painter, QRectF(row.left() + 40 + (kPanelWidth - 80) * layer.weights[k], row.top(), 40, 16), QString::number(layer.weights[k], 'f', 2), 7.5);
        }
      }
      y += kPanelHeight + kGap;
    }
  }
  painter.restore();
}

}  // namespace ndtmoe::views
