#pragma once
// The `moe-x` family (MoE-X, arXiv 2503.07639): ReLU experts, so the layer is one wide MLP of width N·H
// whose hidden units are zero outside the selected experts and scaled by their gate weights inside, and
// a sparsity-aware router that prefers the experts whose ReLU units would fire least on the input,
// estimated from each expert's weights without running it (docs/architecture.md states the form).

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

struct MoEXFamilyOptions {
  bool sparsity_router = true;  // score experts by their estimated active units
  bool gate_term = false;       // add a learnable linear gate to the scores
  ExpertActivation activation = ExpertActivation::Relu;
  static MoEXFamilyOptions of(const nlohmann::json& options);
};

// Expected active units of each expert of `experts` [N, H, d] / `biases` [N, H] on rows x [B, d]: the
// pre-activations taken as Gaussian with mean mean(W_j)·Σx + mean(b_j) and deviation std(W_j)·‖x‖, so
// the count is H·Φ(mean / deviation). [B, N]
torch::Tensor expected_active_units(const torch::Tensor& x, const torch::Tensor& weights, const torch::Tensor& biases);

class MoEXRouterImpl : public RouterImpl {
 public:
  MoEXRouterImpl(int64_t in_features, int64_t num_experts, int64_t top_k, MoEXFamilyOptions options);
  RoutingDecision forward(const torch::Tensor& router_input) override;
  void bind_experts(ExpertBank& experts) override;
  std::map<std::string, torch::Tensor> traced_parameters() override;

 private:
  int64_t top_k_;
  MoEXFamilyOptions options_;
  class FeedForwardExpertBank* experts_ = nullptr;
  torch::Tensor weight_, bias_;  // the linear gate term, when on
};

Family moe_x_family();

}  // namespace ndtmoe
