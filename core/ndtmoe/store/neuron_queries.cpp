// The trace store's neuron tables (schema version 4): per-layer bookkeeping, one summary per neuron, and
// the firings recorded on the routing rows.

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

namespace {

template <class T, class From>
std::vector<T> converted(const std::vector<NeuronHit>& hits, From NeuronHit::*field) {
  std::vector<T> values;
  values.reserve(hits.size());
  for (const NeuronHit& hit : hits) values.push_back(static_cast<T>(hit.*field));
  return values;
}

template <class T>
Statement& bind_vector(Statement& s, int index, const std::vector<T>& values) {
  return s.bind_blob(index, values.data(), values.size() * sizeof(T));
}

const char* const kNeuronColumns =
    "neuron, active, activation_sum, max_activation, histogram, top_samples, top_tokens, top_labels, top_activations, top_class, "
    "top_class_share, ablation_changed, ablation_drop";
// The same columns with empty blobs in place of the histogram and the firings.
const char* const kNeuronCountColumns =
    "neuron, active, activation_sum, max_activation, x'', x'', x'', x'', x'', top_class, top_class_share, ablation_changed, ablation_drop";

NeuronSummary read_summary(const Statement& s, const std::string& place) {
  NeuronSummary n;
  n.neuron = s.integer(0);
  n.active = s.integer(1);
  n.activation_sum = s.real(2);
  n.max_activation = s.real(3);
  for (int32_t count : s.blob<int32_t>(4)) n.histogram.push_back(count);
  const auto samples = s.blob<int32_t>(5), tokens = s.blob<int32_t>(6), labels = s.blob<int32_t>(7);
  const auto activations = s.blob<float>(8);
  if (tokens.size() != samples.size() || labels.size() != samples.size() || activations.size() != samples.size() || n.active < 0)
    throw StoreError(place + ": neuron " + std::to_string(n.neuron) + " has top firings of unequal lengths: the store is damaged");
  for (size_t i = 0; i < samples.size(); ++i) n.top.push_back({samples[i], tokens[i], activations[i], labels[i]});
  n.top_class = s.is_null(9) ? -1 : s.integer(9);
  n.top_class_share = s.is_null(10) ? 0.0 : s.real(10);
  n.ablation_changed = s.real(11);
  n.ablation_drop = s.real(12);
  return n;
}

}  // namespace

void TraceStore::store_neurons(int64_t run, const NeuronLayer& layer, const std::vector<NeuronSummary>& neurons) {
  Database& db = database();
  Transaction transaction(db);
  this->run(run);  // names the id when absent
  db.prepare("DELETE FROM neurons WHERE run_id = ? AND layer = ?").bind(1, run).bind(2, layer.layer).run();
  db.prepare("INSERT OR REPLACE INTO neuron_layers (run_id, layer, experts, units_per_expert, positions, threshold) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, run).bind(2, layer.layer).bind(3, layer.experts).bind(4, layer.units_per_expert).bind(5, layer.positions)
      .bind(6, layer.threshold).run();
  Statement insert = db.prepare(std::string("INSERT INTO neurons (run_id, layer, ") + kNeuronColumns +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const NeuronSummary& n : neurons) {
    std::vector<int32_t> histogram(n.histogram.begin(), n.histogram.end());
    insert.bind(1, run).bind(2, layer.layer).bind(3, n.neuron).bind(4, n.active).bind(5, n.activation_sum).bind(6, n.max_activation);
    bind_vector(insert, 7, histogram);
    bind_vector(insert, 8, converted<int32_t>(n.top, &NeuronHit::sample));
    bind_vector(insert, 9, converted<int32_t>(n.top, &NeuronHit::token));
    bind_vector(insert, 10, converted<int32_t>(n.top, &NeuronHit::label));
    bind_vector(insert, 11, converted<float>(n.top, &NeuronHit::activation));
    if (n.top_class >= 0) insert.bind(12, n.top_class).bind(13, n.top_class_share); else insert.bind_null(12).bind_null(13);
    insert.bind(14, n.ablation_changed).bind(15, n.ablation_drop).run();
  }
  transaction.commit();
}

std::vector<NeuronLayer> TraceStore::neuron_layers(int64_t run) {
  Statement s = database().prepare(
      "SELECT layer, experts, units_per_expert, positions, threshold FROM neuron_layers WHERE run_id = ? ORDER BY layer");
  s.bind(1, run);
  std::vector<NeuronLayer> layers;
  while (s.step()) {
    NeuronLayer l{s.integer(0), s.integer(1), s.integer(2), s.integer(3), s.real(4)};
    if (l.experts < 1 || l.units_per_expert < 1 || l.positions < 0)
      throw StoreError(path() + ": run " + std::to_string(run) + ": neuron layer " + std::to_string(l.layer) +
                       " has no neurons: the store is damaged");
    layers.push_back(l);
  }
  return layers;
}

std::vector<NeuronSummary> TraceStore::neurons(int64_t run, int64_t layer, bool with_firings) {
  Statement s = database().prepare(std::string("SELECT ") + (with_firings ? kNeuronColumns : kNeuronCountColumns) +
                                   " FROM neurons WHERE run_id = ? AND layer = ? ORDER BY neuron");
  s.bind(1, run).bind(2, layer);
  std::vector<NeuronSummary> neurons;
  while (s.step()) neurons.push_back(read_summary(s, path()));
  return neurons;
}

NeuronSummary TraceStore::neuron(int64_t run, int64_t layer, int64_t neuron) {
  Statement s = database().prepare(std::string("SELECT ") + kNeuronColumns + " FROM neurons WHERE run_id = ? AND layer = ? AND neuron = ?");
  s.bind(1, run).bind(2, layer).bind(3, neuron);
  if (!s.step())
    throw StoreError(path() + ": run " + std::to_string(run) + " has no neuron " + std::to_string(neuron) + " in layer " + std::to_string(layer));
  return read_summary(s, path());
}

void TraceStore::for_each_neuron_position(
    int64_t run, int64_t layer,
    const std::function<void(int64_t, int64_t, int64_t, const int32_t*, const float*, size_t)>& visit) {
  Statement s = database().prepare(
      "SELECT r.sample, r.token, s.label, r.neurons, r.neuron_activations FROM routing r JOIN samples s USING (run_id, sample) "
      "WHERE r.run_id = ? AND r.layer = ? AND r.neurons IS NOT NULL ORDER BY r.sample, r.token");
  s.bind(1, run).bind(2, layer);
  while (s.step()) {
    const auto neurons = s.blob<int32_t>(3);
    const auto activations = s.blob<float>(4);
    if (neurons.size() != activations.size())
      throw StoreError(path() + ": routing row (run " + std::to_string(run) + ", sample " + std::to_string(s.integer(0)) +
                       ") has " + std::to_string(neurons.size()) + " neurons but " + std::to_string(activations.size()) +
                       " activations: the store is damaged");
    visit(s.integer(0), s.integer(1), s.is_null(2) ? -1 : s.integer(2), neurons.data(), activations.data(), neurons.size());
  }
}

}  // namespace ndtmoe
