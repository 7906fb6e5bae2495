#pragma once
// Lays out a tree with Graphviz `dot` (cgraph + gvc): node sizes in, node centres and edge curves out,
// in scene pixels with y pointing down.

#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <utility>
#include <vector>

namespace ndtmoe::views {

struct TreeLayout {
  std::vector<QPointF> centers;      // per node
  std::vector<QPainterPath> edges;   // per edge, in input order (Graphviz's splines)
  QRectF bounds;
};

TreeLayout layout_with_dot(const std::vector<QSizeF>& node_sizes, const std::vector<std::pair<int, int>>& edges);

}  // namespace ndtmoe::views
