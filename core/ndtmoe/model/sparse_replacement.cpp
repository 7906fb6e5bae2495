#include "ndtmoe/model/sparse_replacement.h"

#include <stdexcept>

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

namespace {

bool is_transcoder(const std::string& kind) { return kind == "transcoder" || kind == "skip-transcoder"; }

}  // namespace

nlohmann::json ReplacementSpec::to_json() const {
  return {{"kind", kind}, {"inputs", inputs}, {"outputs", outputs}, {"k", k}, {"experts", experts}, {"hidden", hidden}, {"family_options", family_options}};
}

ReplacementSpec ReplacementSpec::from_json(const nlohmann::json& j) {
  ReplacementSpec s;
  s.kind = j.at("kind");
  s.inputs = j.at("inputs");
  s.outputs = j.at("outputs");
  s.k = j.at("k");
  s.experts = j.at("experts");
  s.hidden = j.at("hidden");
  s.family_options = j.at("family_options");
  return s;
}

SparseReplacementImpl::SparseReplacementImpl(ReplacementSpec spec) : spec_(std::move(spec)) {
  if (spec_.hidden < 1) throw std::invalid_argument(spec_.kind + ": the width must be at least 1");
  if (is_transcoder(spec_.kind)) {
    if (spec_.k < 1 || spec_.k > spec_.hidden)
      throw std::invalid_argument(spec_.kind + ": k " + std::to_string(spec_.k) + " must be in 1..width (" + std::to_string(spec_.hidden) + ")");
    encoder_ = register_module("encoder", torch::nn::Linear(spec_.inputs, spec_.hidden));
    decoder_ = register_module("decoder", torch::nn::Linear(spec_.hidden, spec_.outputs));
    if (spec_.kind == "skip-transcoder") {
      // As the reference: the skip path and the decoder start at zero.
      skip_ = register_module("skip", torch::nn::Linear(torch::nn::LinearOptions(spec_.inputs, spec_.outputs).bias(false)));
      torch::NoGradGuard no_grad;
      skip_->weight.zero_();
      decoder_->weight.zero_();
    }
    return;
  }
  if (spec_.inputs != spec_.outputs)
    throw std::invalid_argument("an MoE layer replaces a layer of equal input and output width, not " + std::to_string(spec_.inputs) + " -> " +
                                std::to_string(spec_.outputs));
  ModelConfig config;
  config.family = spec_.kind;
  config.family_options = spec_.family_options;
  config.experts = spec_.experts;
  config.top_k = spec_.k;
  normalize_family_config(config);
  spec_.family_options = config.family_options;
  spec_.experts = config.experts;
  MoELayerOptions options{spec_.inputs, spec_.inputs, config.experts, spec_.hidden, config.top_k, 0.0, spec_.kind, config.family_options};
  options.residual_norm = false;
  options.routing_losses = false;
  moe_ = register_module("moe", MoELayer(options));
}

torch::Tensor SparseReplacementImpl::forward(const torch::Tensor& x) {
  if (moe_) return moe_->forward(x, x).hidden;
  const auto [values, units] = torch::relu(encoder_->forward(x)).topk(spec_.k, -1);
  torch::Tensor y = decoder_->forward(torch::zeros({x.size(0), spec_.hidden}, x.options()).scatter(1, units, values));
  return skip_ ? y + skip_->forward(x) : y;
}

void SparseReplacementImpl::start_at_mean(const torch::Tensor& mean) {
  torch::NoGradGuard no_grad;
  if (decoder_) {
    decoder_->bias.copy_(mean);
    return;
  }
  const auto is_output_bias = [](const std::string& name) {
    const std::string expert_bias = ".fc_out.bias";
    return name == "output_bias" || (name.size() > expert_bias.size() && name.compare(name.size() - expert_bias.size(), expert_bias.size(), expert_bias) == 0);
  };
  for (auto& p : moe_->named_parameters())
    if (is_output_bias(p.key())) p.value().copy_(mean);
}

int64_t SparseReplacementImpl::parameter_count() const {
  int64_t count = 0;
  for (const auto& p : parameters()) count += p.numel();
  return count;
}

int64_t transcoder_parameters(int64_t inputs, int64_t outputs, int64_t width, bool skip) {
  return width * (inputs + 1) + width * outputs + outputs + (skip ? inputs * outputs : 0);
}

ReplacementSpec parameter_matched(ReplacementSpec spec, int64_t budget) {
  const int64_t in = spec.inputs, out = spec.outputs;
  const auto at_least_one = [&](int64_t value, const std::string& what) {
    if (value < 1) throw std::invalid_argument(spec.kind + ": " + std::to_string(budget) + " parameters cannot hold one " + what);
    return value;
  };
  if (is_transcoder(spec.kind)) {
    const int64_t fixed = out + (spec.kind == "skip-transcoder" ? in * out : 0);
    spec.hidden = at_least_one((budget - fixed) / (in + out + 1), "unit");
  } else if (spec.kind == "mxd") {
    const int64_t base = spec.hidden * (in + 1) + spec.hidden * out + out;
    spec.experts = at_least_one((budget - base) / (in + out + 1), "expert");
  } else {
    // N experts of width H: N·(H·(in + out + 1) + out) plus a router of about N·(in + 1).
    const int64_t n = spec.experts;
    spec.hidden = at_least_one((budget - n * (in + 1) - n * out) / (n * (in + out + 1)), "expert unit");
  }
  return spec;
}

}  // namespace ndtmoe
