#pragma once
// Routing tree: one layer's soft oblivious tree laid out by Graphviz dot and drawn in a QGraphicsScene.
// Inner nodes show the inputs their level selects (entmax weights) and the crisp test in feature units;
// each node shows how many samples reach it and their classes; edge width is the share of samples
// flowing along the edge; leaves show their expert mix. Clicking a node selects the samples behind it;
// the selected sample's path is highlighted. Wheel zooms, drag pans, fit_all() fits. Branches no sample
// reaches are folded into one small stub each (hide_empty, on by default), so a deep tree shows the
// part the data uses.

#include <QGraphicsView>

class QGraphicsRectItem;
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
  int64_t node_count() const { return static_cast<int64_t>(nodes_.size()); }  // drawn nodes, stubs included
  void set_hide_empty(bool hide);
  bool hide_empty() const { return hide_empty_; }
  // Levels as rows and each node as wide as its share of the samples (an icicle plot), instead of the
  // node-link drawing: for deep or wide trees.
  void set_icicle(bool icicle);
  bool icicle() const { return icicle_; }
  // Trees deeper than this are drawn compact in node-link form and shown as icicles unless the user
  // chose otherwise: beyond 64 leaves the node-link drawing is too wide to read.
  static constexpr int64_t kCompactBeyondDepth = 6;
  static bool icicle_suits(const RunSummary& run) { return run.has_trees() && run.depth > kCompactBeyondDepth; }
  // Highlights this trace's path (the selected sample's, or a what-if edit of it).
  void highlight(const SampleTrace& trace);
  // The selected sample as edited in what-if: highlighted in every layer and tree shown until it is
  // reset (nullopt) or another sample is selected.
  void show_what_if(std::optional<SampleTrace> edited);
  // Nodes on the highlighted path, as (level, node).
  std::vector<std::pair<int64_t, int64_t>> highlighted() const;

  // What the figure shows, as its caption: the encodings and, when one is outlined, whose path it is.
  QString figure_caption() const;
  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 protected:
  void wheelEvent(QWheelEvent* event) override;

 private:
  void rebuild();
  void set_drawing_option(bool& option, bool value);  // sets one of the drawing flags and redraws
  // The two layouts of rebuild(): they create nodes_ (and edges_), and return where the legend goes.
  double layout_node_link(const RouterParameters& router, const std::vector<const TreeNodeCount*>& count_of, double total);
  double layout_icicle(const RouterParameters& router, const std::vector<const TreeNodeCount*>& count_of, double total);
  // A node's text, bars and tooltip: its test (inner nodes) or its samples' experts (leaves).
  void decorate(QGraphicsRectItem* item, int64_t level, int64_t node, const TreeNodeCount* c, double total, const RouterParameters& router,
                bool compact);
  void show_selection(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  std::optional<SampleTrace> what_if_;
  int64_t layer_ = -1, tree_ = -1;
  bool hide_empty_ = true;
  bool icicle_ = false;
  std::vector<NodeItem*> nodes_;                  // drawn nodes, in level order
  std::vector<QGraphicsPathItem*> edges_;         // the edge into nodes_[i] (null for the root)
  std::vector<int> drawn_as_;                     // tree node [2^level - 1 + node] -> the nodes_ entry standing for it
  std::vector<bool> on_path_;                     // per nodes_ entry
};

}  // namespace ndtmoe::views
