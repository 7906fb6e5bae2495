#pragma once
// The `imoie` family (Implicit Mixture of Interpretable Experts, ../shared/seeds/imoie-paper.md). A
// black-box encoder maps the input to a code of L bits, c = sign(z) ∈ {−1, 1}^L, with a straight-through
// gradient: 2^L experts. A decoder maps a code to its expert, a linear map inputs → classes, and to its
// interpretable router, a linear map inputs → 1. The prediction is E_c(x). For images the encoder and
// decoder are convolutional (the decoder draws one weight image per class and one for the router); for
// tables they are MLPs. The model around them and its losses are in imoie_model.h.

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

struct ImoieFamilyOptions {
  int64_t code_length = 4;  // L: 2^L experts
  bool binarize = true;     // off: the code stays continuous (the paper's "∞ experts"); no explicit mode
  double lambda_c = 0.5, lambda_r = 0.7, lambda_ec = 1.0, lambda_l1 = 0.1;  // the paper's loss weights
  int64_t explicit_top = 8;  // explicit mode: softmax over this many largest router scores
  int64_t width = 128;       // the MLP encoder's and decoder's units (tables)
  int64_t channels = 16;     // the convolutional encoder's and decoder's first channels (images)
  static ImoieFamilyOptions of(const nlohmann::json& options);
};

// sign(z) (0 ↦ 1) forward, the identity backward (Bengio et al.'s straight-through estimator).
torch::Tensor binarize_straight_through(const torch::Tensor& z);
// Expert index of each code row [B, L] (bit l set where z_l ≥ 0) [B] int64, and the ±1 code of each
// expert index [M] → [M, L] float.
torch::Tensor expert_of_code(const torch::Tensor& z);
torch::Tensor code_of_expert(const torch::Tensor& experts, int64_t code_length);

// The black-box router: x → z [B, L]. Routes each row to the expert of sign(z) with weight 1. Its
// logits over all 2^L experts are z·s_n (s_n the code of expert n), whose softmax is the product of
// independent bits with P(bit l = 1) = σ(2 z_l). Records "code_scores" z for the expert bank.
class ImoieRouterImpl : public RouterImpl {
 public:
  ImoieRouterImpl(int64_t in_features, const std::vector<int64_t>& image_shape, ImoieFamilyOptions options);
  RoutingDecision forward(const torch::Tensor& x) override;
  torch::Tensor code_scores(const torch::Tensor& x);  // z [B, L]

 private:
  ImoieFamilyOptions options_;
  std::vector<int64_t> image_shape_;
  torch::nn::Sequential encoder_{nullptr};
};

// A generated expert and router per code: [M, O + 1, I + 1], rows 0..O−1 the experts' class weights, row O
// the router's; column I the bias.
class ImplicitExpertBank : public ExpertBank {
 public:
  ImplicitExpertBank(int64_t in_features, int64_t classes, const std::vector<int64_t>& image_shape, ImoieFamilyOptions options);
  int64_t size() const override { return int64_t{1} << options_.code_length; }
  torch::Tensor forward(int64_t expert, const torch::Tensor& x) override;
  // E_c(x) for each row's code: the straight-through code of its expert (or the continuous code without
  // binarisation), so the classification loss reaches the encoder. Keeps the generated weights for the
  // model's losses (last_generated).
  std::optional<torch::Tensor> mix(const torch::Tensor& x, const RoutingDecision& routing) override;
  void register_in(torch::nn::Module& layer) override;

  torch::Tensor generate(const torch::Tensor& codes);  // [M, L] → [M, O + 1, I + 1]
  // All 2^L experts and routers (no gradient), generated in chunks.
  torch::Tensor generate_all();
  torch::Tensor last_generated() const { return last_generated_; }
  int64_t classes() const { return classes_; }

 private:
  ImoieFamilyOptions options_;
  int64_t in_features_, classes_;
  std::vector<int64_t> image_shape_;
  torch::nn::Sequential decoder_{nullptr};  // codes → weights [M, (O + 1) · I]
  torch::nn::Linear bias_{nullptr};         // codes → biases [M, O + 1]
  torch::Tensor last_generated_;
};

// x [B, I] with a column of ones appended [B, I + 1], so a generated row's last entry acts as its bias.
torch::Tensor with_bias_column(const torch::Tensor& x);
// Row b's own linear maps applied to it: maps [B, R, I + 1], x [B, I] → [B, R].
torch::Tensor apply_own_maps(const torch::Tensor& maps, const torch::Tensor& x);

Family imoie_family();

}  // namespace ndtmoe
