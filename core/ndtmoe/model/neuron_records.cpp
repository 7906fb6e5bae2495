#include "ndtmoe/model/neuron_records.h"

#include <stdexcept>

namespace ndtmoe {

bool has_neurons(MixturePredictor& model) {
  if (model.moe_layer_count() == 0) return false;
  for (int64_t l = 0; l < model.moe_layer_count(); ++l)
    if (model.moe_layer(l)->experts().units_per_expert() == 0) return false;
  return true;
}

NeuronRows sparse_neurons(const torch::Tensor& gated_units, const torch::Tensor& top_experts, double threshold) {
  const torch::Tensor units = gated_units.detach().to(torch::kCPU, torch::kFloat);
  const torch::Tensor experts = top_experts.to(torch::kCPU, torch::kLong);
  const int64_t rows = units.size(0), per_expert = units.size(2);
  // Padding positions (expert -1) carry zeros; masking them keeps a negative threshold from listing them.
  const torch::Tensor fired = units.gt(threshold).logical_and(experts.ge(0).unsqueeze(2));
  const torch::Tensor where = fired.nonzero();  // [M, 3] (row, slot, unit), row-major, so grouped by row
  const torch::Tensor row = where.select(1, 0), slot = where.select(1, 1), unit = where.select(1, 2);
  NeuronRows out;
  out.neurons = (experts.index({row, slot}) * per_expert + unit).to(torch::kInt);
  out.activations = units.index({row, slot, unit}).contiguous();
  out.offsets = torch::cat({torch::zeros({1}, torch::kLong), torch::bincount(row, {}, rows).cumsum(0)});
  return out;
}

NeuronRecording::NeuronRecording(MixturePredictor& model) : model_(model) {
  for (int64_t l = 0; l < model_.moe_layer_count(); ++l) model_.moe_layer(l)->record_neurons(true);
}

NeuronRecording::~NeuronRecording() {
  for (int64_t l = 0; l < model_.moe_layer_count(); ++l) model_.moe_layer(l)->record_neurons(false);
}

torch::Tensor outputs_with_silenced_neurons(MixturePredictor& model, int64_t layer, const torch::Tensor& per_sample, const torch::Tensor& x) {
  if (layer < 0 || layer >= model.moe_layer_count()) throw std::out_of_range("the model has no MoE layer " + std::to_string(layer));
  MoELayer moe = model.moe_layer(layer);
  const int64_t neurons = moe->experts().size() * moe->experts().units_per_expert();
  if (neurons == 0) throw std::invalid_argument("layer " + std::to_string(layer) + " has no MLP experts whose neurons could be silenced");
  if (per_sample.size(0) != x.size(0) || per_sample.ge(neurons).any().item<bool>())
    throw std::out_of_range("layer " + std::to_string(layer) + " has " + std::to_string(neurons) + " neurons; a silenced neuron is not one of them");
  torch::NoGradGuard no_grad;
  // The layer's rows are the samples' positions, sample-major.
  moe->set_silenced_neurons(per_sample.to(torch::kLong).repeat_interleave(model.routed_tokens()).to(x.device()));
  struct Restore {
    MoELayer& layer;
    ~Restore() { layer->set_silenced_neurons({}); }
  } restore{moe};
  return model.run(x).output.detach();
}

}  // namespace ndtmoe
