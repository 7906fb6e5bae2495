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

 private:
  RoutingDecision route(const torch::Tensor& router_input);

  MoELayerOptions options_;
  NDTRouter tree_router_{nullptr};
  torch::nn::Linear gate_{nullptr};
  std::vector<FeedForwardExpert> experts_;
  torch::nn::LayerNorm norm_{nullptr};
};
TORCH_MODULE(NDTMoELayer);

}  // namespace ndtmoe
