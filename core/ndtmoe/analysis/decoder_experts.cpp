#include "ndtmoe/analysis/decoder_experts.h"

#include <algorithm>

namespace ndtmoe {

int64_t DecoderExperts::unused() const {
  return std::count_if(by_use.begin(), by_use.end(), [](const DecoderExpert& e) { return e.rows == 0; });
}

std::vector<double> DecoderExperts::modulation(int64_t expert) const {
  const auto found = std::find(ids.begin(), ids.end(), expert);
  if (found == ids.end()) return {};
  const auto row = static_cast<size_t>(found - ids.begin()) * static_cast<size_t>(width);
  return {modulations.begin() + static_cast<std::ptrdiff_t>(row), modulations.begin() + static_cast<std::ptrdiff_t>(row + static_cast<size_t>(width))};
}

std::vector<double> DecoderExperts::mixture(const std::vector<int32_t>& experts, const std::vector<float>& weights) const {
  std::vector<double> sum(static_cast<size_t>(width), 0.0);
  for (size_t k = 0; k < experts.size() && k < weights.size(); ++k) {
    const std::vector<double> c = experts[k] < 0 ? std::vector<double>() : modulation(experts[k]);
    for (size_t i = 0; i < c.size(); ++i) sum[i] += static_cast<double>(weights[k]) * c[i];
  }
  return sum;
}

DecoderExperts decoder_experts(TraceStore& store, int64_t run_id, const RunDescription& run, int64_t layer) {
  DecoderExperts d;
  d.layer = layer;
  if (layer < 0 || static_cast<size_t>(layer) >= run.router_tensors.size()) return d;
  const auto& tensors = run.router_tensors[static_cast<size_t>(layer)];
  const auto values = tensors.find("modulations"), ids = tensors.find("expert_ids");
  if (values == tensors.end() || ids == tensors.end()) return d;
  const std::vector<int64_t>& shape = values->second.shape;
  if (shape.size() != 2 || shape[1] < 1 || ids->second.values.size() != static_cast<size_t>(shape[0]) ||
      values->second.values.size() != static_cast<size_t>(shape[0] * shape[1]))
    throw StoreError(store.path() + ": run " + run.name + ": router_tensors of layer " + std::to_string(layer) +
                     ": the modulations and expert ids disagree in shape");
  d.width = shape[1];
  d.experts = run.experts;
  for (float id : ids->second.values) {
    if (!(id >= 0 && id < static_cast<float>(run.experts)))
      throw StoreError(store.path() + ": run " + run.name + ": router_tensors of layer " + std::to_string(layer) + " name expert " +
                       std::to_string(id) + ", outside the run's " + std::to_string(run.experts));
    d.ids.push_back(static_cast<int64_t>(id));
  }
  d.modulations = values->second.values;

  d.by_use.resize(static_cast<size_t>(run.experts));
  for (int64_t e = 0; e < run.experts; ++e) d.by_use[static_cast<size_t>(e)].expert = e;
  double gate_sum = 0;
  std::vector<double> gates(static_cast<size_t>(run.experts), 0.0);
  for (const CountCell& cell : store.expert_layers(run_id)) {  // checked against the run's experts and layers
    if (cell.column != layer) continue;
    d.routed_rows += cell.samples;  // each routed row is one expert's top-1 once
    d.by_use[static_cast<size_t>(cell.row)].rows = cell.assignments;
    gates[static_cast<size_t>(cell.row)] = cell.weight;
    gate_sum += cell.weight;
  }
  if (!run.classes.empty())
    for (const CountCell& cell : store.expert_classes(run_id, layer)) {
      std::vector<int64_t>& classes = d.by_use[static_cast<size_t>(cell.row)].classes;
      classes.resize(run.classes.size(), 0);
      classes[static_cast<size_t>(cell.column)] += cell.assignments;
    }
  for (DecoderExpert& e : d.by_use) {
    e.share = d.routed_rows > 0 ? static_cast<double>(e.rows) / static_cast<double>(d.routed_rows) : 0.0;
    e.mean_gate = e.rows > 0 ? gates[static_cast<size_t>(e.expert)] / static_cast<double>(e.rows) : 0.0;
  }
  std::stable_sort(d.by_use.begin(), d.by_use.end(), [](const DecoderExpert& a, const DecoderExpert& b) { return a.rows > b.rows; });
  return d;
}

}  // namespace ndtmoe
