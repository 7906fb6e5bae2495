#pragma once
// The decision path of one sample: for every layer, tree and level, the router inputs the level selects
// (entmax weights), the selected value against the threshold — standardized and, when the dominant
// input is a numeric feature, in the feature's original units — the temperature, the soft decision and
// the branch taken; the leaf probabilities; the chosen experts and their weights.
//
// Reads only the store's records (RunDescription + SampleTrace), so a path from the store and a path of
// a live what-if edit (routing_trace below) are explained by the same code.

#include <optional>
#include <string>
#include <vector>

#include "ndtmoe/data/quantile_scale.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct SelectedInput {
  int64_t input = 0;
  std::string name;
  double weight = 0;
};

struct PathLevel {
  int64_t tree = 0, level = 0;
  std::vector<SelectedInput> selected;  // by weight, descending
  double value = 0, threshold = 0, temperature = 1, decision = 0;  // decision: probability of going right
  bool right = false;                                              // value > threshold
  // The dominant input's feature in original units: its value and the threshold it must exceed (the
  // other selected inputs held at this sample's values). Absent for hidden units and one-hot slots.
  std::optional<std::string> feature;
  double feature_value = 0, feature_threshold = 0;
};

struct PathLayer {
  int64_t layer = 0;
  std::vector<PathLevel> levels;                 // [tree * depth + level]
  std::vector<std::vector<double>> leaf_probs;   // [tree][leaf]
  std::vector<int32_t> top_leaves;               // per tree
  std::vector<int32_t> experts;
  std::vector<float> weights;
};

struct DecisionPath {
  SampleTrace sample;
  std::vector<PathLayer> layers;
};

DecisionPath decision_path(const RunDescription& run, const SampleTrace& sample);

// The linear gate's logits W u + b of one layer for a sample's stored inputs, from the run's stored
// "gate_weight" and "gate_bias"; empty when the layer has no stored gate or its router reads hidden
// states (which the store does not keep).
std::vector<double> linear_gate_logits(const RunDescription& run, int64_t layer, const std::vector<float>& inputs);

// Leaf probabilities of one tree from its per-level decisions (bit i of a leaf index: level i went right).
std::vector<double> leaf_probabilities(const float* decisions, int64_t depth);

// A numeric feature's value as the model reads it (standardized or quantile-scaled) in original units,
// and back.
inline double to_original_units(const FeatureInfo& feature, double encoded) {
  return feature.quantiles.empty() ? feature.mean + feature.scale * encoded : quantile_decode(feature.quantiles, encoded);
}
inline double to_model_units(const FeatureInfo& feature, double original) {
  return feature.quantiles.empty() ? (original - feature.mean) / feature.scale : quantile_encode(feature.quantiles, original);
}

}  // namespace ndtmoe
