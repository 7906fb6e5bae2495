#pragma once
// The common face of every trainable model (student, baselines, teachers), so one training loop,
// one evaluator and one checkpoint format serve them all.

#include <memory>
#include <torch/torch.h>

#include "ndtmoe/model/model_config.h"
#include "ndtmoe/model/router.h"

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
  bool has_routing() const { return config_.routes(); }

 protected:
  ModelConfig config_;
};

using PredictorPtr = std::shared_ptr<Predictor>;

// Builds a freshly initialised model for the configuration (using the global torch seed). A Mixture
// model normalizes its configuration (normalize_family_config): config() has the complete options.
PredictorPtr make_predictor(const ModelConfig& config);

}  // namespace ndtmoe
