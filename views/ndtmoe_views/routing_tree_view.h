#pragma once
// Routing tree: one layer's soft oblivious tree laid out by Graphviz dot and drawn in a QGraphicsScene.
// Inner nodes show the inputs their level selects (entmax weights) and the crisp test in feature units;
// each node shows how many samples reach it and their classes; edge width is the share of samples
// flowing along the edge; leaves show their expert mix. Clicking a node selects the samples behind it;
// the selected sample's path is highlighted. Wheel zooms, drag pans, fit_all() fits.

#include <QGraphicsView>
#include <memory>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

class NodeItem;

class RoutingTreeView : public QGraphicsView, public Figure {
  Q_OBJECT

 public:
  explicit RoutingTreeView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  void fit_all();
  int64_t node_count() const { return static_cast<int64_t>(nodes_.size()); }
  // Highlights this trace's path (the selected sample's, or a what-if edit of it).
  void highlight(const SampleTrace& trace);
  // Nodes on the highlighted path, as (level, node).
  std::vector<std::pair<int64_t, int64_t>> highlighted() const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 protected:
  void wheelEvent(QWheelEvent* event) override;

 private:
  void rebuild();
  void show_selection(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  int64_t layer_ = -1, tree_ = -1;
  std::vector<NodeItem*> nodes_;                 // [2^level - 1 + node], leaves last
  std::vector<QGraphicsPathItem*> edges_;         // edge to node k (k >= 1) at edges_[k - 1]
  std::vector<bool> on_path_;
};

}  // namespace ndtmoe::views
