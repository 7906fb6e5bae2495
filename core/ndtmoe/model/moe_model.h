#pragma once
// A stack of MoE layers of one family (the student, and the linear-gate baseline): input encoder,
// L layers with optional DenseNet connections, a head on the last layer or on the mean of all layers.

#include "ndtmoe/model/moe_layer.h"
#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

class MoEModel : public Predictor {
 public:
  explicit MoEModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  MoELayer layer(int64_t l) const { return layers_[static_cast<size_t>(l)]; }
  int64_t router_input_width() const;

 private:
  torch::nn::Linear encoder_{nullptr}, head_{nullptr};
  std::vector<MoELayer> layers_;
  std::vector<torch::nn::Linear> dense_projections_;  // input of layer l >= 1 from all earlier outputs
};

}  // namespace ndtmoe
