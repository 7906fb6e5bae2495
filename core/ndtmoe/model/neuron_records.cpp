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

torch::Tensor outputs_without_neuron(MixturePredictor& model, int64_t layer, int64_t neuron, const torch::Tensor& x) {
  if (layer < 0 || layer >= model.moe_layer_count()) throw std::out_of_range("the model has no MoE layer " + std::to_string(layer));
  auto* bank = dynamic_cast<FeedForwardExpertBank*>(&model.moe_layer(layer)->experts());
  if (!bank) throw std::invalid_argument("layer " + std::to_string(layer) + " has no MLP experts whose neurons could be silenced");
  const int64_t units = bank->units_per_expert();
  if (neuron < 0 || neuron >= bank->size() * units)
    throw std::out_of_range("layer " + std::to_string(layer) + " has no neuron " + std::to_string(neuron));
  torch::NoGradGuard no_grad;
  torch::Tensor column = bank->expert(neuron / units)->fc_out()->weight.select(1, neuron % units);
  const torch::Tensor saved = column.clone();
  // Restored however the forward pass ends.
  struct Restore {
    torch::Tensor& column;
    const torch::Tensor& saved;
    ~Restore() { column.copy_(saved); }
  } restore{column, saved};
  column.zero_();
  return model.run(x).output.detach();
}

}  // namespace ndtmoe
