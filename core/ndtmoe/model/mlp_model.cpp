#include "ndtmoe/model/mlp_model.h"

namespace ndtmoe {

MLPModel::MLPModel(ModelConfig c) : Predictor(std::move(c)) {
  if (config_.piecewise_bins > 0)
    piecewise_first_ = register_module("first", PiecewiseLinearEncoder(config_.in_features, config_.piecewise_bins, config_.mlp_hidden));
  else
    first_ = register_module("first", torch::nn::Linear(config_.in_features, config_.mlp_hidden));
  second_ = register_module("second", torch::nn::Linear(config_.mlp_hidden, config_.mlp_hidden));
  head_ = register_module("head", torch::nn::Linear(config_.mlp_hidden, config_.out_features));
  dropout_ = register_module("dropout", torch::nn::Dropout(config_.dropout));
}

PredictorOutput MLPModel::run(const torch::Tensor& x) {
  PredictorOutput out;
  torch::Tensor h = dropout_->forward(torch::gelu(piecewise_first_ ? piecewise_first_->forward(x) : first_->forward(x)));
  torch::Tensor second = torch::gelu(second_->forward(h));
  if (const LayerOverride hidden = override_of("hidden")) second = hidden(h, second);
  out.hidden = dropout_->forward(second);
  out.output = head_->forward(out.hidden);
  return out;
}

void MLPModel::fit_to_training_inputs(const torch::Tensor& x) {
  if (piecewise_first_) piecewise_first_->fit_bin_edges(x);
}

std::vector<DenseLayer> MLPModel::dense_layers() const { return {{"hidden", config_.mlp_hidden, config_.mlp_hidden, false, "gelu"}}; }

}  // namespace ndtmoe
