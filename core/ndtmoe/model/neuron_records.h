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

// The model's outputs on x [B, ...] with one neuron of `layer` silenced per sample (int64 [B]:
// expert * units + unit, -1 for none) — its activation zero on every position of that sample, as if it
// never fired; the router routes as before (it reads the layer's input, not the unit). In eval mode.
torch::Tensor outputs_with_silenced_neurons(MixturePredictor& model, int64_t layer, const torch::Tensor& per_sample, const torch::Tensor& x);

}  // namespace ndtmoe
