#pragma once
// The dense MLP baseline: two GELU layers with dropout and a head; the first layer linear or
// piecewise-linear in the inputs (ModelConfig::piecewise_bins).

#include "ndtmoe/model/piecewise_linear_encoder.h"
#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

class MLPModel : public Predictor {
 public:
  explicit MLPModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  // "hidden": the second layer with its GELU, mlp_hidden -> mlp_hidden.
  std::vector<DenseLayer> dense_layers() const override;
  void fit_to_training_inputs(const torch::Tensor& x) override;

 private:
  torch::nn::Linear first_{nullptr}, second_{nullptr}, head_{nullptr};
  PiecewiseLinearEncoder piecewise_first_{nullptr};  // instead of first_ when config.piecewise_bins > 0
  torch::nn::Dropout dropout_{nullptr};
};

}  // namespace ndtmoe
