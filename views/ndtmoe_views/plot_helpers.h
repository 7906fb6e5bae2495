#pragma once
// What the QCustomPlot views share: tick labels from names, and painting a whole plot as a figure at
// the figure's size (laid out there, drawn, then restored on screen).

#include <QSharedPointer>
#include <QString>
#include <vector>

class QCustomPlot;
class QCPAxisTickerText;
class QPaintDevice;
class QRect;

namespace ndtmoe::views {

QSharedPointer<QCPAxisTickerText> text_ticker(const std::vector<QString>& names);  // tick i reads names[i]
void paint_plot_figure(QCustomPlot& plot, QPaintDevice& device, const QRect& target);

}  // namespace ndtmoe::views
