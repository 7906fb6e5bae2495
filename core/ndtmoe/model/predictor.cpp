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

PredictorPtr make_predictor(const ModelConfig& config) {
  if (config.in_features <= 0 || config.out_features <= 0) throw std::invalid_argument("model needs input and output widths");
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
