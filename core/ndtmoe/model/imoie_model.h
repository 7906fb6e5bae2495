#pragma once
// The IMoIE model: one MoE layer of the imoie family from the raw inputs straight to the classes (no
// input projection, no head: the experts are the whole prediction, so they can be read), its losses,
// and its explicit mode.
//
// Training adds, with the family's weights (imoie_family.h):
//   L_R  = BCE(σ(R_i(x_i)), 1) + BCE(σ(R_i(x_{i+1})), [c_i = c_{i+1}])  — each router fires on the rows
//          of its own code and not on its neighbour's row of another code;
//   L_1  = mean|E| + mean|R| over the batch's generated weights (biases excluded);
//   L_EC = CE(Explicit(x), y), explicit mode over the experts of the previous batch's codes only;
// and scales the task and distillation terms by λ_C.
//
// Explicit mode (prediction mode "explicit"): Σ_n softmax(top-k of R(x))_n E_n(x) over all 2^L generated
// experts and routers — a model of linear pieces that needs no encoder (explicit_table exports it).

#include "ndtmoe/model/imoie_family.h"
#include "ndtmoe/model/mixture_predictor.h"

namespace ndtmoe {

// Explicit-mode mixture over generated maps [M, O + 1, I + 1] for rows x [B, I]: the k largest router
// scores (row O of each map) per row, softmax-weighted experts (rows 0..O−1).
struct ExplicitPrediction {
  torch::Tensor output;       // [B, O]
  torch::Tensor top_experts;  // [B, k] indices into the maps
  torch::Tensor top_weights;  // [B, k]
  torch::Tensor scores;       // [B, M] every router's score R_n(x)
};
ExplicitPrediction explicit_mixture(const torch::Tensor& maps, const torch::Tensor& x, int64_t top);

// L_R for the routers [B, I + 1] generated for the rows x [B, I] of experts [B]: row i's router against
// x_i (target 1) and against x_{i+1} (target [expert_i = expert_{i+1}]), the last row's neighbour the first.
torch::Tensor imoie_routing_loss(const torch::Tensor& routers, const torch::Tensor& x, const torch::Tensor& experts);

class ImoieModel : public MixturePredictor {
 public:
  explicit ImoieModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  int64_t moe_layer_count() const override { return 1; }
  MoELayer moe_layer(int64_t /*l*/) const override { return layer_; }

  // "expert_maps" [M, O + 1, I + 1] (each expert's generated class weights and router, bias last) and
  // "expert_ids" [M].
  std::map<std::string, torch::Tensor> expert_tensors(int64_t layer, const torch::Tensor& experts) override;
  std::vector<std::string> prediction_modes() const override;
  void set_prediction_mode(const std::string& mode) override;
  // Every expert and router, generated once per change of the weights (or of the device): [2^L, O + 1, I + 1].
  torch::Tensor explicit_table();
  void train(bool on = true) override;  // drops the explicit table: the weights may change

  const ImoieFamilyOptions& options() const { return options_; }
  ImplicitExpertBank& bank();
  ImoieRouterImpl& router();

 private:
  void add_training_losses(PredictorOutput& out, const torch::Tensor& x, const torch::Tensor& experts);
  PredictorOutput run_explicit(const torch::Tensor& x);

  ImoieFamilyOptions options_;
  MoELayer layer_{nullptr};
  bool explicit_ = false;
  torch::Tensor explicit_table_;
  torch::Tensor previous_codes_;  // the distinct experts of the previous training batch (L_EC)
};

}  // namespace ndtmoe
