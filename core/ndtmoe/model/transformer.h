#pragma once
// Transformers over the tokens of a sample (token_embedding.h: features, patches or bytes), pre-norm
// encoder blocks with a key-padding mask. Two kinds share this code:
// - the teacher (ModelKind::Transformer): dense feed-forward blocks, head on a CLS token;
// - the token-level student (ModelKind::TransformerMixture): the feed-forward sublayer of every
//   `moe_every`-th block is an MoE layer of the configured family (every one, or every other one as in
//   Switch), routing each real token on its own from its normalised hidden state; the head reads the
//   mean of the real tokens, so every routed position is a token of the sample.

#include <optional>

#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/model/token_embedding.h"

namespace ndtmoe {

class TransformerBlockImpl : public torch::nn::Module {
 public:
  // With `moe` the feed-forward sublayer is that MoE layer (its residual_norm is turned off).
  TransformerBlockImpl(int64_t d, int64_t heads, double dropout, std::optional<MoELayerOptions> moe = std::nullopt);
  // tokens [B, S, d]; mask [B, S] bool (true = real token) or undefined. An MoE block writes its
  // routing, one row per real token in sample-major order, to `routing`; a dense block's feed-forward
  // output on the real tokens goes through `ffn_override` when it is set.
  torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& mask = {}, MoELayerOutput* routing = nullptr,
                        const LayerOverride& ffn_override = {});
  MoELayer moe() const { return moe_; }

 private:
  torch::Tensor feed_forward(const torch::Tensor& normed, const torch::Tensor& mask, MoELayerOutput* routing, const LayerOverride& ffn_override);
  int64_t heads_;
  torch::nn::LayerNorm norm_attention_{nullptr}, norm_ffn_{nullptr};
  torch::nn::Linear qkv_{nullptr}, projection_{nullptr}, ffn_in_{nullptr}, ffn_out_{nullptr};
  MoELayer moe_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(TransformerBlock);

class TransformerModel : public MixturePredictor {
 public:
  explicit TransformerModel(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;
  int64_t moe_layer_count() const override { return static_cast<int64_t>(moe_blocks_.size()); }
  MoELayer moe_layer(int64_t l) const override;
  int64_t routed_tokens() const override { return embedding_->tokens(); }
  torch::Tensor token_values(const torch::Tensor& x) const override { return embedding_->values(x); }
  // "block<b>.ffn" of every dense block, d -> d per token.
  std::vector<DenseLayer> dense_layers() const override;

 private:
  bool pools_on_cls() const { return config_.kind == ModelKind::Transformer; }
  std::unique_ptr<TokenEmbedding> embedding_;
  torch::Tensor cls_;
  std::vector<TransformerBlock> blocks_;
  std::vector<size_t> moe_blocks_;  // indices into blocks_
  torch::nn::LayerNorm final_norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};

}  // namespace ndtmoe
