#include "ndtmoe/model/moe_x_family.h"

#include <cmath>
#include <stdexcept>

namespace ndtmoe {

MoEXFamilyOptions MoEXFamilyOptions::of(const nlohmann::json& options) {
  MoEXFamilyOptions o;
  o.sparsity_router = options.at("sparsity_router");
  o.gate_term = options.at("gate_term");
  o.activation = options.at("activation") == "gelu" ? ExpertActivation::Gelu : ExpertActivation::Relu;
  return o;
}

torch::Tensor expected_active_units(const torch::Tensor& x, const torch::Tensor& weights, const torch::Tensor& biases) {
  const int64_t hidden = weights.size(1);
  const torch::Tensor flat = weights.flatten(1);                       // [N, H·d]
  const torch::Tensor mean = flat.mean(1), deviation = flat.std(1);    // [N]
  const torch::Tensor mu = x.sum(1, /*keepdim=*/true) * mean + biases.mean(1);           // [B, N]
  const torch::Tensor sigma = (x.norm(2, 1, /*keepdim=*/true) * deviation).clamp_min(1e-6);  // [B, N]
  return static_cast<double>(hidden) * 0.5 * (1 + torch::erf(mu / sigma / std::sqrt(2.0)));
}

MoEXRouterImpl::MoEXRouterImpl(int64_t in_features, int64_t num_experts, int64_t top_k, MoEXFamilyOptions options)
    : top_k_(top_k), options_(options) {
  if (top_k < 1 || top_k > num_experts)
    throw std::invalid_argument("top-k must be in 1.." + std::to_string(num_experts) + ", got " + std::to_string(top_k));
  if (options_.gate_term) {
    torch::nn::Linear reference(in_features, num_experts);
    weight_ = register_parameter("weight", reference->weight.detach().clone());
    bias_ = register_parameter("bias", reference->bias.detach().clone());
  }
}

void MoEXRouterImpl::bind_experts(ExpertBank& experts) {
  experts_ = dynamic_cast<FeedForwardExpertBank*>(&experts);
  if (!experts_ && options_.sparsity_router) throw std::invalid_argument("the moe-x sparsity router needs feed-forward experts");
}

RoutingDecision MoEXRouterImpl::forward(const torch::Tensor& router_input) {
  RoutingDecision r;
  r.logits = torch::zeros({router_input.size(0), experts_ ? experts_->size() : weight_.size(0)}, router_input.options());
  if (options_.sparsity_router) {
    const auto [weights, biases] = experts_->input_layers();
    // Fewer expected active units scores higher; divided by √H, the spread of a count of H independent
    // units, so the softmax over the chosen experts is neither flat nor one-hot whatever the width.
    r.logits = r.logits - expected_active_units(router_input, weights, biases) / std::sqrt(static_cast<double>(weights.size(1)));
  }
  if (options_.gate_term) r.logits = r.logits + torch::nn::functional::linear(router_input, weight_, bias_);
  r.probs = torch::softmax(r.logits, -1);
  select_top_k(r, top_k_);
  return r;
}

std::map<std::string, torch::Tensor> MoEXRouterImpl::traced_parameters() {
  if (!options_.gate_term) return {};
  return {{"gate_weight", weight_}, {"gate_bias", bias_}};
}

Family moe_x_family() {
  Family f;
  f.name = "moe-x";
  f.description = "MoE-X: ReLU experts (a wide sparse MLP) and a router that picks the experts estimated to fire fewest units";
  f.options = {
      {"sparsity_router", OptionType::Flag, true, 0, 0, {}, "Score experts by their expected active ReLU units, estimated from their weights"},
      {"gate_term", OptionType::Flag, false, 0, 0, {}, "Add a learnable linear gate to the experts' scores"},
      {"activation", OptionType::Choice, "relu", 0, 0, {"relu", "gelu"}, "The experts' activation (relu as in MoE-X; gelu for the ablation)"},
  };
  f.make_router = [](const MoELayerOptions& o) -> RouterPtr {
    return std::make_shared<MoEXRouterImpl>(o.router_in, o.experts, o.top_k, MoEXFamilyOptions::of(o.family_options));
  };
  f.make_experts = [](const MoELayerOptions& o) -> std::unique_ptr<ExpertBank> {
    const MoEXFamilyOptions x = MoEXFamilyOptions::of(o.family_options);
    return std::make_unique<FeedForwardExpertBank>(o.experts, FeedForwardExpertOptions(o.d_model, o.expert_hidden).dropout(o.dropout).activation(x.activation));
  };
  f.normalize = [](ModelConfig& config) {
    const MoEXFamilyOptions x = MoEXFamilyOptions::of(config.family_options);
    if (!x.sparsity_router && !x.gate_term)
      throw std::invalid_argument("moe-x needs the sparsity router or the gate term (or both) to score its experts");
    // The estimate is about the experts' own input: the router reads the layer's hidden state.
    if (x.sparsity_router) config.router_input = RouterInput::Hidden;
  };
  f.view_panel = "gate";
  f.records_neurons = true;
  return f;
}

}  // namespace ndtmoe
