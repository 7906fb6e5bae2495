#include "ndtmoe/trace/neuron_summaries.h"

#include <algorithm>
#include <numeric>

#include "ndtmoe/analysis/neurons.h"
#include "ndtmoe/model/expert_bank.h"
#include "ndtmoe/model/neuron_records.h"
#include "ndtmoe/train/trainer.h"

namespace ndtmoe {

namespace {

// The distinct samples of a neuron's first kSelectivityTop firings, in order of first appearance.
std::vector<int64_t> ablation_samples(const NeuronSummary& n) {
  std::vector<int64_t> samples;
  for (size_t i = 0; i < n.top.size() && i < kSelectivityTop; ++i)
    if (std::find(samples.begin(), samples.end(), n.top[i].sample) == samples.end()) samples.push_back(n.top[i].sample);
  return samples;
}

// Per neuron, from its rows' outputs before and after silencing it. Classification: the share of rows
// whose class changes and the mean drop of the originally predicted class's probability. Regression:
// the share whose standardized prediction moves by more than 0.01 (1% of the target's spread) and the
// mean absolute move.
std::pair<double, double> ablation_effect(const torch::Tensor& before, const torch::Tensor& after, bool classification) {
  if (!classification) {
    const torch::Tensor moved = (after - before).abs().flatten();
    return {moved.gt(0.01).to(torch::kDouble).mean().item<double>(), moved.mean().item<double>()};
  }
  const torch::Tensor p = torch::softmax(before.to(torch::kDouble), -1), q = torch::softmax(after.to(torch::kDouble), -1);
  const torch::Tensor predicted = p.argmax(-1, /*keepdim=*/true);
  const double changed = q.argmax(-1, true).ne(predicted).to(torch::kDouble).mean().item<double>();
  return {changed, (p.gather(1, predicted) - q.gather(1, predicted)).mean().item<double>()};
}

// The most frequent live neurons are silenced on their samples, many neurons per forward pass: each
// row of a pass is one (neuron, sample) pair.
void measure_ablations(std::vector<NeuronSummary>& neurons, MixturePredictor& student, int64_t layer, const torch::Tensor& inputs,
                       torch::Device device, bool classification) {
  constexpr int64_t kRowsPerPass = 4096;
  std::vector<size_t> order(neurons.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return neurons[a].active > neurons[b].active; });
  std::vector<size_t> measured;
  std::vector<int64_t> samples, silenced;  // one row per (neuron, sample)
  for (size_t rank = 0; rank < order.size() && rank < static_cast<size_t>(kMaxAblatedNeurons) && neurons[order[rank]].active > 0; ++rank) {
    measured.push_back(order[rank]);
    for (int64_t sample : ablation_samples(neurons[order[rank]])) {
      samples.push_back(sample);
      silenced.push_back(neurons[order[rank]].neuron);
    }
  }
  if (samples.empty()) return;
  torch::NoGradGuard no_grad;
  student.eval();
  const torch::Tensor rows = torch::tensor(samples, torch::kLong), neuron_of_row = torch::tensor(silenced, torch::kLong);
  // The intact outputs once per distinct sample, the silenced ones per row.
  const auto [distinct, row_of_distinct] = torch::_unique(rows, /*sorted=*/true, /*return_inverse=*/true);
  const torch::Tensor all_before = predict(student, inputs.index_select(0, distinct), device, kRowsPerPass).index_select(0, row_of_distinct);
  std::vector<torch::Tensor> after;
  for (int64_t begin = 0; begin < rows.size(0); begin += kRowsPerPass) {
    const int64_t count = std::min(kRowsPerPass, rows.size(0) - begin);
    const torch::Tensor x = inputs.index_select(0, rows.narrow(0, begin, count)).to(device);
    after.push_back(outputs_with_silenced_neurons(student, layer, neuron_of_row.narrow(0, begin, count), x).cpu());
  }
  const torch::Tensor all_after = torch::cat(after);
  int64_t offset = 0;
  for (size_t i : measured) {
    const auto count = static_cast<int64_t>(ablation_samples(neurons[i]).size());
    std::tie(neurons[i].ablation_changed, neurons[i].ablation_drop) =
        ablation_effect(all_before.narrow(0, offset, count), all_after.narrow(0, offset, count), classification);
    offset += count;
  }
}

// Layer 0's neurons read the inputs through the encoder, exactly linearly: their weights over the inputs.
void store_input_weights(TraceStore& store, int64_t run, MixturePredictor& student) {
  const torch::Tensor map = student.first_layer_input_map();
  auto* bank = dynamic_cast<FeedForwardExpertBank*>(&student.moe_layer(0)->experts());
  if (!map.defined() || !bank) return;
  const auto [weights, biases] = bank->input_layers();  // [N, H, d]
  if (weights.size(0) * weights.size(1) * map.size(1) * static_cast<int64_t>(sizeof(float)) > (int64_t{64} << 20)) return;
  torch::NoGradGuard no_grad;
  const torch::Tensor composed = torch::matmul(weights.flatten(0, 1), map).to(torch::kCPU, torch::kFloat).contiguous();
  StoredTensor stored{composed.sizes().vec(), std::vector<float>(composed.data_ptr<float>(), composed.data_ptr<float>() + composed.numel())};
  store.store_router_tensors(run, 0, {{kNeuronInputWeights, stored}});
}

}  // namespace

void summarize_neurons(TraceStore& store, int64_t run, MixturePredictor& student, const torch::Tensor& inputs, torch::Device device,
                       double threshold, bool classification) {
  for (int64_t l = 0; l < student.moe_layer_count(); ++l) {
    ExpertBank& bank = student.moe_layer(l)->experts();
    const NeuronLayer layer{l, bank.size(), bank.units_per_expert(), 0, threshold};
    NeuronStatistics statistics(layer.neurons());
    store.for_each_neuron_position(run, l, [&](int64_t sample, int64_t token, int64_t label, const int32_t* ids, const float* values, size_t count) {
      statistics.add(sample, token, label, ids, values, count);
    });
    std::vector<NeuronSummary> neurons = statistics.summaries(threshold);
    measure_ablations(neurons, student, l, inputs, device, classification);
    store.store_neurons(run, NeuronLayer{l, layer.experts, layer.units_per_expert, statistics.positions(), threshold}, neurons);
  }
  store_input_weights(store, run, student);
}

}  // namespace ndtmoe
