#pragma once
// One mixture-of-experts layer of any family: the family's router, sparse dispatch to the top-K
// experts of the family's expert bank, residual connection and LayerNorm, and the auxiliary routing
// losses. What differs between families lives in their router and expert bank (family_registry.h).

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "ndtmoe/model/expert_bank.h"
#include "ndtmoe/model/router.h"

namespace ndtmoe {

struct MoELayerOptions {
  int64_t d_model = 64;
  int64_t router_in = 64;
  int64_t experts = 8;
  int64_t expert_hidden = 128;
  int64_t top_k = 2;
  double dropout = 0.1;
  std::string family = "ndt";
  nlohmann::json family_options = nlohmann::json::object();  // complete (normalize_family_config)
  // Off inside a transformer block, which adds the mixed output to its own residual stream: `hidden` of
  // the output is then the experts' weighted sum alone.
  bool residual_norm = true;
  // Off for a stand-in fitted to a dense layer's outputs (decomposition), which uses neither load
  // balancing nor the z-loss: both are then left undefined.
  bool routing_losses = true;
  // {C, H, W} where the layer sees whole images (imoie's convolutional encoder and decoder); else empty.
  std::vector<int64_t> image_shape = {};
};

struct MoELayerOutput {
  torch::Tensor hidden;          // [B, d]: LayerNorm(input + mixed), or mixed without residual_norm
  torch::Tensor load_balance;    // scalar: N * sum_j f_j * P_j
  torch::Tensor z_loss;          // scalar: mean(logsumexp(logits)^2)
  torch::Tensor expert_counts;   // [N] int64: samples dispatched to each expert (all K slots)
  RoutingDecision routing;
};

// RoutingDecision::records entry of a layer recording its neurons (record_neurons): [B, K, units] the
// hidden units of each row's k-th expert times that expert's gate weight, i.e. the row's slice of the
// layer seen as one wide MLP of N·units hidden units (zero outside the selected experts).
inline constexpr const char* kNeuronActivationsRecord = "neuron_activations";

// RoutingDecision::records entry of a layer recording its inputs (record_inputs): [B, d] the hidden
// states its experts read, which the embeddings map to 2-D.
inline constexpr const char* kLayerInputRecord = "layer_input";

// Switch Transformer load balancing: f_j = share of samples whose top-1 expert is j, P_j = mean router
// probability of j.
torch::Tensor switch_load_balance_loss(const torch::Tensor& probs, const torch::Tensor& top_experts);
torch::Tensor router_z_loss(const torch::Tensor& logits);

class MoELayerImpl : public torch::nn::Module {
 public:
  explicit MoELayerImpl(MoELayerOptions options);
  MoELayerOutput forward(const torch::Tensor& hidden, const torch::Tensor& router_input);

  const MoELayerOptions& options() const { return options_; }
  RouterPtr router() const { return router_; }
  // The router as a family's own class, or null when it is another family's.
  template <typename Router>
  std::shared_ptr<Router> router_as() const { return std::dynamic_pointer_cast<Router>(router_); }
  ExpertBank& experts() { return *experts_; }

  // Analysis hooks, off in training. Recording sums each expert's outputs over the samples routed to it;
  // constant experts replace expert j's output by row j of `outputs` [N, d] for every sample (IMoIE's
  // check that the router does not solve the task alone); an undefined tensor restores the experts.
  void record_expert_outputs(bool on);
  torch::Tensor recorded_expert_means() const;  // [N, d]; zero rows for experts that received nothing
  // Records every row's gated hidden units (kNeuronActivationsRecord) while on; only for banks with
  // hidden units (ExpertBank::units_per_expert() > 0). An analysis in eval mode: the experts skip dropout.
  void record_neurons(bool on) { recording_neurons_ = on; }
  // Keeps every row's input to the experts (kLayerInputRecord) while on.
  void record_inputs(bool on) { recording_inputs_ = on; }
  // Silences one neuron per row of the next forward passes (int64 [rows]: expert * units + unit, -1 for
  // none): its unit's activation is zero for that row, as if it never fired; an undefined tensor ends it.
  void set_silenced_neurons(torch::Tensor per_row) { silenced_neurons_ = std::move(per_row); }
  void set_constant_experts(torch::Tensor outputs) { constant_experts_ = std::move(outputs); }
  // Forces the top-K expert set [B, K] of the next forward passes (weights stay a softmax over the
  // forced experts' logits), so attributions can follow a path without the selection jumping.
  void set_forced_experts(torch::Tensor experts) { forced_experts_ = std::move(experts); }

 private:
  // Sparse dispatch: each selected expert on its rows, weighted and summed per row [B, d].
  torch::Tensor dispatch(const torch::Tensor& hidden, RoutingDecision& routing, const torch::Tensor& expert_counts);
  // Expert `expert`'s hidden units [rows, units] of the layer's rows `samples` with each row's silenced
  // neuron zeroed where it is one of this expert's.
  torch::Tensor silence_units(int64_t expert, torch::Tensor units, const torch::Tensor& samples) const;

  MoELayerOptions options_;
  RouterPtr router_;
  std::unique_ptr<ExpertBank> experts_;
  torch::nn::LayerNorm norm_{nullptr};
  bool recording_ = false, recording_neurons_ = false, recording_inputs_ = false;
  torch::Tensor recorded_sums_, recorded_counts_, constant_experts_, forced_experts_, silenced_neurons_;
};
TORCH_MODULE(MoELayer);

}  // namespace ndtmoe
