#include "ndtmoe_views/plot_helpers.h"

#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

QSharedPointer<QCPAxisTickerText> text_ticker(const std::vector<QString>& names) {
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (size_t i = 0; i < names.size(); ++i) ticker->addTick(static_cast<double>(i), names[i]);
  return ticker;
}

void paint_plot_figure(QCustomPlot& plot, QPaintDevice& device, const QRect& target) {
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.translate(target.topLeft());
  const QSize old = plot.size();
  plot.setGeometry(QRect(plot.pos(), target.size()));
  plot.toPainter(&painter, target.width(), target.height());
  plot.setGeometry(QRect(plot.pos(), old));
  plot.replot();
}

}  // namespace ndtmoe::views
