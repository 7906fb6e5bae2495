#include "ndtmoe/model/imoie_model.h"

#include <stdexcept>

namespace ndtmoe {
namespace {

const char* const kExplicitMode = "explicit";

ModelConfig normalized(ModelConfig config) {
  normalize_family_config(config);
  return config;
}

}  // namespace

ExplicitPrediction explicit_mixture(const torch::Tensor& maps, const torch::Tensor& x, int64_t top) {
  const int64_t classes = maps.size(1) - 1;
  ExplicitPrediction p;
  const torch::Tensor scores = torch::matmul(with_bias_column(x), maps.select(1, classes).t());  // [B, M]
  auto [values, experts] = scores.topk(std::min(top, maps.size(0)), /*dim=*/1);
  p.scores = scores;
  p.top_experts = experts;
  p.top_weights = torch::softmax(values, 1);
  const torch::Tensor expert_maps = maps.narrow(1, 0, classes);
  // One chosen expert at a time: gathering all k at once would hold [B, k, O, I + 1].
  p.output = torch::zeros({x.size(0), classes}, x.options());
  for (int64_t j = 0; j < experts.size(1); ++j)
    p.output = p.output + p.top_weights.narrow(1, j, 1) * apply_own_maps(expert_maps.index_select(0, experts.select(1, j)), x);
  return p;
}

torch::Tensor imoie_routing_loss(const torch::Tensor& routers, const torch::Tensor& x, const torch::Tensor& experts) {
  namespace F = torch::nn::functional;
  const torch::Tensor own = (routers * with_bias_column(x)).sum(1);
  const torch::Tensor neighbour = (routers * with_bias_column(x.roll(-1, 0))).sum(1);
  const torch::Tensor same_code = experts.eq(experts.roll(-1, 0)).to(x.dtype());
  return F::binary_cross_entropy_with_logits(own, torch::ones_like(own)) + F::binary_cross_entropy_with_logits(neighbour, same_code);
}

ImoieModel::ImoieModel(ModelConfig c) : MixturePredictor(normalized(std::move(c))) {
  const ModelConfig& cfg = config_;
  options_ = ImoieFamilyOptions::of(cfg.family_options);
  MoELayerOptions layer{cfg.out_features, cfg.in_features, cfg.experts, cfg.expert_hidden, 1, cfg.dropout, cfg.family, cfg.family_options};
  layer.residual_norm = false;
  layer.routing_losses = false;
  layer.image_shape = cfg.image_shape;
  layer_ = register_module("layer0", MoELayer(layer));
}

ImplicitExpertBank& ImoieModel::bank() { return dynamic_cast<ImplicitExpertBank&>(layer_->experts()); }
ImoieRouterImpl& ImoieModel::router() { return *layer_->router_as<ImoieRouterImpl>(); }

std::vector<std::string> ImoieModel::prediction_modes() const {
  if (!options_.binarize) return {};  // a continuous code has no finite set of experts to materialise
  return {kExplicitMode};
}

void ImoieModel::set_prediction_mode(const std::string& mode) {
  if (mode.empty() || (mode == kExplicitMode && options_.binarize)) {
    explicit_ = !mode.empty();
    return;
  }
  Predictor::set_prediction_mode(mode);
}

std::map<std::string, torch::Tensor> ImoieModel::expert_tensors(int64_t /*layer*/, const torch::Tensor& experts) {
  torch::NoGradGuard no_grad;
  constexpr int64_t kStoredFloats = 16 << 20;  // 64 MB of float32
  const int64_t per_expert = (bank().classes() + 1) * (config_.in_features + 1);
  const torch::Tensor kept = experts.narrow(0, 0, std::min(experts.size(0), std::max<int64_t>(1, kStoredFloats / per_expert)));
  const auto device = layer_->parameters().front().device();
  std::vector<torch::Tensor> maps;
  for (int64_t begin = 0; begin < kept.size(0); begin += 256) {
    const torch::Tensor ids = kept.narrow(0, begin, std::min<int64_t>(256, kept.size(0) - begin)).to(device);
    maps.push_back(bank().generate(code_of_expert(ids, options_.code_length)).cpu());
  }
  if (maps.empty()) return {};
  return {{"expert_maps", torch::cat(maps)}, {"expert_ids", kept.to(torch::kFloat)}};
}

void ImoieModel::train(bool on) {
  explicit_table_ = torch::Tensor();
  MixturePredictor::train(on);
}

torch::Tensor ImoieModel::explicit_table() {
  if (explicit_table_.defined() && explicit_table_.device() == layer_->parameters().front().device()) return explicit_table_;
  torch::Tensor table = bank().generate_all();
  if (!is_training()) explicit_table_ = table;
  return table;
}

PredictorOutput ImoieModel::run(const torch::Tensor& x) {
  if (explicit_) return run_explicit(x);
  PredictorOutput out;
  MoELayerOutput layer = layer_->forward(x, x);
  out.output = layer.hidden;
  out.hidden = layer.routing.record("code_scores");
  const torch::Tensor experts = layer.routing.top_experts.select(1, 0);
  out.routing.push_back({std::move(layer.routing), layer.expert_counts});
  if (is_training()) add_training_losses(out, x, experts);
  return out;
}

void ImoieModel::add_training_losses(PredictorOutput& out, const torch::Tensor& x, const torch::Tensor& experts) {
  const torch::Tensor maps = bank().last_generated();
  const int64_t classes = bank().classes(), inputs = x.size(1);
  out.output_weight = options_.lambda_c;
  out.family_losses["routing"] = options_.lambda_r * imoie_routing_loss(maps.select(1, classes), x, experts);
  const torch::Tensor weights = maps.narrow(2, 0, inputs);
  const torch::Tensor l1 = weights.narrow(1, 0, classes).abs().mean() + weights.select(1, classes).abs().mean();
  out.family_losses["l1"] = options_.lambda_l1 * l1;
  const torch::Tensor distinct = std::get<0>(torch::_unique(experts));
  if (options_.binarize && options_.lambda_ec != 0.0) {
    const torch::Tensor codes = previous_codes_.defined() && previous_codes_.device() == x.device() ? previous_codes_ : distinct;
    const torch::Tensor sampled = bank().generate(code_of_expert(codes, options_.code_length).to(x.dtype()));
    out.extra_outputs.push_back({kExplicitMode, explicit_mixture(sampled, x, options_.explicit_top).output, options_.lambda_ec});
  }
  previous_codes_ = distinct;
}

PredictorOutput ImoieModel::run_explicit(const torch::Tensor& x) {
  const torch::Tensor table = explicit_table();
  ExplicitPrediction p = explicit_mixture(table, x, options_.explicit_top);
  PredictorOutput out;
  out.output = p.output;
  out.hidden = p.output;
  RoutingDecision routing;
  routing.logits = p.scores;
  routing.top_experts = p.top_experts;
  routing.top_weights = p.top_weights;
  const torch::Tensor counts = torch::bincount(p.top_experts.reshape({-1}), {}, table.size(0));
  out.routing.push_back({std::move(routing), counts});
  return out;
}

}  // namespace ndtmoe
