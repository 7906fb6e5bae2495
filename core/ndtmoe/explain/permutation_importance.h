#pragma once
// Permutation importance: how much the model's score drops, and how often each layer's top-1 expert
// changes, when one source feature's values are shuffled across samples (all its encoded columns
// together), repeated with different shuffles.

#include "ndtmoe/explain/model_probe.h"

namespace ndtmoe {

struct MeanSpread {
  double mean = 0, stddev = 0;
};

struct PermutationImportance {
  std::vector<std::string> features;
  std::string score_name;                          // accuracy or rmse
  double baseline_score = 0;
  std::vector<MeanSpread> output;                  // [feature]: accuracy drop, or RMSE rise
  std::vector<std::vector<MeanSpread>> routing;    // [layer][feature]: share of samples whose top-1 expert changes
};

PermutationImportance permutation_importance(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x,
                                             const torch::Tensor& truth, int repeats, uint64_t seed, torch::Device device);

}  // namespace ndtmoe
