#pragma once
// The common face of every trainable model (student, baselines, teachers), so one training loop,
// one evaluator and one checkpoint format serve them all.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <torch/torch.h>
#include <vector>

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
  // What a family adds to the training objective (imoie): terms that need no targets, named and
  // already weighted; further predictions trained on the targets like `output`, with their weights; and
  // the weight of the task and distillation terms on `output` itself.
  std::map<std::string, torch::Tensor> family_losses;
  struct WeightedOutput {
    std::string name;
    torch::Tensor output;
    double weight = 1.0;
  };
  std::vector<WeightedOutput> extra_outputs;
  double output_weight = 1.0;
};

// A dense layer of a model that a sparse replacement can stand in for (`ndtmoe decompose`).
struct DenseLayer {
  std::string name;        // within the model: "block1.ffn", "hidden"
  int64_t inputs = 0, outputs = 0;
  bool per_token = false;  // applied to each real token of a sample (a transformer's FFN)
  std::string activation;  // its nonlinearity: what a replacement's encoder should use
};

// Stands in for a dense layer: receives the rows the layer saw [R, inputs] (a transformer's real tokens
// only) and the layer's own output [R, outputs], and returns what the model goes on with.
using LayerOverride = std::function<torch::Tensor(const torch::Tensor& input, const torch::Tensor& output)>;

class Predictor : public torch::nn::Module {
 public:
  explicit Predictor(ModelConfig config) : config_(std::move(config)) {}
  virtual PredictorOutput run(const torch::Tensor& x) = 0;
  const ModelConfig& config() const { return config_; }
  bool has_routing() const { return config_.routes(); }

  virtual std::vector<DenseLayer> dense_layers() const { return {}; }

  // Sets what the model takes from its training inputs [N, in_features] before training starts: the bin
  // edges of a piecewise-linear first layer. Most models take nothing.
  virtual void fit_to_training_inputs(const torch::Tensor& x) {}

  // Ways of predicting besides the default one (imoie: "explicit", the routers and experts without the
  // network that generated them); evaluation reports each as a model of its own, "<model>_<mode>".
  virtual std::vector<std::string> prediction_modes() const { return {}; }
  // Switches run() to one of prediction_modes(), or back to the default with ""; throws
  // std::invalid_argument for a mode the model lacks.
  virtual void set_prediction_mode(const std::string& mode);
  // Sets (or, with an empty function, removes) the override of dense layer `name`; throws
  // std::invalid_argument listing the model's dense layers when there is no such layer.
  void override_layer(const std::string& name, LayerOverride override);

 protected:
  // The override of dense layer `name`, or an empty function.
  LayerOverride override_of(const std::string& name) const;

  ModelConfig config_;

 private:
  std::map<std::string, LayerOverride> overrides_;
};

using PredictorPtr = std::shared_ptr<Predictor>;

// Builds a freshly initialised model for the configuration (using the global torch seed). A Mixture
// model normalizes its configuration (normalize_family_config): config() has the complete options.
PredictorPtr make_predictor(const ModelConfig& config);

// Whether the model has a linear first layer over the encoded inputs that piecewise_bins can replace:
// the mixture stack (MoEModel) and the MLP.
bool has_linear_first_layer(const ModelConfig& config);
// Throws std::invalid_argument when the configuration asks for a piecewise-linear first layer that its
// model does not have (only a mixture stack and the MLP do), before anything trains.
void check_first_layer(const ModelConfig& config);

}  // namespace ndtmoe
