#include "ndtmoe/model/predictor.h"

#include <stdexcept>

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/mlp_model.h"
#include "ndtmoe/model/moe_model.h"
#include "ndtmoe/model/transformer.h"

namespace ndtmoe {

void Predictor::override_layer(const std::string& name, LayerOverride override) {
  std::string known;
  for (const DenseLayer& layer : dense_layers()) {
    if (layer.name != name) {
      known += (known.empty() ? "" : ", ") + layer.name;
      continue;
    }
    if (override)
      overrides_[name] = std::move(override);
    else
      overrides_.erase(name);
    return;
  }
  throw std::invalid_argument("the model has no dense layer '" + name + "' (" + (known.empty() ? "it has none" : "its dense layers: " + known) + ")");
}

LayerOverride Predictor::override_of(const std::string& name) const {
  const auto found = overrides_.find(name);
  return found == overrides_.end() ? LayerOverride() : found->second;
}

void Predictor::set_prediction_mode(const std::string& mode) {
  if (!mode.empty()) throw std::invalid_argument("the model has no prediction mode '" + mode + "'");
}

bool has_linear_first_layer(const ModelConfig& config) {
  return config.kind == ModelKind::Mlp || (config.kind == ModelKind::Mixture && !find_family(config.family).make_model);
}

void check_first_layer(const ModelConfig& config) {
  if (config.piecewise_bins == 0 || has_linear_first_layer(config)) return;
  const bool transformer = config.kind == ModelKind::Transformer || config.kind == ModelKind::TransformerMixture;
  throw std::invalid_argument("a piecewise-linear first layer (piecewise_bins " + std::to_string(config.piecewise_bins) +
                              ") needs a mixture stack or an MLP; " + (transformer ? std::string("a transformer") : "the " + config.family + " family's model") +
                              " has no linear layer over the inputs to replace");
}

PredictorPtr make_predictor(const ModelConfig& config) {
  if (config.in_features <= 0 || config.out_features <= 0) throw std::invalid_argument("model needs input and output widths");
  check_first_layer(config);
  switch (config.kind) {
    case ModelKind::Mixture: {
      const Family& family = find_family(config.family);
      if (family.make_model) return family.make_model(config);
      return std::make_shared<MoEModel>(config);
    }
    case ModelKind::Mlp: return std::make_shared<MLPModel>(config);
    case ModelKind::Transformer:
    case ModelKind::TransformerMixture: return std::make_shared<TransformerModel>(config);
  }
  throw std::invalid_argument("unknown model kind");
}

}  // namespace ndtmoe
