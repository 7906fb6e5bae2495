#include "ndtmoe/model/spliced_model.h"

#include <stdexcept>

namespace ndtmoe {

namespace {

DenseLayer dense_layer_of(const Predictor& host, const std::string& name) {
  std::string known;
  for (const DenseLayer& layer : host.dense_layers()) {
    if (layer.name == name) return layer;
    known += (known.empty() ? "" : ", ") + layer.name;
  }
  throw std::invalid_argument("the model has no dense layer '" + name + "' (" + (known.empty() ? "it has none" : "its dense layers: " + known) + ")");
}

// The host's configuration with the stand-in's mixture: one layer of its family, routing the layer's input.
ModelConfig spliced_config(const Predictor& host, const DenseLayer& layer, const SparseReplacement& stand_in) {
  const ReplacementSpec& spec = stand_in->spec();
  if (!stand_in->moe()) throw std::invalid_argument("a " + spec.kind + " has no experts to route: only a family's stand-in can be spliced in and traced");
  if (spec.inputs != layer.inputs || spec.outputs != layer.outputs)
    throw std::invalid_argument("the " + spec.kind + " stand-in maps " + std::to_string(spec.inputs) + " -> " + std::to_string(spec.outputs) +
                                " but layer " + layer.name + " maps " + std::to_string(layer.inputs) + " -> " + std::to_string(layer.outputs));
  ModelConfig config = host.config();
  config.kind = layer.per_token ? ModelKind::TransformerMixture : ModelKind::Mixture;
  config.layers = 1;
  config.moe_every = config.blocks;
  config.d_model = spec.inputs;
  config.experts = spec.experts;
  config.top_k = spec.k;
  config.expert_hidden = spec.hidden;
  config.family = spec.kind;
  config.family_options = spec.family_options;
  config.router_input = RouterInput::Hidden;
  return config;
}

}  // namespace

ScopedLayerOverride::ScopedLayerOverride(Predictor& model, std::string layer, LayerOverride override) : model_(model), layer_(std::move(layer)) {
  model_.override_layer(layer_, std::move(override));
}

ScopedLayerOverride::~ScopedLayerOverride() { model_.override_layer(layer_, {}); }

SplicedModel::SplicedModel(PredictorPtr host, const std::string& layer, SparseReplacement stand_in)
    : MixturePredictor(spliced_config(*host, dense_layer_of(*host, layer), stand_in)),
      host_(register_module("host", std::move(host))),
      layer_(dense_layer_of(*host_, layer)),
      stand_in_(register_module("stand_in", std::move(stand_in))) {}

int64_t SplicedModel::routed_tokens() const {
  const auto* tokens = dynamic_cast<const MixturePredictor*>(host_.get());
  return layer_.per_token && tokens ? tokens->routed_tokens() : 1;
}

torch::Tensor SplicedModel::token_values(const torch::Tensor& x) const {
  const auto* tokens = dynamic_cast<const MixturePredictor*>(host_.get());
  return layer_.per_token && tokens ? tokens->token_values(x) : torch::Tensor();
}

RoutingDecision SplicedModel::placed(RoutingDecision routing, const torch::Tensor& x) const {
  if (!layer_.per_token) return routing;
  // The override saw the real positions of [B, S] in sample-major order, S being the data's tokens after
  // the teacher's CLS token.
  const torch::Tensor real = token_values(x).ge(0).to(routing.top_experts.device());
  const int64_t batch = real.size(0), tokens = real.size(1);
  const bool cls = host_->config().kind == ModelKind::Transformer;
  const torch::Tensor seen = cls ? torch::cat({torch::ones({batch, 1}, real.options()), real}, 1) : real;
  const int64_t width = seen.size(1);
  const torch::Tensor position = seen.reshape({-1}).nonzero().squeeze(1);  // row r of the override: position[r] of [B, width]
  const torch::Tensor column = position.remainder(width);
  const torch::Tensor rows = cls ? column.ne(0).nonzero().squeeze(1) : torch::Tensor();
  const torch::Tensor kept = cls ? position.index_select(0, rows) : position;
  const torch::Tensor token = cls ? kept.div(width, "floor") * tokens + kept.remainder(width) - 1 : kept;
  return placed_rows(routing, rows, token, batch * tokens);
}

PredictorOutput SplicedModel::run(const torch::Tensor& x) {
  MoELayerOutput routed;
  MoELayer moe = stand_in_->moe();
  PredictorOutput out;
  {
    ScopedLayerOverride splice(*host_, layer_.name, [&](const torch::Tensor& input, const torch::Tensor&) {
      routed = moe->forward(input, input);
      return routed.hidden;
    });
    out = host_->run(x);
  }
  out.routing = {{placed(std::move(routed.routing), x), std::move(routed.expert_counts)}};
  return out;
}

}  // namespace ndtmoe
