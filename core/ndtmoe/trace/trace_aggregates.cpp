#include "ndtmoe/trace/trace_aggregates.h"

#include "ndtmoe/trace/trace_batch.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

namespace {

// Counts of `index` in [0, size), optionally weighted, as a CPU double tensor.
torch::Tensor counts(const torch::Tensor& index, int64_t size, const torch::Tensor& weights = {}) {
  return torch::bincount(index.flatten(), weights.defined() ? weights.flatten().to(torch::kDouble) : torch::Tensor(), size)
      .to(torch::kDouble);
}

// Tokens per (expert, key) among `rows`: top-1 tokens, all K slots and summed weights, added to
// expert_tokens under `axis`.
void add_token_counts(Statement& insert, int64_t run, int64_t layer, const char* axis, const torch::Tensor& keys, int64_t key_count,
                      const torch::Tensor& experts, const torch::Tensor& weights, int64_t N) {
  const int64_t K = experts.size(1);
  const torch::Tensor slot_keys = keys.unsqueeze(1).expand({keys.size(0), K});
  const torch::Tensor top = counts(experts.select(1, 0) * key_count + keys, N * key_count);
  const torch::Tensor assigned = counts(experts * key_count + slot_keys, N * key_count);
  const torch::Tensor weight = counts(experts * key_count + slot_keys, N * key_count, weights);
  const auto *t = top.data_ptr<double>(), *a = assigned.data_ptr<double>(), *w = weight.data_ptr<double>();
  for (int64_t cell = 0; cell < N * key_count; ++cell) {
    if (a[cell] == 0) continue;
    insert.bind(1, run).bind(2, layer).bind(3, axis).bind(4, cell / key_count).bind(5, cell % key_count)
        .bind(6, static_cast<int64_t>(t[cell])).bind(7, static_cast<int64_t>(a[cell])).bind(8, w[cell]).run();
  }
}

}  // namespace

void add_batch_aggregates(Database& db, int64_t run, const RunSummary& summary, const TraceBatch& batch) {
  const bool classification = summary.task == "classification";
  const int64_t N = summary.experts, B = batch.size();
  // Regression has one pseudo-class -1 in tree_nodes and no expert_classes rows.
  const int64_t C = classification ? std::max<int64_t>(1, batch.labels.max().item<int64_t>() + 1) : 1;
  const torch::Tensor sample_label = classification ? batch.labels.to(torch::kLong) : torch::zeros({B}, torch::kLong);
  // Token-level runs count real tokens: every row of a position that is not padding (the same in
  // every layer), labelled with its sample's class.
  const int64_t S = batch.tokens;
  const bool token_level = batch.token_values.defined();
  const torch::Tensor real = token_level ? batch.token_values.reshape({-1}).ge(0).nonzero().squeeze(1) : torch::arange(B);
  const torch::Tensor label = sample_label.repeat_interleave(S).index_select(0, real);
  const int64_t R = real.size(0);
  Statement tokens = db.prepare(
      insert_sql("expert_tokens", {"run_id", "layer", "axis", "expert", "key", "tokens", "assignments", "weight"}) +
      " ON CONFLICT DO UPDATE SET tokens = tokens + excluded.tokens, "
      "assignments = assignments + excluded.assignments, weight = weight + excluded.weight");

  Statement klass = db.prepare(
      insert_sql("expert_classes", {"run_id", "layer", "expert", "class", "samples", "assignments", "weight"}) +
      " ON CONFLICT DO UPDATE SET samples = samples + excluded.samples, "
      "assignments = assignments + excluded.assignments, weight = weight + excluded.weight");
  Statement load = db.prepare(
      insert_sql("expert_load", {"run_id", "layer", "expert", "samples", "assignments", "weight"}) +
      " ON CONFLICT DO UPDATE SET samples = samples + excluded.samples, "
      "assignments = assignments + excluded.assignments, weight = weight + excluded.weight");
  const std::string add_samples = " ON CONFLICT DO UPDATE SET samples = samples + excluded.samples";
  Statement flow = db.prepare(insert_sql("expert_flow", {"run_id", "layer", "from_expert", "to_expert", "samples"}) + add_samples);
  Statement node = db.prepare(insert_sql("tree_nodes", {"run_id", "layer", "tree", "level", "node", "class", "samples"}) + add_samples);

  torch::Tensor previous_top;
  for (size_t l = 0; l < batch.layers.size(); ++l) {
    const TraceBatch::Layer& layer = batch.layers[l];
    const auto layer_id = static_cast<int64_t>(l);
    const torch::Tensor experts = layer.experts.to(torch::kLong).index_select(0, real), top = experts.select(1, 0);
    const torch::Tensor weights = layer.weights.index_select(0, real);
    const int64_t K = experts.size(1);
    const torch::Tensor top_counts = counts(top * C + label, N * C).view({N, C});
    const torch::Tensor slot_label = label.unsqueeze(1).expand({R, K});
    const torch::Tensor assigned = counts(experts * C + slot_label, N * C).view({N, C});
    const torch::Tensor weight = counts(experts * C + slot_label, N * C, weights).view({N, C});
    if (token_level) {
      const torch::Tensor values = batch.token_values.reshape({-1}).index_select(0, real);
      const torch::Tensor positions = real.remainder(S);
      add_token_counts(tokens, run, layer_id, "value", values, values.max().item<int64_t>() + 1, experts, weights, N);
      add_token_counts(tokens, run, layer_id, "position", positions, S, experts, weights, N);
    }
    for (int64_t e = 0; e < N; ++e) {
      load.bind(1, run).bind(2, layer_id).bind(3, e).bind(4, static_cast<int64_t>(top_counts[e].sum().item<double>()))
          .bind(5, static_cast<int64_t>(assigned[e].sum().item<double>())).bind(6, weight[e].sum().item<double>()).run();
      if (!classification) continue;
      for (int64_t c = 0; c < C; ++c) {
        if (assigned[e][c].item<double>() == 0) continue;
        klass.bind(1, run).bind(2, layer_id).bind(3, e).bind(4, c).bind(5, static_cast<int64_t>(top_counts[e][c].item<double>()))
            .bind(6, static_cast<int64_t>(assigned[e][c].item<double>())).bind(7, weight[e][c].item<double>()).run();
      }
    }
    if (previous_top.defined()) {
      const torch::Tensor transitions = counts(previous_top * N + top, N * N);
      const auto* t = transitions.data_ptr<double>();
      for (int64_t i = 0; i < N * N; ++i)
        if (t[i] > 0) flow.bind(1, run).bind(2, layer_id - 1).bind(3, i / N).bind(4, i % N).bind(5, static_cast<int64_t>(t[i])).run();
    }
    previous_top = top;

    // Samples per leaf and class; inner nodes add up their leaves (node = the leaf's low `level` bits).
    const int64_t T = layer.leaf_probs.size(1), leaves = layer.leaf_probs.size(2), D = summary.depth;
    const torch::Tensor leaf = layer.leaf_probs.index_select(0, real).argmax(-1);  // [R, T]
    const torch::Tensor tree = torch::arange(T, torch::kLong).unsqueeze(0);
    const torch::Tensor leaf_counts = counts((tree * leaves + leaf) * C + label.unsqueeze(1), T * leaves * C).view({T, leaves, C});
    const auto* lc = leaf_counts.contiguous().data_ptr<double>();
    for (int64_t t = 0; t < T; ++t)
      for (int64_t level = 0; level <= D; ++level) {
        const int64_t nodes = int64_t{1} << level;
        std::vector<double> node_counts(static_cast<size_t>(nodes * C), 0.0);
        for (int64_t f = 0; f < leaves; ++f)
          for (int64_t c = 0; c < C; ++c) node_counts[static_cast<size_t>((f % nodes) * C + c)] += lc[(t * leaves + f) * C + c];
        for (int64_t n = 0; n < nodes; ++n)
          for (int64_t c = 0; c < C; ++c) {
            const double samples = node_counts[static_cast<size_t>(n * C + c)];
            if (samples > 0)
              node.bind(1, run).bind(2, layer_id).bind(3, t).bind(4, level).bind(5, n).bind(6, classification ? c : int64_t{-1})
                  .bind(7, static_cast<int64_t>(samples)).run();
          }
      }
  }
}

}  // namespace ndtmoe
