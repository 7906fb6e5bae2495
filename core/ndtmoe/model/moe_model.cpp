#include "ndtmoe/model/moe_model.h"

#include <stdexcept>

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

namespace {

ModelConfig normalized(ModelConfig config) {
  config.kind = ModelKind::Mixture;
  normalize_family_config(config);
  return config;
}

}  // namespace

MoEModel::MoEModel(ModelConfig c) : MixturePredictor(normalized(std::move(c))) {
  const ModelConfig& cfg = config_;
  if (cfg.layers < 1) throw std::invalid_argument("a mixture needs at least one layer");
  if (cfg.piecewise_bins > 0)
    piecewise_encoder_ = register_module("encoder", PiecewiseLinearEncoder(cfg.in_features, cfg.piecewise_bins, cfg.d_model));
  else
    encoder_ = register_module("encoder", torch::nn::Linear(cfg.in_features, cfg.d_model));
  for (int64_t l = 0; l < cfg.layers; ++l) {
    const MoELayerOptions options{cfg.d_model, router_input_width(), cfg.experts, cfg.expert_hidden, cfg.top_k, cfg.dropout,
                                  cfg.family, cfg.family_options};
    layers_.push_back(register_module("layer" + std::to_string(l), MoELayer(options)));
    if (cfg.dense_connections && l > 0)
      dense_projections_.push_back(register_module("dense" + std::to_string(l), torch::nn::Linear((l + 1) * cfg.d_model, cfg.d_model)));
  }
  head_ = register_module("head", torch::nn::Linear(cfg.d_model, cfg.out_features));
}

int64_t MoEModel::router_input_width() const {
  switch (config_.router_input) {
    case RouterInput::Input: return config_.in_features;
    case RouterInput::Hidden: return config_.d_model;
    case RouterInput::Both: return config_.in_features + config_.d_model;
  }
  return 0;
}

void MoEModel::fit_to_training_inputs(const torch::Tensor& x) {
  if (piecewise_encoder_) piecewise_encoder_->fit_bin_edges(x);
}

PredictorOutput MoEModel::run(const torch::Tensor& x) {
  PredictorOutput out;
  // The encoder's output, then each layer's.
  std::vector<torch::Tensor> outputs{piecewise_encoder_ ? piecewise_encoder_->forward(x) : encoder_->forward(x)};
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

}  // namespace ndtmoe
