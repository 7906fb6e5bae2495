#pragma once
// Colours shared by every view, so a class or an expert has the same colour everywhere (and in figures).

#include <QColor>
#include <cstdint>
#include <vector>

namespace ndtmoe::views {

QColor class_color(int64_t label);    // qualitative (Tableau 10, cycling)
QColor expert_color(int64_t expert);  // a second qualitative set, distinct from the class colours
QColor highlight_color();             // the selected sample's path
// Blue – white – red (ColorBrewer RdBu): the sign of a weight reads at a glance, zero is white.
const std::vector<QRgb>& diverging_stops();
// The colour of `value` on that scale, symmetric about zero: -scale is the darkest blue, +scale the
// darkest red (clamped beyond).
QColor diverging_color(double value, double scale);

}  // namespace ndtmoe::views
