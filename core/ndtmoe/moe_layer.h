#pragma once
// One mixture-of-experts layer: a router (NDT trees, or a linear softmax gate for the baseline), sparse
// dispatch to the top-K experts, residual connection and LayerNorm, and the auxiliary routing losses.

#include <torch/torch.h>

#include "ndtmoe/ndt_router.h"

namespace ndtmoe {

struct FeedForwardExpertOptions {
  FeedForwardExpertOptions(int64_t d_model, int64_t hidden) : d_model_(d_model), hidden_(hidden) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, hidden);
  TORCH_ARG(double, dropout) = 0.1;
};

// Linear -> GELU -> Dropout -> Linear. (Submodule names avoid "in"/"out": TorchScript archives reserve them.)
class FeedForwardExpertImpl : public torch::nn::Module {
 public:
  explicit FeedForwardExpertImpl(FeedForwardExpertOptions options);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear in_{nullptr}, out_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(FeedForwardExpert);

enum class RouterKind { Tree, LinearGate };

struct MoELayerOptions {
  MoELayerOptions(int64_t d_model, int64_t router_in, int64_t num_experts)
      : d_model_(d_model), router_in_(router_in), num_experts_(num_experts) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, router_in);
  TORCH_ARG(int64_t, num_experts);
  TORCH_ARG(int64_t, expert_hidden) = 128;
  TORCH_ARG(int64_t, top_k) = 2;
  TORCH_ARG(double, dropout) = 0.1;
  TORCH_ARG(RouterKind, router) = RouterKind::Tree;
  TORCH_ARG(int64_t, depth) = 3;
  TORCH_ARG(int64_t, trees) = 1;
  TORCH_ARG(LeafExpertMode, leaf_mode) = LeafExpertMode::Linear;
};

struct MoELayerOutput {
  torch::Tensor hidden;          // [B, d]
  torch::Tensor load_balance;    // scalar: N * sum_j f_j * P_j
  torch::Tensor z_loss;          // scalar: mean(logsumexp(logits)^2)
  torch::Tensor expert_counts;   // [N] int64: samples dispatched to each expert (all K slots)
  RoutingDecision routing;
};

// Switch Transformer load balancing: f_j = share of samples whose top-1 expert is j, P_j = mean router
// probability of j.
torch::Tensor switch_load_balance_loss(const torch::Tensor& probs, const torch::Tensor& top_experts);
torch::Tensor router_z_loss(const torch::Tensor& logits);

class NDTMoELayerImpl : public torch::nn::Module {
 public:
  explicit NDTMoELayerImpl(MoELayerOptions options);
  MoELayerOutput forward(const torch::Tensor& hidden, const torch::Tensor& router_input);

  const MoELayerOptions& options() const { return options_; }
  NDTRouter tree_router() const { return tree_router_; }  // null for the linear-gate baseline
  FeedForwardExpert expert(int64_t j) const { return experts_[j]; }

  // Analysis hooks, off in training. Recording sums each expert's outputs over the samples routed to it;
  // constant experts replace expert j's output by row j of `outputs` [N, d] for every sample (IMoIE's
  // check that the router does not solve the task alone); an undefined tensor restores the experts.
  void record_expert_outputs(bool on);
  torch::Tensor recorded_expert_means() const;  // [N, d]; zero rows for experts that received nothing
  void set_constant_experts(torch::Tensor outputs) { constant_experts_ = std::move(outputs); }
  // Forces the top-K expert set [B, K] of the next forward passes (weights stay a softmax over the
  // forced experts' logits), so attributions can follow a path without the selection jumping.
  void set_forced_experts(torch::Tensor experts) { forced_experts_ = std::move(experts); }

 private:
  RoutingDecision route(const torch::Tensor& router_input);

  MoELayerOptions options_;
  NDTRouter tree_router_{nullptr};
  torch::nn::Linear gate_{nullptr};
  std::vector<FeedForwardExpert> experts_;
  torch::nn::LayerNorm norm_{nullptr};
  bool recording_ = false;
  torch::Tensor recorded_sums_, recorded_counts_, constant_experts_, forced_experts_;
};
TORCH_MODULE(NDTMoELayer);

}  // namespace ndtmoe
