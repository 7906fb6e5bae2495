#pragma once
// Traced decompositions (`ndtmoe trace --run` of what `ndtmoe decompose --out` wrote) side by side: the
// sparsity–accuracy frontier of the Mixture of Decoders paper. Per run its K, and per stand-in (the
// family's and the transcoders) the normalised MSE of the layer's outputs and the task metric of the
// spliced model, beside the original model's and the zero-ablated one's. No libtorch: the views read it.

#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct FrontierPoint {
  int64_t run = 0, k = 0;
  std::string model;  // the family's name (mxd, ...), "transcoder" or "skip-transcoder"
  double normalized_mse = 0, metric = 0;
};

struct DecompositionFrontier {
  std::string layer, metric;           // "teacher.block0.ffn"; "accuracy" or "rmse"
  std::vector<std::string> models;     // the family's stand-in, then the transcoder and the skip transcoder
  std::vector<FrontierPoint> points;   // by K, then model
  double original = 0, zero_ablated = 0;  // the metric of the model as trained and with the layer zeroed
  std::vector<int64_t> runs;           // the decompositions of `layer` among the runs given
  std::vector<int64_t> other_runs;     // runs given that are not decompositions of `layer`
  bool empty() const { return points.empty(); }
};

// The frontier of the first decomposition among `runs` (ids of `store`) and of every other run that
// decomposes the same layer of the same run. Empty when none is a decomposition; throws StoreError when
// a decomposition's record or metrics are damaged.
DecompositionFrontier decomposition_frontier(TraceStore& store, const std::vector<int64_t>& runs);

}  // namespace ndtmoe
