#pragma once
// The dense MLP baseline: two GELU layers with dropout and a head.

#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

class MLPModel : public Predictor {
 public:
  explicit MLPModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  // "hidden": the second layer with its GELU, mlp_hidden -> mlp_hidden.
  std::vector<DenseLayer> dense_layers() const override;

 private:
  torch::nn::Linear first_{nullptr}, second_{nullptr}, head_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};

}  // namespace ndtmoe
