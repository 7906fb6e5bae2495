#include "ndtmoe_views/tree_layout.h"

#include <gvc.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace ndtmoe::views {

namespace {

// Graphviz works in points (1/72 inch) with y up; the scene uses pixels with y down, 1 px = 1 pt.
constexpr double kPointsPerInch = 72.0;

void set(void* object, const char* name, const std::string& value) {
  agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

}  // namespace

TreeLayout layout_with_dot(const std::vector<QSizeF>& node_sizes, const std::vector<std::pair<int, int>>& edges) {
  std::unique_ptr<GVC_t, int (*)(GVC_t*)> gvc(gvContext(), gvFreeContext);
  Agraph_t* graph = agopen(const_cast<char*>("tree"), Agdirected, nullptr);
  set(graph, "nodesep", "0.15");
  set(graph, "ranksep", "0.45");
  set(graph, "splines", "spline");
  set(graph, "ordering", "out");  // children in creation order: the left (bit 0) child first
  std::vector<Agnode_t*> nodes;
  for (size_t i = 0; i < node_sizes.size(); ++i) {
    Agnode_t* n = agnode(graph, const_cast<char*>(("n" + std::to_string(i)).c_str()), 1);
    set(n, "shape", "box");
    set(n, "fixedsize", "true");
    set(n, "width", std::to_string(node_sizes[i].width() / kPointsPerInch));
    set(n, "height", std::to_string(node_sizes[i].height() / kPointsPerInch));
    nodes.push_back(n);
  }
  std::vector<Agedge_t*> graph_edges;
  for (const auto& [from, to] : edges) graph_edges.push_back(agedge(graph, nodes.at(static_cast<size_t>(from)), nodes.at(static_cast<size_t>(to)), nullptr, 1));
  if (gvLayout(gvc.get(), graph, "dot") != 0) {
    agclose(graph);
    throw std::runtime_error("Graphviz could not lay out the tree");
  }
  TreeLayout layout;
  const boxf box = GD_bb(graph);
  const auto to_scene = [&](pointf p) { return QPointF(p.x - box.LL.x, box.UR.y - p.y); };
  for (Agnode_t* n : nodes) layout.centers.push_back(to_scene(ND_coord(n)));
  for (Agedge_t* e : graph_edges) {
    QPainterPath path;
    const splines* spl = ED_spl(e);
    if (spl && spl->size > 0 && spl->list[0].size >= 4) {
      const bezier& b = spl->list[0];
      path.moveTo(to_scene(b.list[0]));
      for (size_t i = 1; i + 2 < b.size; i += 3) path.cubicTo(to_scene(b.list[i]), to_scene(b.list[i + 1]), to_scene(b.list[i + 2]));
      if (b.eflag) path.lineTo(to_scene(b.ep));
    } else {
      path.moveTo(to_scene(ND_coord(agtail(e))));
      path.lineTo(to_scene(ND_coord(aghead(e))));
    }
    layout.edges.push_back(path);
  }
  layout.bounds = QRectF(0, 0, box.UR.x - box.LL.x, box.UR.y - box.LL.y);
  gvFreeLayout(gvc.get(), graph);
  agclose(graph);
  return layout;
}

}  // namespace ndtmoe::views
