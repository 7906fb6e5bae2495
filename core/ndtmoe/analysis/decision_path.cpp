#include "ndtmoe/analysis/decision_path.h"

namespace ndtmoe {

std::vector<double> leaf_probabilities(const float* decisions, int64_t depth) {
  std::vector<double> probs(size_t{1} << depth, 1.0);
  for (size_t leaf = 0; leaf < probs.size(); ++leaf)
    for (int64_t i = 0; i < depth; ++i) probs[leaf] *= (leaf >> i & 1) ? decisions[i] : 1.0 - decisions[i];
  return probs;
}

namespace {

// Fills the original-units fields when the level's dominant input is a numeric feature column. With
// s = sum_k w_k u_k the sample goes right iff u_j > (b - s + w_j u_j) / w_j, the others held fixed.
void explain_in_feature_units(const RunDescription& run, const SampleTrace& sample, PathLevel& level) {
  if (level.selected.empty()) return;
  const SelectedInput& top = level.selected.front();
  const RouterInputInfo& input = run.router_inputs.at(static_cast<size_t>(top.input));
  if (input.feature < 0 || !input.category.empty() || static_cast<size_t>(top.input) >= sample.inputs.size()) return;
  const FeatureInfo& feature = run.features.at(static_cast<size_t>(input.feature));
  const double u = sample.inputs[static_cast<size_t>(top.input)];
  level.feature = feature.name;
  level.feature_value = to_original_units(feature, u);
  level.feature_threshold = to_original_units(feature, (level.threshold - level.value + top.weight * u) / top.weight);
}

}  // namespace

std::vector<double> linear_gate_logits(const RunDescription& run, int64_t layer, const std::vector<float>& inputs) {
  if (run.router_input != "input" || layer < 0 || static_cast<size_t>(layer) >= run.router_tensors.size()) return {};
  const auto& stored = run.router_tensors[static_cast<size_t>(layer)];
  const auto weight = stored.find("gate_weight"), bias = stored.find("gate_bias");
  if (weight == stored.end() || weight->second.shape.size() != 2 || weight->second.shape[1] != static_cast<int64_t>(inputs.size())) return {};
  const auto experts = static_cast<size_t>(weight->second.shape[0]);
  std::vector<double> logits(experts, 0.0);
  for (size_t e = 0; e < experts; ++e) {
    if (bias != stored.end() && e < bias->second.values.size()) logits[e] = bias->second.values[e];
    for (size_t i = 0; i < inputs.size(); ++i) logits[e] += static_cast<double>(weight->second.values[e * inputs.size() + i]) * inputs[i];
  }
  return logits;
}

DecisionPath decision_path(const RunDescription& run, const SampleTrace& sample) {
  DecisionPath path{sample, {}};
  for (size_t l = 0; l < sample.layers.size(); ++l) {
    const LayerTrace& trace = sample.layers[l];
    // A family without trees has no router parameters: its path is the experts and weights alone.
    const RouterParameters router = l < run.routers.size() ? run.routers[l] : RouterParameters{};
    PathLayer layer;
    layer.layer = static_cast<int64_t>(l);
    layer.experts = trace.experts;
    layer.weights = trace.weights;
    layer.top_leaves = trace.leaves;
    for (int64_t t = 0; t < router.trees; ++t) {
      const float* decisions = trace.decisions.data() + t * router.depth;
      layer.leaf_probs.push_back(leaf_probabilities(decisions, router.depth));
      for (int64_t i = 0; i < router.depth; ++i) {
        const RouterLevel& params = router.level(t, i);
        PathLevel level;
        level.tree = t;
        level.level = i;
        for (const auto& [input, weight] : params.selectors)
          level.selected.push_back({input, run.router_inputs.at(static_cast<size_t>(input)).name, weight});
        level.value = trace.split_values.at(static_cast<size_t>(t * router.depth + i));
        level.threshold = params.threshold;
        level.temperature = params.temperature;
        level.decision = decisions[i];
        level.right = level.value > level.threshold;
        explain_in_feature_units(run, sample, level);
        layer.levels.push_back(std::move(level));
      }
    }
    path.layers.push_back(std::move(layer));
  }
  return path;
}

}  // namespace ndtmoe
