#include "ndtmoe_views/selection.h"

#include <algorithm>

namespace ndtmoe::views {

bool Selection::operator==(const Selection& o) const {
  return sample == o.sample && token == o.token && layer == o.layer && tree == o.tree && item == o.item && expert == o.expert && label == o.label &&
         (group == o.group || (group && o.group && *group == *o.group));
}

std::optional<int64_t> Selection::tree_level() const {
  return item && item->kind == kTreeNode && item->index.size() == 2 ? std::optional(item->index[0]) : std::nullopt;
}

std::optional<int64_t> Selection::tree_node() const {
  return item && item->kind == kTreeNode && item->index.size() == 2 ? std::optional(item->index[1]) : std::nullopt;
}

void SelectionModel::set(const Selection& next) {
  if (next == current_) return;
  current_ = next;
  Q_EMIT changed(current_);
}

void SelectionModel::select_sample(int64_t sample) {
  Selection next = current_;
  if (next.sample != sample) next.token.reset();
  next.sample = sample;
  set(next);
}

void SelectionModel::select_token(int64_t position, int64_t layer, int64_t expert) {
  Selection next = current_;
  next.token = position;
  next.layer = layer;
  next.expert = expert;
  next.label.reset();
  next.item.reset();
  next.group.reset();
  set(next);
}

void SelectionModel::select_layer(int64_t layer, int64_t tree) {
  Selection next = current_;
  if (next.layer != layer || next.tree != tree) {
    next.item.reset();
    next.expert = next.label = std::nullopt;
  }
  next.layer = layer;
  next.tree = tree;
  set(next);
}

void SelectionModel::select_item(int64_t layer, int64_t tree, RouterItem item) {
  Selection next = current_;
  next.layer = layer;
  next.tree = tree;
  next.item = std::move(item);
  next.expert = next.label = std::nullopt;
  next.group.reset();
  set(next);
}

void SelectionModel::select_expert(int64_t layer, int64_t expert, std::optional<int64_t> label) {
  Selection next = current_;
  next.layer = layer;
  next.expert = expert;
  next.label = label;
  next.item.reset();
  next.group.reset();
  set(next);
}

void SelectionModel::select_samples(std::vector<int64_t> samples) {
  Selection next = current_;
  std::sort(samples.begin(), samples.end());
  samples.erase(std::unique(samples.begin(), samples.end()), samples.end());
  next.group = std::make_shared<const std::vector<int64_t>>(std::move(samples));
  next.item.reset();
  next.expert = next.label = std::nullopt;
  set(next);
}

void SelectionModel::clear_group() {
  Selection next = current_;
  next.item.reset();
  next.expert = next.label = std::nullopt;
  next.group.reset();
  set(next);
}

}  // namespace ndtmoe::views
