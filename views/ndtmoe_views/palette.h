#pragma once
// Colours shared by every view, so a class or an expert has the same colour everywhere (and in figures).

#include <QColor>
#include <cstdint>
#include <vector>

namespace ndtmoe::views {

QColor class_color(int64_t label);    // qualitative, colour-blind safe (Okabe–Ito, cycling after 8)
QColor expert_color(int64_t expert);  // a second colour-blind-safe set, far from every class colour (cycling after 8)
QColor highlight_color();             // the selected sample's path
// Blue – white – red (ColorBrewer RdBu): the sign of a weight reads at a glance, zero is white.
const std::vector<QRgb>& diverging_stops();
// The colour of `value` on that scale, symmetric about zero: -scale is the darkest blue, +scale the
// darkest red (clamped beyond).
QColor diverging_color(double value, double scale);
// The largest |value|: the scale of values drawn on that scale together (0 for none).
double largest_magnitude(const std::vector<double>& values);

}  // namespace ndtmoe::views
