#pragma once
// Colours shared by every view, so a class or an expert has the same colour everywhere (and in figures).

#include <QColor>
#include <cstdint>

namespace ndtmoe::views {

QColor class_color(int64_t label);    // qualitative (Tableau 10, cycling)
QColor expert_color(int64_t expert);  // a second qualitative set, distinct from the class colours
QColor highlight_color();             // the selected sample's path

}  // namespace ndtmoe::views
