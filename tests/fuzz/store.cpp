// A trace store on any bytes: opened read-only and asked what the views ask of each run (its summary and
// description, the aggregates, a tree, a sample's path, the samples table, the embeddings); answers or a StoreError,
// nothing else.
#include "fuzz_input.h"
#include "ndtmoe/store/trace_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = ndtmoe::fuzz::scratch_file("fuzz.sqlite", data, size);
  try {
    ndtmoe::TraceStore store(path, ndtmoe::TraceStore::Mode::ReadOnly);
    std::vector<ndtmoe::RunSummary> runs = store.runs();
    if (runs.size() > 3) runs.resize(3);
    for (const ndtmoe::RunSummary& run : runs) {
      store.description(run.id);
      store.expert_layers(run.id);
      store.flow(run.id);
      store.expert_classes(run.id, 0);
      if (run.has_trees()) {
        store.tree_nodes(run.id, 0, 0);
        store.leaf_experts(run.id, 0, 0);
      }
      if (run.traced_samples > 0) store.sample(run.id, run.first_sample);
      ndtmoe::SampleFilter first;
      first.limit = 20;
      store.sample_rows(run.id, first);
      for (const ndtmoe::LayerEmbedding& e : store.embeddings(run.id)) store.embedding(run.id, e.layer, e.method);
      store.expert_neighbours(run.id);
      store.top_experts(run.id, 0);
    }
  } catch (const ndtmoe::StoreError&) {
  }
  return 0;
}
