#pragma once
// The analyses behind `ndtmoe explain` and the workbench's importance views, run on a traced run and
// stored in the trace store with their method and parameters. Model-based methods load the run's
// checkpoint from its run directory; every method reads the samples from the store.

#include <optional>
#include <string>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct ExplainOptions {
  std::string method;                 // permutation, integrated-gradients, specialization, rules, counterfactual
  std::optional<std::string> split;   // samples to use; default: the test samples when there are any, else all
  int repeats = 5;                    // permutation
  int64_t steps = 64;                 // integrated gradients
  std::string baseline = "mean";      // integrated gradients: mean (of the samples) or zero (standardized)
  int64_t max_samples = 500;          // integrated gradients: the first this many samples
  std::optional<int64_t> sample;      // integrated gradients / counterfactual: this sample only
  int64_t layer = 0;                  // counterfactual
  uint64_t seed = 0;
  std::string device = "auto";

  std::string parameters_json() const;
};

const std::vector<std::string>& explain_methods();

// Computes the explanation, stores it and returns it with its id.
Explanation explain(TraceStore& store, int64_t run, const ExplainOptions& options);

}  // namespace ndtmoe
