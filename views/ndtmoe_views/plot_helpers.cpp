#include "ndtmoe_views/plot_helpers.h"

#include <algorithm>

#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

QCPColorGradient evenly_spaced_gradient(const std::vector<QRgb>& stops) {
  QCPColorGradient g;
  g.clearColorStops();
  for (size_t i = 0; i < stops.size(); ++i) g.setColorStopAt(static_cast<double>(i) / static_cast<double>(stops.size() - 1), QColor(stops[i]));
  return g;
}

QCPColorGradient viridis() { return evenly_spaced_gradient({0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725}); }

QSharedPointer<QCPAxisTickerText> text_ticker(const std::vector<QString>& names, size_t most_labels) {
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  const size_t step = std::max<size_t>(1, (names.size() + most_labels - 1) / std::max<size_t>(1, most_labels));
  for (size_t i = 0; i < names.size(); i += step) ticker->addTick(static_cast<double>(i), names[i]);
  return ticker;
}

void paint_plot_figure(QCustomPlot& plot, QPaintDevice& device, const QRect& target) {
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  paint_plot(plot, painter, target);
}

void paint_plot(QCustomPlot& plot, QCPPainter& painter, const QRect& target) {
  painter.save();
  painter.translate(target.topLeft());
  const QSize old = plot.size();
  plot.setGeometry(QRect(plot.pos(), target.size()));
  plot.toPainter(&painter, target.width(), target.height());
  plot.setGeometry(QRect(plot.pos(), old));
  plot.replot();
  painter.restore();
}

}  // namespace ndtmoe::views
