#pragma once
// What the QCustomPlot views share: tick labels from names, and painting a whole plot as a figure at
// the figure's size (laid out there, drawn, then restored on screen).

#include <QSharedPointer>
#include <QColor>
#include <QString>
#include <vector>

class QCustomPlot;
class QPalette;
class QCPAxisTickerText;
class QCPColorGradient;
class QCPPainter;
class QPaintDevice;
class QRect;

namespace ndtmoe::views {

// A gradient through `stops` (at least two) at equal distances.
QCPColorGradient evenly_spaced_gradient(const std::vector<QRgb>& stops);
// Viridis: perceptually uniform and readable in grey and by colour-blind readers.
QCPColorGradient viridis();
// Tick i reads names[i]; past `most_labels` names only every k-th is labelled (k the smallest step that
// keeps to the limit, from 0), so 64 experts do not print as one smear of overlapping labels.
QSharedPointer<QCPAxisTickerText> text_ticker(const std::vector<QString>& names, size_t most_labels = 16);
// Paints the plot as a figure: in the print palette (dark text on white) whatever the screen's theme,
// since a paper figure must not come out dark because the screen is.
void paint_plot_figure(QCustomPlot& plot, QPaintDevice& device, const QRect& target);
// The same with a painter already open on the device (a figure that draws more than the plot).
void paint_plot(QCustomPlot& plot, QCPPainter& painter, const QRect& target);
// Colours the plot's frame (background, axes, ticks, labels, grid, legend) from `palette`.
void apply_plot_palette(QCustomPlot& plot, const QPalette& palette);
// Keeps the plot's frame in the widget's palette, now and whenever the theme changes.
void follow_palette(QCustomPlot& plot);
QPalette print_palette();
// Shows the legend beside the axes (right of the plot's row 1) rather than over the curves, at the top
// and only as tall as its entries, in a small font.
void legend_beside(QCustomPlot& plot);

}  // namespace ndtmoe::views
