#pragma once
// The common face of every trainable model (student, baselines, teachers), so one training loop,
// one evaluator and one checkpoint format serve them all.

#include <memory>
#include <torch/torch.h>

#include "ndtmoe/model_config.h"
#include "ndtmoe/moe_layer.h"

namespace ndtmoe {

struct LayerRouting {
  RoutingDecision decision;
  torch::Tensor expert_counts;
};

struct PredictorOutput {
  torch::Tensor output;        // [B, out_features] logits, or standardized regression outputs
  torch::Tensor hidden;        // [B, width] representation used for hidden-state matching
  torch::Tensor load_balance;  // scalar, summed over MoE layers (undefined for models without routing)
  torch::Tensor z_loss;        // scalar, summed over MoE layers
  std::vector<LayerRouting> routing;  // one per MoE layer
};

class Predictor : public torch::nn::Module {
 public:
  explicit Predictor(ModelConfig config) : config_(std::move(config)) {}
  virtual PredictorOutput run(const torch::Tensor& x) = 0;
  const ModelConfig& config() const { return config_; }
  bool has_routing() const { return config_.kind == ModelKind::NdtMoe || config_.kind == ModelKind::LinearGateMoe; }

 protected:
  ModelConfig config_;
};

using PredictorPtr = std::shared_ptr<Predictor>;

// Builds a freshly initialised model for the configuration (using the global torch seed).
PredictorPtr make_predictor(const ModelConfig& config);

// The NDT-MoE student, or with ModelKind::LinearGateMoe the same network with a softmax gate.
class NDTMoEModel : public Predictor {
 public:
  explicit NDTMoEModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  NDTMoELayer layer(int64_t l) const { return layers_[l]; }
  int64_t router_input_width() const;

 private:
  torch::nn::Linear encoder_{nullptr}, head_{nullptr};
  std::vector<NDTMoELayer> layers_;
  std::vector<torch::nn::Linear> dense_projections_;  // input of layer l >= 1 from all earlier outputs
};

class MLPModel : public Predictor {
 public:
  explicit MLPModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;

 private:
  torch::nn::Linear first_{nullptr}, second_{nullptr}, head_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};

}  // namespace ndtmoe
