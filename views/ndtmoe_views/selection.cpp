#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

bool Selection::operator==(const Selection& o) const {
  return sample == o.sample && layer == o.layer && tree == o.tree && level == o.level && node == o.node && expert == o.expert &&
         label == o.label;
}

void SelectionModel::set(const Selection& next) {
  if (next == current_) return;
  current_ = next;
  Q_EMIT changed(current_);
}

void SelectionModel::select_sample(int64_t sample) {
  Selection next = current_;
  next.sample = sample;
  set(next);
}

void SelectionModel::select_layer(int64_t layer, int64_t tree) {
  Selection next = current_;
  if (next.layer != layer || next.tree != tree) next.level = next.node = next.expert = next.label = std::nullopt;
  next.layer = layer;
  next.tree = tree;
  set(next);
}

void SelectionModel::select_node(int64_t layer, int64_t tree, int64_t level, int64_t node) {
  Selection next = current_;
  next.layer = layer;
  next.tree = tree;
  next.level = level;
  next.node = node;
  next.expert = next.label = std::nullopt;
  set(next);
}

void SelectionModel::select_expert(int64_t layer, int64_t expert, std::optional<int64_t> label) {
  Selection next = current_;
  next.layer = layer;
  next.expert = expert;
  next.label = label;
  next.level = next.node = std::nullopt;
  set(next);
}

void SelectionModel::clear_group() {
  Selection next = current_;
  next.level = next.node = next.expert = next.label = std::nullopt;
  set(next);
}

}  // namespace ndtmoe::views
