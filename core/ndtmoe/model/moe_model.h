#pragma once
// A stack of MoE layers of one family (the student, and the linear-gate baseline): input encoder (linear,
// or piecewise-linear: ModelConfig::piecewise_bins),
// L layers with optional DenseNet connections, a head on the last layer or on the mean of all layers.

#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/model/piecewise_linear_encoder.h"

namespace ndtmoe {

class MoEModel : public MixturePredictor {
 public:
  explicit MoEModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  int64_t moe_layer_count() const override { return static_cast<int64_t>(layers_.size()); }
  MoELayer moe_layer(int64_t l) const override { return layers_.at(static_cast<size_t>(l)); }
  int64_t router_input_width() const;
  torch::Tensor first_layer_input_map() const override { return encoder_ ? encoder_->weight : torch::Tensor(); }
  void fit_to_training_inputs(const torch::Tensor& x) override;

 private:
  torch::nn::Linear encoder_{nullptr}, head_{nullptr};
  PiecewiseLinearEncoder piecewise_encoder_{nullptr};  // instead of encoder_ when config.piecewise_bins > 0
  std::vector<MoELayer> layers_;
  std::vector<torch::nn::Linear> dense_projections_;  // input of layer l >= 1 from all earlier outputs
};

}  // namespace ndtmoe
