#include "ndtmoe/model/transformer.h"

#include <stdexcept>

namespace ndtmoe {

TransformerBlockImpl::TransformerBlockImpl(int64_t d, int64_t heads, double dropout) : heads_(heads) {
  if (d % heads != 0) throw std::invalid_argument("token width must be divisible by the number of heads");
  norm_attention_ = register_module("norm_attention", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  qkv_ = register_module("qkv", torch::nn::Linear(d, 3 * d));
  projection_ = register_module("projection", torch::nn::Linear(d, d));
  norm_ffn_ = register_module("norm_ffn", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  ffn_in_ = register_module("ffn_in", torch::nn::Linear(d, 2 * d));
  ffn_out_ = register_module("ffn_out", torch::nn::Linear(2 * d, d));
  dropout_ = register_module("dropout", torch::nn::Dropout(dropout));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& tokens) {
  const int64_t B = tokens.size(0), S = tokens.size(1), d = tokens.size(2), dh = d / heads_;
  auto qkv = qkv_->forward(norm_attention_->forward(tokens)).view({B, S, 3, heads_, dh}).permute({2, 0, 3, 1, 4});
  torch::Tensor scores = torch::matmul(qkv[0], qkv[1].transpose(-2, -1)) / std::sqrt(static_cast<double>(dh));
  torch::Tensor attended = torch::matmul(dropout_->forward(torch::softmax(scores, -1)), qkv[2]);
  torch::Tensor x = tokens + dropout_->forward(projection_->forward(attended.transpose(1, 2).reshape({B, S, d})));
  return x + dropout_->forward(ffn_out_->forward(dropout_->forward(torch::gelu(ffn_in_->forward(norm_ffn_->forward(x))))));
}

TransformerEncoderBase::TransformerEncoderBase(ModelConfig c) : Predictor(std::move(c)) {
  const int64_t d = config_.d_token;
  cls_ = register_parameter("cls", torch::randn({1, 1, d}) * 0.02);
  for (int64_t b = 0; b < config_.blocks; ++b)
    blocks_.push_back(register_module("block" + std::to_string(b), TransformerBlock(d, config_.heads, config_.dropout)));
  final_norm_ = register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  head_ = register_module("head", torch::nn::Linear(d, config_.out_features));
}

PredictorOutput TransformerEncoderBase::encode(const torch::Tensor& tokens) {
  torch::Tensor x = torch::cat({cls_.expand({tokens.size(0), 1, tokens.size(2)}), tokens}, 1);
  for (auto& block : blocks_) x = block->forward(x);
  PredictorOutput out;
  out.hidden = final_norm_->forward(x.select(1, 0));
  out.output = head_->forward(out.hidden);
  return out;
}

TabularTransformer::TabularTransformer(ModelConfig c) : TransformerEncoderBase(std::move(c)) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(config_.d_token));
  feature_weight_ = register_parameter("feature_weight", (torch::rand({config_.in_features, config_.d_token}) * 2 - 1) * scale);
  feature_bias_ = register_parameter("feature_bias", (torch::rand({config_.in_features, config_.d_token}) * 2 - 1) * scale);
}

PredictorOutput TabularTransformer::run(const torch::Tensor& x) {
  return encode(x.unsqueeze(-1) * feature_weight_ + feature_bias_);
}

VisionTransformer::VisionTransformer(ModelConfig c) : TransformerEncoderBase(std::move(c)) {
  const auto& shape = config_.image_shape;
  if (shape.size() != 3) throw std::invalid_argument("vision transformer needs image data (channels, height, width)");
  const int64_t p = config_.patch;
  if (shape[1] % p != 0 || shape[2] % p != 0)
    throw std::invalid_argument("patch size " + std::to_string(p) + " does not divide the image size");
  if (config_.conv_stem < 0) throw std::invalid_argument("convolutional stem needs a non-negative channel count");
  const int64_t patches = (shape[1] / p) * (shape[2] / p);
  int64_t patch_channels = shape[0];
  if (config_.conv_stem > 0) {
    stem_ = register_module("stem", torch::nn::Conv2d(torch::nn::Conv2dOptions(shape[0], config_.conv_stem, 3).padding(1)));
    patch_channels = config_.conv_stem;
  }
  patch_embedding_ = register_module("patch_embedding", torch::nn::Linear(patch_channels * p * p, config_.d_token));
  position_ = register_parameter("position", torch::randn({1, patches, config_.d_token}) * 0.02);
}

PredictorOutput VisionTransformer::run(const torch::Tensor& x) {
  const auto& s = config_.image_shape;
  const int64_t B = x.size(0), H = s[1], W = s[2], p = config_.patch;
  torch::Tensor pixels = x.view({B, s[0], H, W});
  if (stem_) pixels = torch::gelu(stem_->forward(pixels));
  const int64_t C = pixels.size(1);
  torch::Tensor patches = pixels.view({B, C, H / p, p, W / p, p}).permute({0, 2, 4, 1, 3, 5}).reshape({B, (H / p) * (W / p), C * p * p});
  return encode(patch_embedding_->forward(patches) + position_);
}

}  // namespace ndtmoe
