#pragma once
// The one selection every view shares: a sample, and/or a place in the model (layer, tree node, expert,
// class). A view that changes it calls one of the select_* functions; every view listens to changed().

#include <QObject>
#include <cstdint>
#include <optional>

namespace ndtmoe::views {

struct Selection {
  std::optional<int64_t> sample;
  int64_t layer = 0, tree = 0;
  std::optional<int64_t> level, node;  // a tree node (level == depth: a leaf)
  std::optional<int64_t> expert, label;
  bool operator==(const Selection& other) const;
};

class SelectionModel : public QObject {
  Q_OBJECT

 public:
  explicit SelectionModel(QObject* parent = nullptr) : QObject(parent) {}
  const Selection& current() const { return current_; }

  void select_sample(int64_t sample);
  void select_layer(int64_t layer, int64_t tree = 0);
  // A node of the current layer's tree (clears expert and class).
  void select_node(int64_t layer, int64_t tree, int64_t level, int64_t node);
  // An expert, optionally with a class: an expert x class cell (clears the node).
  void select_expert(int64_t layer, int64_t expert, std::optional<int64_t> label = std::nullopt);
  void clear_group();  // forget node, expert and class

 Q_SIGNALS:
  void changed(const ndtmoe::views::Selection& selection);

 private:
  void set(const Selection& next);
  Selection current_;
};

}  // namespace ndtmoe::views
