#include <stdexcept>

#include "ndtmoe/predictor.h"
#include "ndtmoe/transformer.h"

namespace ndtmoe {

PredictorPtr make_predictor(const ModelConfig& config) {
  if (config.in_features <= 0 || config.out_features <= 0) throw std::invalid_argument("model needs input and output widths");
  switch (config.kind) {
    case ModelKind::NdtMoe:
    case ModelKind::LinearGateMoe: return std::make_shared<NDTMoEModel>(config);
    case ModelKind::Mlp: return std::make_shared<MLPModel>(config);
    case ModelKind::TabularTransformer: return std::make_shared<TabularTransformer>(config);
    case ModelKind::VisionTransformer: return std::make_shared<VisionTransformer>(config);
  }
  throw std::invalid_argument("unknown model kind");
}

NDTMoEModel::NDTMoEModel(ModelConfig c) : Predictor(std::move(c)) {
  const ModelConfig& cfg = config_;
  if (cfg.layers < 1) throw std::invalid_argument("NDT-MoE needs at least one layer");
  encoder_ = register_module("encoder", torch::nn::Linear(cfg.in_features, cfg.d_model));
  for (int64_t l = 0; l < cfg.layers; ++l) {
    MoELayerOptions options(cfg.d_model, router_input_width(), cfg.experts);
    options.expert_hidden(cfg.expert_hidden).top_k(cfg.top_k).dropout(cfg.dropout).depth(cfg.depth).trees(cfg.trees)
        .leaf_mode(cfg.leaf_mode).router(cfg.kind == ModelKind::NdtMoe ? RouterKind::Tree : RouterKind::LinearGate);
    layers_.push_back(register_module("layer" + std::to_string(l), NDTMoELayer(options)));
    if (cfg.dense_connections && l > 0)
      dense_projections_.push_back(register_module("dense" + std::to_string(l), torch::nn::Linear((l + 1) * cfg.d_model, cfg.d_model)));
  }
  head_ = register_module("head", torch::nn::Linear(cfg.d_model, cfg.out_features));
}

int64_t NDTMoEModel::router_input_width() const {
  switch (config_.router_input) {
    case RouterInput::Input: return config_.in_features;
    case RouterInput::Hidden: return config_.d_model;
    case RouterInput::Both: return config_.in_features + config_.d_model;
  }
  return 0;
}

PredictorOutput NDTMoEModel::run(const torch::Tensor& x) {
  PredictorOutput out;
  std::vector<torch::Tensor> outputs{encoder_->forward(x)};  // encoder output, then each layer's
  for (size_t l = 0; l < layers_.size(); ++l) {
    torch::Tensor h = outputs.back();
    if (config_.dense_connections && l > 0) h = dense_projections_[l - 1]->forward(torch::cat(outputs, -1));
    torch::Tensor router_in = config_.router_input == RouterInput::Input ? x
                              : config_.router_input == RouterInput::Hidden ? h
                                                                            : torch::cat({x, h}, -1);
    MoELayerOutput layer_out = layers_[l]->forward(h, router_in);
    out.load_balance = out.load_balance.defined() ? out.load_balance + layer_out.load_balance : layer_out.load_balance;
    out.z_loss = out.z_loss.defined() ? out.z_loss + layer_out.z_loss : layer_out.z_loss;
    out.routing.push_back({std::move(layer_out.routing), std::move(layer_out.expert_counts)});
    outputs.push_back(layer_out.hidden);
  }
  out.hidden = config_.head_on_mean ? torch::stack(std::vector<torch::Tensor>(outputs.begin() + 1, outputs.end())).mean(0)
                                    : outputs.back();
  out.output = head_->forward(out.hidden);
  return out;
}

MLPModel::MLPModel(ModelConfig c) : Predictor(std::move(c)) {
  first_ = register_module("first", torch::nn::Linear(config_.in_features, config_.mlp_hidden));
  second_ = register_module("second", torch::nn::Linear(config_.mlp_hidden, config_.mlp_hidden));
  head_ = register_module("head", torch::nn::Linear(config_.mlp_hidden, config_.out_features));
  dropout_ = register_module("dropout", torch::nn::Dropout(config_.dropout));
}

PredictorOutput MLPModel::run(const torch::Tensor& x) {
  PredictorOutput out;
  torch::Tensor h = dropout_->forward(torch::gelu(first_->forward(x)));
  out.hidden = dropout_->forward(torch::gelu(second_->forward(h)));
  out.output = head_->forward(out.hidden);
  return out;
}

}  // namespace ndtmoe
