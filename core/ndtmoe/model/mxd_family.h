#pragma once
// The `mxd` family (Mixture of Decoders, arXiv 2505.21364; reference code james-oldfield/MxD,
// transcoders/sae_training/sparse_autoencoder.py). N experts share one dense encoder and one decoder D
// and differ only by a modulation vector c_n that scales D's outputs, W_n = D·diag(c_n):
//   z = φ(W_enc x + b_enc),  a = TopK(ReLU(G x + b_G)),  y = (Dᵀ z) ⊙ (Σ_k a_k ĉ_{e_k}) + b_out.
// Only the K selected modulation vectors are gathered, so the layer's cost beyond the gate grows with K
// and not with N: thousands of experts are practical. ĉ_n = c_n / ‖c_n‖ — the reference renormalises C's
// columns after every optimiser step; normalising in the forward pass is the same function class and
// holds on every path that loads or edits weights.

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

struct MxDFamilyOptions {
  ExpertActivation activation = ExpertActivation::Relu;  // φ: the activation of the layer an MxD replaces
  // The gate: the reference's ReLU top-K over a linear map of the input, or soft oblivious decision
  // trees (the ndt router) with one decoder per leaf — the cheaper, hierarchical gate the paper leaves
  // open: per row it costs trees·(depth·d + 2^depth) instead of N·d, with N = trees·2^depth.
  bool tree_gate = false;
  int64_t depth = 6, trees = 1;
  static MxDFamilyOptions of(const nlohmann::json& options);
};

// The reference gate: logits G x + b_G, the K largest, weighted by their ReLU (not normalised: a row whose
// chosen logits are all negative gets b_out alone).
class ReluTopKGateImpl : public LinearGateRouterImpl {
 public:
  using LinearGateRouterImpl::LinearGateRouterImpl;
  RoutingDecision forward(const torch::Tensor& router_input) override;
  torch::Tensor weigh_selected(const torch::Tensor& selected_logits) const override { return torch::relu(selected_logits); }
};

class MixtureOfDecodersBank : public ExpertBank {
 public:
  MixtureOfDecodersBank(int64_t experts, int64_t d_model, int64_t hidden, ExpertActivation activation);
  int64_t size() const override { return modulations_.size(0); }
  // Expert n alone: W_nᵀ z = (Dᵀ z) ⊙ ĉ_n.
  torch::Tensor forward(int64_t expert, const torch::Tensor& x) override;
  std::optional<torch::Tensor> mix(const torch::Tensor& x, const RoutingDecision& routing) override;
  torch::Tensor shared_output() const override { return output_bias_; }
  void register_in(torch::nn::Module& layer) override;
  // "modulations" [M, d] (ĉ of the given experts) and "expert_ids" [M].
  std::map<std::string, torch::Tensor> drawn_tensors(const torch::Tensor& experts) const override;

  torch::Tensor decoded(const torch::Tensor& x);  // Dᵀ φ(W_enc x + b_enc) [rows, d]
  torch::Tensor modulations() const;              // ĉ_n as rows [N, d], unit norm
  torch::Tensor decoder() const { return decoder_; }  // D [H, d]
  torch::Tensor expert_weights(int64_t expert) const;  // W_n = D·diag(ĉ_n) [H, d]

 private:
  ExpertActivation activation_;
  torch::nn::Linear encoder_{nullptr};
  torch::Tensor decoder_, modulations_, output_bias_;
};

Family mxd_family();

// How far a sparse replacement's outputs [B, d] are from a dense layer's: the mean over rows and outputs
// of (y − t)² / ‖t‖₂, the reference's loss (it divides by the norm, not its square).
torch::Tensor normalized_reconstruction_loss(const torch::Tensor& prediction, const torch::Tensor& target);

}  // namespace ndtmoe
