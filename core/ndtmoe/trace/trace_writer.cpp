#include "ndtmoe/trace/trace_writer.h"

#include "ndtmoe/trace/trace_aggregates.h"

namespace ndtmoe {

void append_batch(TraceStore& store, int64_t run, const TraceBatch& batch) {
  Database& db = store.database();
  Transaction transaction(db);
  const RunSummary summary = store.run(run);
  if (summary.complete()) throw StoreError(store.path() + ": run " + std::to_string(run) + " is already complete");
  if (const int64_t next = summary.first_sample + summary.traced_samples; batch.first_sample != next)
    throw StoreError(store.path() + ": run " + std::to_string(run) + " continues at sample " + std::to_string(next) + ", not " +
                     std::to_string(batch.first_sample));
  const bool classification = summary.task == "classification";
  const bool has_teacher = batch.teacher_predictions.defined();
  const torch::Tensor inputs = batch.inputs.to(torch::kFloat).contiguous();
  const int64_t width = inputs.size(1);
  const auto column = [&](const torch::Tensor& t) {
    return t.defined() ? t.to(classification ? torch::kLong : torch::kDouble).contiguous() : torch::Tensor();
  };
  const auto real_column = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kDouble).contiguous() : torch::Tensor(); };
  const torch::Tensor labels = column(batch.labels), predictions = column(batch.predictions);
  const torch::Tensor teacher = has_teacher ? column(batch.teacher_predictions) : torch::Tensor();
  const torch::Tensor confidences = real_column(batch.confidences), teacher_conf = real_column(batch.teacher_confidences);

  BulkInsert sample(db, "samples", {"run_id", "sample", "split", "source_line", "label", "target", "prediction", "confidence",
                                    "teacher_prediction", "teacher_confidence", "correct", "agrees", "inputs"});
  const auto optional_real = [&](const torch::Tensor& t, int64_t i) -> BulkInsert& {
    return t.defined() ? sample.add(t.data_ptr<double>()[i]) : sample.add_null();
  };
  for (int64_t i = 0; i < batch.size(); ++i) {
    sample.add(run).add(batch.first_sample + i).add(batch.splits[static_cast<size_t>(i)]).add(batch.source_lines[static_cast<size_t>(i)]);
    if (classification) {
      const int64_t label = labels.data_ptr<int64_t>()[i], predicted = predictions.data_ptr<int64_t>()[i];
      const std::optional<int64_t> taught = has_teacher ? std::optional(teacher.data_ptr<int64_t>()[i]) : std::nullopt;
      sample.add(label).add_null().add(predicted).add(confidences.data_ptr<double>()[i]);
      if (taught) sample.add(*taught); else sample.add_null();
      optional_real(teacher_conf, i).add(int64_t{label == predicted});
      if (taught) sample.add(int64_t{*taught == predicted}); else sample.add_null();
    } else {
      sample.add_null().add(labels.data_ptr<double>()[i]).add(predictions.data_ptr<double>()[i]).add_null();
      optional_real(teacher, i).add_null().add_null().add_null();
    }
    sample.add_blob(inputs.data_ptr<float>() + i * width, static_cast<size_t>(width) * sizeof(float));
  }
  sample.finish();

  // Token 0 is the whole sample for models without tokens; a token-level run writes its real tokens
  // (padding has expert -1) with their values, and no per-token tree_leaves rows (tree_nodes counts them).
  const bool token_level = batch.token_values.defined();
  const torch::Tensor token_values = token_level ? batch.token_values.to(torch::kLong).contiguous() : torch::Tensor();
  BulkInsert routing(db, "routing", {"run_id", "sample", "token", "layer", "expert", "weight", "experts", "weights", "decisions",
                                     "split_values", "leaves", "leaf_probs", "token_value", "neurons", "neuron_activations"});
  BulkInsert leaf(db, "tree_leaves", {"run_id", "layer", "tree", "leaf", "sample", "token", "probability"});
  for (size_t l = 0; l < batch.layers.size(); ++l) {
    const TraceBatch::Layer& layer = batch.layers[l];
    const auto layer_id = static_cast<int64_t>(l);
    const torch::Tensor experts = layer.experts.to(torch::kInt).contiguous(), weights = layer.weights.to(torch::kFloat).contiguous();
    const torch::Tensor decisions = layer.decisions.to(torch::kFloat).flatten(1).contiguous();
    const torch::Tensor splits = layer.split_values.to(torch::kFloat).flatten(1).contiguous();
    const auto [top_probs, top_leaves] = layer.leaf_probs.to(torch::kFloat).max(-1);  // [B, T]
    const torch::Tensor leaves = top_leaves.to(torch::kInt).contiguous(), leaf_probs = top_probs.contiguous();
    const auto* e = experts.data_ptr<int32_t>();
    const auto* w = weights.data_ptr<float>();
    const auto* li = leaves.data_ptr<int32_t>();
    const auto* lp = leaf_probs.data_ptr<float>();
    const int64_t K = experts.size(1), TD = decisions.size(1), T = leaves.size(1);
    const bool with_neurons = layer.neuron_offsets.defined();
    const torch::Tensor offsets = with_neurons ? layer.neuron_offsets.to(torch::kLong).contiguous() : torch::Tensor();
    const torch::Tensor neurons = with_neurons ? layer.neurons.to(torch::kInt).contiguous() : torch::Tensor();
    const torch::Tensor activations = with_neurons ? layer.neuron_activations.to(torch::kFloat).contiguous() : torch::Tensor();
    const auto add_neurons = [&](int64_t i) {
      if (!with_neurons) {
        routing.add_null().add_null();
        return;
      }
      const int64_t begin = offsets.data_ptr<int64_t>()[i], count = offsets.data_ptr<int64_t>()[i + 1] - begin;
      routing.add_blob(neurons.data_ptr<int32_t>() + begin, static_cast<size_t>(count) * sizeof(int32_t))
          .add_blob(activations.data_ptr<float>() + begin, static_cast<size_t>(count) * sizeof(float));
    };
    const int64_t S = batch.tokens;
    for (int64_t i = 0; i < batch.size() * S; ++i) {
      if (e[i * K] < 0) continue;  // padding
      const int64_t s = batch.first_sample + i / S;
      routing.add(run).add(s).add(i % S).add(layer_id).add(int64_t{e[i * K]}).add(double{w[i * K]})
          .add_blob(e + i * K, K * sizeof(int32_t)).add_blob(w + i * K, K * sizeof(float));
      if (T == 0) {  // a family without trees
        routing.add_null().add_null().add_null().add_null();
      } else {
        routing.add_blob(decisions.data_ptr<float>() + i * TD, TD * sizeof(float))
            .add_blob(splits.data_ptr<float>() + i * TD, TD * sizeof(float))
            .add_blob(li + i * T, T * sizeof(int32_t)).add_blob(lp + i * T, T * sizeof(float));
      }
      if (token_level) {
        routing.add(token_values.data_ptr<int64_t>()[i]);
        add_neurons(i);
        continue;
      }
      routing.add_null();
      add_neurons(i);
      for (int64_t t = 0; t < T; ++t)
        leaf.add(run).add(layer_id).add(t).add(int64_t{li[i * T + t]}).add(s).add(int64_t{0}).add(double{lp[i * T + t]});
    }
  }
  routing.finish();
  leaf.finish();
  BulkInsert others(db, "model_predictions", {"run_id", "model", "sample", "prediction", "confidence"});
  for (const auto& [model, p] : batch.other_models) {
    const torch::Tensor predicted = p.predictions.to(torch::kDouble).contiguous();
    const torch::Tensor confidence = p.confidences.defined() ? p.confidences.to(torch::kDouble).contiguous() : torch::Tensor();
    for (int64_t i = 0; i < batch.size(); ++i) {
      others.add(run).add(model).add(batch.first_sample + i).add(predicted.data_ptr<double>()[i]);
      if (confidence.defined()) others.add(confidence.data_ptr<double>()[i]); else others.add_null();
    }
  }
  others.finish();
  add_batch_aggregates(db, run, summary, batch);
  db.prepare("UPDATE runs SET traced_samples = traced_samples + ? WHERE run_id = ?").bind(1, batch.size()).bind(2, run).run();
  transaction.commit();
}

}  // namespace ndtmoe
