#include "ndtmoe/bench/store_bench.h"

#include <algorithm>
#include <chrono>

#include "ndtmoe/analysis/comparison.h"
#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe/analysis/token_usage.h"

namespace ndtmoe {

namespace {

QueryLatency time_query(const std::string& name, int repeats, const std::function<int64_t(int)>& query) {
  std::vector<double> ms;
  QueryLatency result{name, 0, 0, 0};
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    result.rows = query(r);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  result.median_ms = ms[ms.size() / 2];
  result.max_ms = ms.back();
  return result;
}

}  // namespace

std::vector<QueryLatency> measure_store_queries(TraceStore& store, int64_t run, int repeats) {
  const RunSummary summary = store.run(run);
  // A sample id spread over the run by the repeat number (ids start at first_sample: a shard starts later).
  const auto any_sample = [&](int r) { return summary.first_sample + (static_cast<int64_t>(r) * 7919) % summary.traced_samples; };
  const int64_t last_layer = summary.layers - 1;
  std::vector<QueryLatency> results;
  const auto add = [&](const std::string& name, const std::function<int64_t(int)>& query) {
    results.push_back(time_query(name, repeats, query));
  };
  add("run description", [&](int) { return static_cast<int64_t>(store.description(run).routers.size()); });
  const RunDescription description = store.description(run);
  add("expert x class (one layer)", [&](int r) { return static_cast<int64_t>(store.expert_classes(run, r % summary.layers).size()); });
  add("expert x layer", [&](int) { return static_cast<int64_t>(store.expert_layers(run).size()); });
  add("flow between layers", [&](int) { return static_cast<int64_t>(store.flow(run).size()); });
  if (summary.has_trees())
    add("tree node counts (one tree)", [&](int r) { return static_cast<int64_t>(store.tree_nodes(run, r % summary.layers, 0).size()); });
  add("one sample's decision path", [&](int r) {
    const int64_t sample = any_sample(r);
    return static_cast<int64_t>(decision_path(description, store.sample(run, sample)).layers.size());
  });
  const auto samples = [&](const std::string& name, SampleFilter filter) {
    filter.limit = -1;
    add("samples: " + name, [&store, run, filter](int) { return static_cast<int64_t>(store.samples(run, filter).size()); });
  };
  if (summary.has_trees()) {  // the ndt family's tree queries
    SampleFilter node;
    node.layer = last_layer;
    node.tree = 0;
    node.level = 1;
    node.node = 1;
    samples("behind a tree node", node);
    SampleFilter leaf;
    leaf.layer = last_layer;
    leaf.tree = 0;
    leaf.leaf = 0;
    samples("behind a leaf", leaf);
  }
  SampleFilter expert;
  expert.layer = last_layer;
  expert.expert = store.expert_layers(run).front().row;
  samples("behind an expert", expert);
  SampleFilter cell = expert;
  cell.label = 0;
  samples("behind an expert x class cell", cell);
  if (summary.token_level()) {  // the token views' queries
    add("expert x token value (one layer)", [&](int r) { return static_cast<int64_t>(store.expert_tokens(run, r % summary.layers, TokenAxis::Value).size()); });
    add("expert x token position (one layer)", [&](int r) { return static_cast<int64_t>(store.expert_tokens(run, r % summary.layers, TokenAxis::Position).size()); });
    add("one sample's token lanes", [&](int r) {
      return static_cast<int64_t>(store.sample(run, any_sample(r)).tokens.size());
    });
    const std::vector<CountCell> values = store.expert_tokens(run, last_layer, TokenAxis::Value);
    const CountCell busiest = *std::max_element(values.begin(), values.end(), [](const CountCell& a, const CountCell& b) { return a.samples < b.samples; });
    add("tokens an expert receives most", [&](int) {
      return static_cast<int64_t>(top_tokens(store.expert_tokens(run, last_layer, TokenAxis::Value), busiest.row, 20).size());
    });
    add("samples and tokens behind an expert x value cell", [&](int) {
      return static_cast<int64_t>(store.expert_token_hits(run, last_layer, busiest.row, TokenAxis::Value, busiest.column).size());
    });
    add("samples and tokens behind an expert x position cell", [&](int) {
      return static_cast<int64_t>(store.expert_token_hits(run, last_layer, busiest.row, TokenAxis::Position, summary.tokens / 2).size());
    });
  }
  if (const std::vector<NeuronLayer> neuron_layers = store.neuron_layers(run); !neuron_layers.empty()) {  // the neuron dashboard's
    const int64_t layers = static_cast<int64_t>(neuron_layers.size());
    add("neuron layers", [&](int) { return static_cast<int64_t>(store.neuron_layers(run).size()); });
    add("a layer's neurons (the dashboard's list)", [&](int r) { return static_cast<int64_t>(store.neurons(run, r % layers).size()); });
    add("one neuron (histogram, top firings)", [&](int r) {
      const NeuronLayer& layer = neuron_layers[static_cast<size_t>(r % layers)];
      return static_cast<int64_t>(store.neuron(run, layer.layer, (static_cast<int64_t>(r) * 7919) % layer.neurons()).top.size());
    });
    add("one sample's firing neurons", [&](int r) {
      int64_t fired = 0;
      for (const LayerTrace& l : store.sample(run, any_sample(r)).layers) fired += static_cast<int64_t>(l.neurons.size());
      return fired;
    });
    add("comparison (L0, dead neurons, selectivity)", [&](int) { return static_cast<int64_t>(compare_run(store, run).neurons->neurons); });
  }
  SampleFilter wrong;
  wrong.misclassified = true;
  samples("misclassified", wrong);
  SampleFilter disagreement;
  disagreement.disagreement = true;
  samples("student-teacher disagreement", disagreement);
  SampleFilter unsure;
  unsure.max_confidence = 0.6;
  samples("confidence <= 0.6", unsure);
  return results;
}

}  // namespace ndtmoe
