#include "ndtmoe/model/transformer.h"

#include <stdexcept>

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

namespace {

ModelConfig normalized(ModelConfig config) {
  if (config.kind == ModelKind::TransformerMixture) {
    if (config.moe_every < 1) throw std::invalid_argument("moe-every must be at least 1, got " + std::to_string(config.moe_every));
    config.layers = config.blocks / config.moe_every;
    if (config.layers < 1)
      throw std::invalid_argument("a token-level mixture needs an MoE block: " + std::to_string(config.blocks) +
                                  " blocks with an MoE layer every " + std::to_string(config.moe_every));
    config.d_model = config.d_token;
    config.router_input = RouterInput::Hidden;
    normalize_family_config(config);
  }
  return config;
}

std::string ffn_layer_name(size_t block) { return "block" + std::to_string(block) + ".ffn"; }

}  // namespace

TransformerBlockImpl::TransformerBlockImpl(int64_t d, int64_t heads, double dropout, std::optional<MoELayerOptions> moe) : heads_(heads) {
  if (heads < 1 || d % heads != 0) throw std::invalid_argument("token width must be divisible by the number of heads");
  norm_attention_ = register_module("norm_attention", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  qkv_ = register_module("qkv", torch::nn::Linear(d, 3 * d));
  projection_ = register_module("projection", torch::nn::Linear(d, d));
  norm_ffn_ = register_module("norm_ffn", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  if (moe) {
    moe->residual_norm = false;
    moe_ = register_module("moe", MoELayer(*moe));
  } else {
    ffn_in_ = register_module("ffn_in", torch::nn::Linear(d, 2 * d));
    ffn_out_ = register_module("ffn_out", torch::nn::Linear(2 * d, d));
  }
  dropout_ = register_module("dropout", torch::nn::Dropout(dropout));
}

torch::Tensor TransformerBlockImpl::feed_forward(const torch::Tensor& normed, const torch::Tensor& mask, MoELayerOutput* routing,
                                                 const LayerOverride& ffn_override) {
  const int64_t B = normed.size(0), S = normed.size(1), d = normed.size(2);
  const auto real_rows = [&] {  // positions of the real tokens among the B·S
    return mask.defined() ? mask.reshape({-1}).nonzero().squeeze(1) : torch::Tensor();
  };
  torch::Tensor flat = normed.reshape({B * S, d});
  if (!moe_) {
    torch::Tensor out = ffn_out_->forward(dropout_->forward(torch::gelu(ffn_in_->forward(normed))));
    if (!ffn_override) return out;
    // The override sees the real tokens, one row each; padding keeps the layer's own output.
    torch::Tensor real = real_rows();
    if (!real.defined()) real = torch::arange(B * S, torch::TensorOptions().dtype(torch::kLong).device(normed.device()));
    const torch::Tensor flat_out = out.reshape({B * S, d});
    return flat_out.index_copy(0, real, ffn_override(flat.index_select(0, real), flat_out.index_select(0, real))).view({B, S, d});
  }
  const torch::Tensor real = real_rows();
  // Only real tokens are routed: padding takes no expert capacity and does not count in load balancing.
  torch::Tensor routed = real.defined() ? flat.index_select(0, real) : flat;
  MoELayerOutput out = moe_->forward(routed, routed);
  torch::Tensor mixed = real.defined() ? torch::zeros_like(flat).index_copy(0, real, out.hidden) : out.hidden;
  if (routing) {
    if (real.defined()) out.routing = placed_rows(out.routing, {}, real, B * S);
    *routing = std::move(out);
  }
  return mixed.view({B, S, d});
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& tokens, const torch::Tensor& mask, MoELayerOutput* routing,
                                            const LayerOverride& ffn_override) {
  const int64_t B = tokens.size(0), S = tokens.size(1), d = tokens.size(2), dh = d / heads_;
  auto qkv = qkv_->forward(norm_attention_->forward(tokens)).view({B, S, 3, heads_, dh}).permute({2, 0, 3, 1, 4});
  torch::Tensor scores = torch::matmul(qkv[0], qkv[1].transpose(-2, -1)) / std::sqrt(static_cast<double>(dh));
  if (mask.defined()) scores = scores.masked_fill(mask.logical_not().view({B, 1, 1, S}), -std::numeric_limits<float>::infinity());
  torch::Tensor attended = torch::matmul(dropout_->forward(torch::softmax(scores, -1)), qkv[2]);
  torch::Tensor x = tokens + dropout_->forward(projection_->forward(attended.transpose(1, 2).reshape({B, S, d})));
  return x + dropout_->forward(feed_forward(norm_ffn_->forward(x), mask, routing, ffn_override));
}

TransformerModel::TransformerModel(ModelConfig c) : MixturePredictor(normalized(std::move(c))) {
  const ModelConfig& cfg = config_;
  const int64_t d = cfg.d_token;
  if (pools_on_cls()) cls_ = register_parameter("cls", torch::randn({1, 1, d}) * 0.02);
  for (int64_t b = 0; b < cfg.blocks; ++b) {
    std::optional<MoELayerOptions> moe;
    if (cfg.kind == ModelKind::TransformerMixture && b % cfg.moe_every == cfg.moe_every - 1) {
      moe = MoELayerOptions{d, d, cfg.experts, cfg.expert_hidden, cfg.top_k, cfg.dropout, cfg.family, cfg.family_options, false};
      moe_blocks_.push_back(static_cast<size_t>(b));
    }
    blocks_.push_back(register_module("block" + std::to_string(b), TransformerBlock(d, cfg.heads, cfg.dropout, moe)));
  }
  final_norm_ = register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  head_ = register_module("head", torch::nn::Linear(d, cfg.out_features));
  // Last, as before models shared the embedding code: the parameter order (optimizer state) and the
  // order of draws from the seeded generator stay those of saved runs.
  embedding_ = make_token_embedding(*this, cfg);
}

std::vector<DenseLayer> TransformerModel::dense_layers() const {
  std::vector<DenseLayer> layers;
  for (size_t b = 0; b < blocks_.size(); ++b)
    if (!blocks_[b]->moe()) layers.push_back({ffn_layer_name(b), config_.d_token, config_.d_token, true, "gelu"});
  return layers;
}

MoELayer TransformerModel::moe_layer(int64_t l) const { return blocks_.at(moe_blocks_.at(static_cast<size_t>(l)))->moe(); }

PredictorOutput TransformerModel::run(const torch::Tensor& x) {
  PredictorOutput out;
  torch::Tensor tokens = embedding_->embed(x);
  torch::Tensor mask = embedding_->mask(x);
  if (pools_on_cls()) {
    tokens = torch::cat({cls_.expand({tokens.size(0), 1, tokens.size(2)}), tokens}, 1);
    if (mask.defined()) mask = torch::cat({torch::ones({mask.size(0), 1}, mask.options()), mask}, 1);
  }
  for (size_t b = 0; b < blocks_.size(); ++b) {
    TransformerBlock& block = blocks_[b];
    if (!block->moe()) {
      tokens = block->forward(tokens, mask, nullptr, override_of(ffn_layer_name(b)));
      continue;
    }
    MoELayerOutput routed;
    tokens = block->forward(tokens, mask, &routed);
    out.load_balance = out.load_balance.defined() ? out.load_balance + routed.load_balance : routed.load_balance;
    out.z_loss = out.z_loss.defined() ? out.z_loss + routed.z_loss : routed.z_loss;
    out.routing.push_back({std::move(routed.routing), std::move(routed.expert_counts)});
  }
  tokens = final_norm_->forward(tokens);
  if (pools_on_cls()) {
    out.hidden = tokens.select(1, 0);
  } else if (mask.defined()) {
    const torch::Tensor weights = mask.to(tokens.scalar_type()).unsqueeze(-1);
    out.hidden = (tokens * weights).sum(1) / weights.sum(1);
  } else {
    out.hidden = tokens.mean(1);
  }
  out.output = head_->forward(out.hidden);
  return out;
}

}  // namespace ndtmoe
