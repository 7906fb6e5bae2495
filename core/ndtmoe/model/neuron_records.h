#pragma once
// Neurons of models whose experts are MLPs: each MoE layer seen as one wide MLP of experts × units
// hidden units (MoE-X's reading), its firing units recorded sparsely per position, and single neurons
// switched off to see what they do to the prediction.

#include <torch/torch.h>

#include "ndtmoe/model/mixture_predictor.h"

namespace ndtmoe {

// True when every MoE layer of the model has experts with hidden units.
bool has_neurons(MixturePredictor& model);

// The neurons that fired above `threshold` at each of R positions, in compressed-row form: position r's
// neuron ids (expert * units + unit, int32) and gated activations (float) are entries
// offsets[r] .. offsets[r + 1] - 1 (int64 [R + 1]). A position of padding (expert -1) has none.
struct NeuronRows {
  torch::Tensor offsets, neurons, activations;
};
NeuronRows sparse_neurons(const torch::Tensor& gated_units, const torch::Tensor& top_experts, double threshold);

// Turns on every layer's neuron recording (kNeuronActivationsRecord) for its lifetime.
class NeuronRecording {
 public:
  explicit NeuronRecording(MixturePredictor& model);
  ~NeuronRecording();
  NeuronRecording(const NeuronRecording&) = delete;
  NeuronRecording& operator=(const NeuronRecording&) = delete;

 private:
  MixturePredictor& model_;
};

// The model's outputs on x with one neuron of one layer silenced (its outgoing weights zeroed, which is
// exactly the unit never firing; the router, which reads only incoming weights, routes as before).
torch::Tensor outputs_without_neuron(MixturePredictor& model, int64_t layer, int64_t neuron, const torch::Tensor& x);

}  // namespace ndtmoe
