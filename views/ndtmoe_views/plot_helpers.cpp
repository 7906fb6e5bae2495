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
  plot.setGeometry(QRect(plot.pos(), target.size()));  // replots at once, in the screen's palette
  apply_plot_palette(plot, print_palette());
  plot.toPainter(&painter, target.width(), target.height());
  plot.setGeometry(QRect(plot.pos(), old));
  apply_plot_palette(plot, plot.palette());
  plot.replot();
  painter.restore();
}

QPalette print_palette() {
  QPalette light(QColor(0xf0f0f0));
  light.setColor(QPalette::Base, Qt::white);
  light.setColor(QPalette::Text, Qt::black);
  light.setColor(QPalette::WindowText, Qt::black);
  light.setColor(QPalette::Mid, QColor(0xdcdcdc));
  return light;
}

void apply_plot_palette(QCustomPlot& plot, const QPalette& palette) {
  const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
  // Grid lines a step from the background towards the text, so they recede in either theme.
  const QColor grid = QColor::fromRgbF(0.85f * base.redF() + 0.15f * text.redF(), 0.85f * base.greenF() + 0.15f * text.greenF(),
                                       0.85f * base.blueF() + 0.15f * text.blueF());
  plot.setBackground(base);
  for (QCPAxisRect* rect : plot.axisRects())
    for (QCPAxis* axis : rect->axes()) {
      axis->setBasePen(QPen(text, 0));
      axis->setTickPen(QPen(text, 0));
      axis->setSubTickPen(QPen(text, 0));
      axis->setTickLabelColor(text);
      axis->setLabelColor(text);
      axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
      axis->grid()->setZeroLinePen(QPen(grid, 0));
    }
  // The default legend and any a view placed in the layout itself; titles at any depth of the layout.
  std::vector<QCPLegend*> legends;
  if (plot.legend) legends.push_back(plot.legend);
  for (QCPLayoutElement* element : plot.plotLayout()->elements(true)) {
    if (auto* legend = qobject_cast<QCPLegend*>(element); legend && legend != plot.legend) legends.push_back(legend);
    if (auto* title = qobject_cast<QCPTextElement*>(element)) title->setTextColor(text);
  }
  for (QCPLegend* legend : legends) {
    legend->setBrush(base);
    legend->setTextColor(text);
    legend->setBorderPen(QPen(grid, 0));
  }
}

namespace {

// Redraws its plot when the widget's palette changes (View ▸ Preferences ▸ theme).
class PaletteFollower : public QObject {
 public:
  explicit PaletteFollower(QCustomPlot& plot) : QObject(&plot), plot_(plot) {}
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == &plot_ && event->type() == QEvent::PaletteChange) plot_.replot();
    return false;
  }

 private:
  QCustomPlot& plot_;
};

}  // namespace

void follow_palette(QCustomPlot& plot) {
  // Before every replot, so axes and legends a view adds later are coloured too.
  QObject::connect(&plot, &QCustomPlot::beforeReplot, &plot, [&plot] { apply_plot_palette(plot, plot.palette()); });
  plot.installEventFilter(new PaletteFollower(plot));
  apply_plot_palette(plot, plot.palette());
}

void legend_beside(QCustomPlot& plot) {
  plot.legend->setVisible(true);
  QFont small = plot.font();
  small.setPointSizeF(7.5);
  plot.legend->setFont(small);
  plot.axisRect()->insetLayout()->take(plot.legend);
  auto* side = new QCPLayoutGrid;
  plot.plotLayout()->addElement(1, 1, side);
  side->addElement(0, 0, plot.legend);
  side->addElement(1, 0, new QCPLayoutElement(&plot));  // a spacer below takes the rest of the column
  side->setRowStretchFactor(0, 0.001);
  side->setRowStretchFactor(1, 1);
  side->setMargins(QMargins(0, 0, 0, 0));
  plot.plotLayout()->setColumnStretchFactor(1, 0.001);
  plot.legend->setMargins(QMargins(4, 2, 4, 2));
  plot.legend->setRowSpacing(0);
}

}  // namespace ndtmoe::views
