#pragma once
// NDTRouter: NODE-style soft oblivious decision trees that route samples to experts.
//
// Level i of tree t selects a sparse mix of router inputs with entmax15 over learnable logits, compares
// it with a threshold at a learnable temperature through entmoid15, and the leaf probabilities are the
// products of the per-level decisions. Bit i of a leaf index is 1 when level i went right (value above
// the threshold), so leaf l = sum_i bit_i * 2^i.

#include <torch/torch.h>

#include "ndtmoe/model/router.h"

namespace ndtmoe {

enum class LeafExpertMode { Linear, Identity, Sparse };
const char* to_string(LeafExpertMode mode);
LeafExpertMode leaf_expert_mode_from_string(const std::string& text);

struct NDTRouterOptions {
  NDTRouterOptions(int64_t in_features, int64_t num_experts) : in_features_(in_features), num_experts_(num_experts) {}
  TORCH_ARG(int64_t, in_features);
  TORCH_ARG(int64_t, num_experts);
  TORCH_ARG(int64_t, depth) = 3;
  TORCH_ARG(int64_t, trees) = 1;
  TORCH_ARG(int64_t, top_k) = 2;
  TORCH_ARG(LeafExpertMode, leaf_mode) = LeafExpertMode::Linear;
  // NODE's data-aware initialisation: threshold quantiles ~ Beta(beta, beta), temperature from the
  // `cutoff` quantile of |value - threshold|.
  TORCH_ARG(double, threshold_init_beta) = 1.0;
  TORCH_ARG(double, threshold_init_cutoff) = 1.0;
};

// Records (ndt_family.h names them): "decisions" [B, T, D], "split_values" [B, T, D], "leaf_probs" [B, T, 2^D].
class NDTRouterImpl : public RouterImpl {
 public:
  explicit NDTRouterImpl(NDTRouterOptions options);
  RoutingDecision forward(const torch::Tensor& router_input) override;

  // Per-level parameters as the views and the trace store read them.
  torch::Tensor selector_weights();  // [T, D, in] entmax15 of the selector logits (rows sum to 1)
  torch::Tensor leaf_expert_map();   // [T*2^D, N] leaf -> expert distribution (linear: softmax of weights)
  torch::Tensor thresholds() const { return thresholds_; }
  torch::Tensor log_temperatures() const { return log_temperatures_; }
  bool initialized();
  // Runs the data-aware initialisation on this batch (also done automatically on the first training batch).
  void initialize_from(const torch::Tensor& router_input);
  const NDTRouterOptions& options() const { return options_; }
  int64_t leaves() const { return int64_t{1} << options_.depth(); }

 private:
  torch::Tensor split_values(const torch::Tensor& router_input);

  NDTRouterOptions options_;
  torch::Tensor selector_logits_, thresholds_, log_temperatures_, initialized_;
  bool known_initialized_ = false;  // avoids a device sync per batch once the buffer reads true
  torch::nn::Linear leaf_to_expert_{nullptr};  // linear mode
  torch::Tensor leaf_expert_logits_;           // sparse mode
};
TORCH_MODULE(NDTRouter);

}  // namespace ndtmoe
