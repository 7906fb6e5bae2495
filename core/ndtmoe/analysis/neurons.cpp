#include "ndtmoe/analysis/neurons.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ndtmoe {

namespace {

// Stronger firing first; among equal ones the earlier position, so summaries do not depend on the order
// of equal activations.
bool stronger(const NeuronHit& a, const NeuronHit& b) {
  if (a.activation != b.activation) return a.activation > b.activation;
  return a.sample != b.sample ? a.sample < b.sample : a.token < b.token;
}

void assign_top_class(NeuronSummary& n) {
  std::map<int64_t, int64_t> classes;
  const size_t judged = std::min(n.top.size(), kSelectivityTop);
  for (size_t i = 0; i < judged; ++i)
    if (n.top[i].label >= 0) ++classes[n.top[i].label];
  if (classes.empty()) return;
  const auto best = std::max_element(classes.begin(), classes.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  n.top_class = best->first;
  n.top_class_share = static_cast<double>(best->second) / static_cast<double>(judged);
}

bool judged_for_selectivity(const NeuronSummary& n) { return n.top_class >= 0 && n.active >= static_cast<int64_t>(kSelectivityTop); }

}  // namespace

NeuronStatistics::NeuronStatistics(int64_t neurons) : neurons_(static_cast<size_t>(neurons)) {}

void NeuronStatistics::add(int64_t sample, int64_t token, int64_t label, const int32_t* neurons, const float* activations, size_t count) {
  ++positions_;
  for (size_t i = 0; i < count; ++i) {
    if (neurons[i] < 0 || static_cast<size_t>(neurons[i]) >= neurons_.size())
      throw std::out_of_range("neuron " + std::to_string(neurons[i]) + " of sample " + std::to_string(sample) + " is not one of the layer's " +
                              std::to_string(neurons_.size()));
    Accumulator& a = neurons_[static_cast<size_t>(neurons[i])];
    a.activations.push_back(activations[i]);
    const NeuronHit hit{sample, token, activations[i], label};
    // A min-heap by strength: its front is the weakest of the strongest kept so far.
    if (a.top.size() < kNeuronTopFirings) {
      a.top.push_back(hit);
      std::push_heap(a.top.begin(), a.top.end(), stronger);
    } else if (stronger(hit, a.top.front())) {
      std::pop_heap(a.top.begin(), a.top.end(), stronger);
      a.top.back() = hit;
      std::push_heap(a.top.begin(), a.top.end(), stronger);
    }
  }
}

std::vector<NeuronSummary> NeuronStatistics::summaries(double threshold) const {
  std::vector<NeuronSummary> out;
  out.reserve(neurons_.size());
  for (size_t j = 0; j < neurons_.size(); ++j) {
    const Accumulator& a = neurons_[j];
    NeuronSummary n;
    n.neuron = static_cast<int64_t>(j);
    n.active = static_cast<int64_t>(a.activations.size());
    n.histogram.assign(kNeuronHistogramBins, 0);
    for (float v : a.activations) {
      n.activation_sum += v;
      n.max_activation = std::max(n.max_activation, static_cast<double>(v));
    }
    const double span = n.max_activation - threshold;
    for (float v : a.activations) {
      const double position = span > 0 ? (v - threshold) / span * kNeuronHistogramBins : 0.0;
      ++n.histogram[static_cast<size_t>(std::clamp(static_cast<int>(position), 0, kNeuronHistogramBins - 1))];
    }
    n.top = a.top;
    std::sort(n.top.begin(), n.top.end(), stronger);
    assign_top_class(n);
    out.push_back(std::move(n));
  }
  return out;
}

NeuronMeasures neuron_measures(const std::vector<NeuronLayer>& layers, const std::vector<std::vector<NeuronSummary>>& summaries) {
  NeuronMeasures m;
  int64_t dead = 0, judged = 0, selective = 0;
  for (size_t l = 0; l < layers.size() && l < summaries.size(); ++l) {
    int64_t firings = 0;
    for (const NeuronSummary& n : summaries[l]) {
      firings += n.active;
      if (n.active == 0) ++dead;
      if (judged_for_selectivity(n)) {
        ++judged;
        if (n.top_class_share >= kSelectiveShare) ++selective;
      }
    }
    // Neurons without a summary never fired.
    dead += layers[l].neurons() - static_cast<int64_t>(summaries[l].size());
    m.neurons += layers[l].neurons();
    m.positions = std::max(m.positions, layers[l].positions);
    if (layers[l].positions > 0) m.l0 += static_cast<double>(firings) / static_cast<double>(layers[l].positions);
  }
  if (m.neurons > 0) m.dead_share = static_cast<double>(dead) / static_cast<double>(m.neurons);
  if (judged > 0) m.class_selectivity = static_cast<double>(selective) / static_cast<double>(judged);
  return m;
}

void sort_neurons(std::vector<NeuronSummary>& neurons, NeuronOrder order) {
  const auto key = [order](const NeuronSummary& n) {
    switch (order) {
      case NeuronOrder::Frequency: return static_cast<double>(n.active);
      case NeuronOrder::Selectivity: return judged_for_selectivity(n) ? n.top_class_share : -1.0;
      case NeuronOrder::MeanActivation: return n.mean_activation();
      case NeuronOrder::AblationEffect: return std::isnan(n.ablation_drop) ? -1e300 : n.ablation_drop;
    }
    return 0.0;
  };
  std::stable_sort(neurons.begin(), neurons.end(), [&](const NeuronSummary& a, const NeuronSummary& b) { return key(a) > key(b); });
}

}  // namespace ndtmoe
