#pragma once
// One traced run as the views see it: the store (read-only), the run's description and the caches the
// views share, so switching views never re-reads what another view has read.

#include <QString>
#include <map>
#include <optional>
#include <memory>

#include "ndtmoe/store/trace_store.h"
#include "ndtmoe_views/store_worker.h"

namespace ndtmoe::views {

struct Selection;

class RunData {
 public:
  RunData(std::shared_ptr<TraceStore> store, int64_t run);

  TraceStore& store() { return *store_; }
  // For queries that may take long on a large store (its own connection and thread).
  StoreWorker& worker() { return *worker_; }
  int64_t run() const { return run_; }
  const RunSummary& summary() const { return summary_; }
  const RunDescription& description() const { return description_; }
  bool classification() const { return summary_.task == "classification"; }

  const std::vector<TreeNodeCount>& tree_nodes(int64_t layer, int64_t tree);
  // Per leaf (row), its samples by top-1 expert (column); see TraceStore::leaf_experts.
  const std::vector<CountCell>& leaf_experts(int64_t layer, int64_t tree);
  // With a token: `layers` are that token's routing (token-level runs).
  SampleTrace sample(int64_t id, std::optional<int64_t> token = std::nullopt);
  // The samples behind the selection's node, expert or class in its layer, with extra filters.
  SampleFilter filter_for(const Selection& selection) const;

  QString class_name(int64_t label) const;
  QString input_name(int64_t input) const;        // a router input
  QString encoded_input_name(int64_t input) const;  // a column of the encoded inputs the model reads
  // {channels, height, width} when the run's inputs are images, else empty.
  const std::vector<int64_t>& image_shape() const { return image_shape_; }
  // Byte columns of the run's text feature, 0 when its input is not text.
  int64_t text_length() const { return text_length_; }
  // A token of a token-level run by its value: the character, feature name or patch (row, column).
  QString token_name(int64_t value) const;
  // A class index or a regression value as text.
  QString value_text(double value) const;

 private:
  std::shared_ptr<TraceStore> store_;
  int64_t run_;
  RunSummary summary_;
  RunDescription description_;
  std::map<std::pair<int64_t, int64_t>, std::vector<TreeNodeCount>> nodes_;
  std::map<std::pair<int64_t, int64_t>, std::vector<CountCell>> leaf_experts_;
  std::unique_ptr<StoreWorker> worker_;
  std::vector<int64_t> image_shape_;
  int64_t text_length_ = 0;
  std::vector<QString> encoded_names_;
};

}  // namespace ndtmoe::views
