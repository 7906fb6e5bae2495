#pragma once
// Transformer teachers: FT-Transformer style for tabular data (one token per feature plus CLS) and a
// small vision transformer (patch tokens plus CLS), optionally with a convolutional stem before the patching
// (Xiao et al. 2021, "Early convolutions help transformers see better"). Pre-norm encoder blocks, head on CLS.

#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

class TransformerBlockImpl : public torch::nn::Module {
 public:
  TransformerBlockImpl(int64_t d, int64_t heads, double dropout);
  torch::Tensor forward(const torch::Tensor& tokens);  // [B, S, d]

 private:
  int64_t heads_;
  torch::nn::LayerNorm norm_attention_{nullptr}, norm_ffn_{nullptr};
  torch::nn::Linear qkv_{nullptr}, projection_{nullptr}, ffn_in_{nullptr}, ffn_out_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(TransformerBlock);

// Shared encoder: blocks over [CLS, tokens...], final LayerNorm, head on CLS.
class TransformerEncoderBase : public Predictor {
 public:
  explicit TransformerEncoderBase(ModelConfig config);

 protected:
  PredictorOutput encode(const torch::Tensor& tokens);
  torch::Tensor cls_;
  std::vector<TransformerBlock> blocks_;
  torch::nn::LayerNorm final_norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};

class TabularTransformer : public TransformerEncoderBase {
 public:
  explicit TabularTransformer(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;

 private:
  torch::Tensor feature_weight_, feature_bias_;  // token_i = x_i * W_i + b_i
};

class VisionTransformer : public TransformerEncoderBase {
 public:
  explicit VisionTransformer(ModelConfig config);
  PredictorOutput run(const torch::Tensor& x) override;

 private:
  torch::nn::Conv2d stem_{nullptr};  // only with config.conv_stem > 0
  torch::nn::Linear patch_embedding_{nullptr};
  torch::Tensor position_;
};

}  // namespace ndtmoe
