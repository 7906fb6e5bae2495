#include "ndtmoe/model/mxd_family.h"

#include "ndtmoe/model/ndt_router.h"

namespace ndtmoe {

namespace {

torch::Tensor unit_rows(const torch::Tensor& rows) { return rows / rows.norm(2, -1, /*keepdim=*/true).clamp_min(1e-12); }

}  // namespace

MxDFamilyOptions MxDFamilyOptions::of(const nlohmann::json& options) {
  MxDFamilyOptions o;
  o.activation = options.at("activation") == "gelu" ? ExpertActivation::Gelu : ExpertActivation::Relu;
  o.tree_gate = options.at("gate") == "tree";
  o.depth = options.at("depth");
  o.trees = options.at("trees");
  return o;
}

RoutingDecision ReluTopKGateImpl::forward(const torch::Tensor& router_input) {
  RoutingDecision r;
  r.logits = torch::nn::functional::linear(router_input, weight(), bias());
  auto [values, indices] = r.logits.topk(top_k_, /*dim=*/-1);
  r.top_experts = indices;
  r.top_weights = weigh_selected(values);
  return r;  // probs left to the layer: a softmax over thousands of experts, needed by load balancing only
}

MixtureOfDecodersBank::MixtureOfDecodersBank(int64_t experts, int64_t d_model, int64_t hidden, ExpertActivation activation)
    : activation_(activation) {
  encoder_ = torch::nn::Linear(d_model, hidden);
  // The reference initialisation: D = 0 (the layer starts as its output bias), C's columns uniform in
  // (−1, 1), normalised.
  decoder_ = torch::zeros({hidden, d_model});
  modulations_ = unit_rows(torch::rand({experts, d_model}) * 2 - 1);
  output_bias_ = torch::zeros({d_model});
}

void MixtureOfDecodersBank::register_in(torch::nn::Module& layer) {
  encoder_ = layer.register_module("encoder", encoder_);
  decoder_ = layer.register_parameter("decoder", decoder_);
  modulations_ = layer.register_parameter("modulations", modulations_);
  output_bias_ = layer.register_parameter("output_bias", output_bias_);
}

torch::Tensor MixtureOfDecodersBank::decoded(const torch::Tensor& x) {
  const torch::Tensor pre = encoder_->forward(x);
  return torch::matmul(activation_ == ExpertActivation::Relu ? torch::relu(pre) : torch::gelu(pre), decoder_);
}

torch::Tensor MixtureOfDecodersBank::modulations() const { return unit_rows(modulations_); }

std::map<std::string, torch::Tensor> MixtureOfDecodersBank::drawn_tensors(const torch::Tensor& experts) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor ids = experts.to(modulations_.device());
  return {{"modulations", unit_rows(modulations_.index_select(0, ids))}, {"expert_ids", experts.to(torch::kFloat)}};
}

torch::Tensor MixtureOfDecodersBank::expert_weights(int64_t expert) const { return decoder_ * unit_rows(modulations_[expert]); }

torch::Tensor MixtureOfDecodersBank::forward(int64_t expert, const torch::Tensor& x) { return decoded(x) * unit_rows(modulations_[expert]); }

std::optional<torch::Tensor> MixtureOfDecodersBank::mix(const torch::Tensor& x, const RoutingDecision& routing) {
  // Σ_k a_k ĉ_{e_k} as one weighted embedding-bag sum over the normalised table: a fused gather whose
  // backward scatters into the K chosen rows only (on 2 CPU threads 1.4–1.9× faster than the dense C·a
  // of the reference at N = 1024–16384, where a batched product of the gathered rows was slower).
  namespace F = torch::nn::functional;
  const torch::Tensor modulation = F::embedding_bag(routing.top_experts, modulations(),
                                                        F::EmbeddingBagFuncOptions().mode(torch::kSum).per_sample_weights(routing.top_weights));
  return decoded(x) * modulation;
}

torch::Tensor normalized_reconstruction_loss(const torch::Tensor& prediction, const torch::Tensor& target) {
  return ((prediction - target).pow(2) / target.norm(2, -1, /*keepdim=*/true).clamp_min(1e-12)).mean();
}

Family mxd_family() {
  Family f;
  f.name = "mxd";
  f.description = "Mixture of Decoders: one shared decoder, column-scaled per expert; a ReLU top-K gate (thousands of experts)";
  f.options = {
      {"activation", OptionType::Choice, "relu", 0, 0, {"relu", "gelu"}, "The shared encoder's activation (that of the layer it replaces)"},
      {"gate", OptionType::Choice, "relu", 0, 0, {"relu", "tree"},
       "The reference's ReLU top-K gate, or decision trees with one decoder per leaf (experts = trees * 2^depth)"},
      {"depth", OptionType::Integer, 6, 1, 10, {}, "Tree gate: depth of each tree"},
      {"trees", OptionType::Integer, 1, 1, 64, {}, "Tree gate: trees"},
  };
  f.make_router = [](const MoELayerOptions& o) -> RouterPtr {
    const MxDFamilyOptions mxd = MxDFamilyOptions::of(o.family_options);
    if (!mxd.tree_gate) return std::make_shared<ReluTopKGateImpl>(o.router_in, o.experts, o.top_k);
    return std::make_shared<NDTRouterImpl>(
        NDTRouterOptions(o.router_in, o.experts).depth(mxd.depth).trees(mxd.trees).top_k(o.top_k).leaf_mode(LeafExpertMode::Identity));
  };
  f.normalize = [](ModelConfig& config) {
    const MxDFamilyOptions mxd = MxDFamilyOptions::of(config.family_options);
    if (mxd.tree_gate) config.experts = mxd.trees << mxd.depth;
  };
  f.router_module = "gate";
  f.make_experts = [](const MoELayerOptions& o) -> std::unique_ptr<ExpertBank> {
    return std::make_unique<MixtureOfDecodersBank>(o.experts, o.d_model, o.expert_hidden, MxDFamilyOptions::of(o.family_options).activation);
  };
  f.view_panel = "gate";  // the tree gate stores no gate weights: the workbench then shows its trees
  return f;
}

}  // namespace ndtmoe
