#pragma once
// The one selection every view shares: a sample, and/or a place in the model (layer, an item of the
// layer's router, expert, class). A view that changes it calls one of the select_* functions; every view
// listens to changed().

#include <QObject>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ndtmoe::views {

// A part of a layer's router that a routing panel selects, to list the samples it holds. The ndt family's
// parts are tree nodes (kind kTreeNode, index {level, node}; level == depth: a leaf); another family's
// panel names its parts with a kind of its own.
struct RouterItem {
  std::string kind;
  std::vector<int64_t> index;
  bool operator==(const RouterItem& other) const { return kind == other.kind && index == other.index; }
  bool operator!=(const RouterItem& other) const { return !(*this == other); }
};
inline constexpr const char* kTreeNode = "tree-node";

struct Selection {
  std::optional<int64_t> sample;
  std::optional<int64_t> token;  // token-level runs: position of the selected sample's token whose routing views show
  int64_t layer = 0, tree = 0;  // tree: which of the layer's trees the routing panel shows
  std::optional<RouterItem> item;
  std::optional<int64_t> expert, label;
  // A group of samples chosen by hand (a lasso in the embedding view), ascending; shared, not copied.
  std::shared_ptr<const std::vector<int64_t>> group;
  bool operator==(const Selection& other) const;
  // The selected tree node's level and node, when the item is one.
  std::optional<int64_t> tree_level() const;
  std::optional<int64_t> tree_node() const;
};

class SelectionModel : public QObject {
  Q_OBJECT

 public:
  explicit SelectionModel(QObject* parent = nullptr) : QObject(parent) {}
  const Selection& current() const { return current_; }

  void select_sample(int64_t sample);  // (its first token)
  // A token of the selected sample, and the expert it took in `layer` (the expert's tokens are listed).
  void select_token(int64_t position, int64_t layer, int64_t expert);
  void select_layer(int64_t layer, int64_t tree = 0);
  // An item of a layer's router (clears expert and class); select_node for a tree node.
  void select_item(int64_t layer, int64_t tree, RouterItem item);
  void select_node(int64_t layer, int64_t tree, int64_t level, int64_t node) { select_item(layer, tree, {kTreeNode, {level, node}}); }
  // An expert, optionally with a class: an expert x class cell (clears the node).
  void select_expert(int64_t layer, int64_t expert, std::optional<int64_t> label = std::nullopt);
  // A hand-picked group of samples (clears item, expert and class).
  void select_samples(std::vector<int64_t> samples);
  void clear_group();  // forget item, expert, class and hand-picked samples

 Q_SIGNALS:
  void changed(const ndtmoe::views::Selection& selection);

 private:
  void set(const Selection& next);
  Selection current_;
};

}  // namespace ndtmoe::views
