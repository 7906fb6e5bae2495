#pragma once
// An imoie run's experts as the trace store keeps them (the tracer stores the generated maps of the
// experts, the trace's most used first, then the unused ones, as many as fit in 64 MB): each expert's linear map from the inputs to the classes and
// its linear router, and the explicit-mode routing of a sample over them. No libtorch: the views read it.

#include <cstdint>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct StoredExperts {
  int64_t classes = 0, inputs = 0;
  std::vector<int64_t> ids;  // most used first, unused ones last
  std::vector<float> maps;   // [ids, classes + 1, inputs + 1]: class rows, then the router; bias last

  bool empty() const { return ids.empty(); }
  int64_t slot_of(int64_t expert) const;  // the expert's index in `ids`, -1 when not stored
  // Output `output` (a class, or `classes` for the router) of the expert in `slot`: the weight of
  // input `input`, or its bias for input == inputs.
  float weight(int64_t slot, int64_t output, int64_t input) const;
  // w·x + b of that output for the encoded inputs x.
  double score(int64_t slot, int64_t output, const std::vector<float>& x) const;
};

// Empty when the run stores no generated experts for the layer; throws StoreError when the stored
// tensors disagree in shape.
StoredExperts stored_experts(const RunDescription& run, int64_t layer = 0);

// Explicit mode over the stored experts: the `top` largest router scores for x, softmax-weighted. When
// the store keeps every expert (2^L of them) this is the explicit model's routing exactly.
struct ExplicitRoute {
  int64_t expert = 0;
  double score = 0, weight = 0;
};
std::vector<ExplicitRoute> explicit_routes(const StoredExperts& experts, const std::vector<float>& x, int64_t top);

}  // namespace ndtmoe
