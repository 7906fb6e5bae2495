#include "ndtmoe/model/token_embedding.h"

#include <stdexcept>

namespace ndtmoe {

namespace {

torch::Tensor uniform(std::vector<int64_t> shape, double scale) { return (torch::rand(shape) * 2 - 1) * scale; }

class FeatureTokens : public TokenEmbedding {
 public:
  FeatureTokens(torch::nn::Module& owner, const ModelConfig& c) : TokenEmbedding(c.in_features) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(c.d_token));
    weight_ = owner.register_parameter("feature_weight", uniform({c.in_features, c.d_token}, scale));
    bias_ = owner.register_parameter("feature_bias", uniform({c.in_features, c.d_token}, scale));
  }
  torch::Tensor embed(const torch::Tensor& x) override { return x.unsqueeze(-1) * weight_ + bias_; }

 private:
  torch::Tensor weight_, bias_;
};

class PatchTokens : public TokenEmbedding {
 public:
  PatchTokens(torch::nn::Module& owner, const ModelConfig& c) : TokenEmbedding(0), shape_(c.image_shape), patch_(c.patch) {
    if (shape_.size() != 3) throw std::invalid_argument("patch tokens need image data (channels, height, width)");
    if (patch_ < 1 || shape_[1] % patch_ != 0 || shape_[2] % patch_ != 0)
      throw std::invalid_argument("patch size " + std::to_string(patch_) + " does not divide the image size");
    if (c.conv_stem < 0) throw std::invalid_argument("convolutional stem needs a non-negative channel count");
    tokens_ = (shape_[1] / patch_) * (shape_[2] / patch_);
    int64_t channels = shape_[0];
    if (c.conv_stem > 0) {
      stem_ = owner.register_module("stem", torch::nn::Conv2d(torch::nn::Conv2dOptions(shape_[0], c.conv_stem, 3).padding(1)));
      channels = c.conv_stem;
    }
    patch_embedding_ = owner.register_module("patch_embedding", torch::nn::Linear(channels * patch_ * patch_, c.d_token));
    position_ = owner.register_parameter("position", torch::randn({1, tokens_, c.d_token}) * 0.02);
  }
  torch::Tensor embed(const torch::Tensor& x) override {
    const int64_t B = x.size(0), H = shape_[1], W = shape_[2], p = patch_;
    torch::Tensor pixels = x.view({B, shape_[0], H, W});
    if (stem_) pixels = torch::gelu(stem_->forward(pixels));
    const int64_t C = pixels.size(1);
    torch::Tensor patches = pixels.view({B, C, H / p, p, W / p, p}).permute({0, 2, 4, 1, 3, 5}).reshape({B, tokens_, C * p * p});
    return patch_embedding_->forward(patches) + position_;
  }

 private:
  std::vector<int64_t> shape_;
  int64_t patch_;
  torch::nn::Conv2d stem_{nullptr};
  torch::nn::Linear patch_embedding_{nullptr};
  torch::Tensor position_;
};

// Encoded text is one column per byte position holding byte + 1, and 0 after the text's end.
class ByteTokens : public TokenEmbedding {
 public:
  ByteTokens(torch::nn::Module& owner, const ModelConfig& c) : TokenEmbedding(c.text_length) {
    if (c.in_features != c.text_length)
      throw std::invalid_argument("byte tokens need the text's " + std::to_string(c.text_length) + " byte columns as the only input, not " +
                                  std::to_string(c.in_features) + " columns");
    bytes_ = owner.register_module("byte_embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(257, c.d_token).padding_idx(0)));
    position_ = owner.register_parameter("position", torch::randn({1, tokens_, c.d_token}) * 0.02);
  }
  torch::Tensor embed(const torch::Tensor& x) override {
    return bytes_->forward(codes(x)) + position_;
  }
  torch::Tensor mask(const torch::Tensor& x) const override {
    torch::Tensor real = codes(x) > 0;
    // An empty text keeps its first (padding) position, so every sample has a token to pool.
    return real.index_put_({torch::indexing::Slice(), 0}, true);
  }
  torch::Tensor values(const torch::Tensor& x) const override {
    torch::Tensor byte = codes(x) - 1;
    return byte.masked_fill(~mask(x), -1);
  }

 private:
  static torch::Tensor codes(const torch::Tensor& x) { return x.round().clamp(0, 256).to(torch::kLong); }
  torch::nn::Embedding bytes_{nullptr};
  torch::Tensor position_;
};

}  // namespace

const char* to_string(TokenKind kind) {
  switch (kind) {
    case TokenKind::Features: return "feature";
    case TokenKind::Patches: return "patch";
    case TokenKind::Bytes: return "byte";
  }
  return "?";
}

TokenKind token_kind(const ModelConfig& config) {
  if (config.text_length > 0) return TokenKind::Bytes;
  return config.image_shape.empty() ? TokenKind::Features : TokenKind::Patches;
}

int64_t token_count(const ModelConfig& config) {
  switch (token_kind(config)) {
    case TokenKind::Features: return config.in_features;
    case TokenKind::Patches: return config.patch > 0 && config.image_shape.size() == 3 ? (config.image_shape[1] / config.patch) * (config.image_shape[2] / config.patch) : 0;
    case TokenKind::Bytes: return config.text_length;
  }
  return 0;
}

torch::Tensor TokenEmbedding::values(const torch::Tensor& x) const {
  return torch::arange(tokens_, torch::TensorOptions().dtype(torch::kLong).device(x.device())).unsqueeze(0).expand({x.size(0), tokens_});
}

std::unique_ptr<TokenEmbedding> make_token_embedding(torch::nn::Module& owner, const ModelConfig& config) {
  switch (token_kind(config)) {
    case TokenKind::Features: return std::make_unique<FeatureTokens>(owner, config);
    case TokenKind::Patches: return std::make_unique<PatchTokens>(owner, config);
    case TokenKind::Bytes: return std::make_unique<ByteTokens>(owner, config);
  }
  throw std::invalid_argument("unknown token kind");
}

}  // namespace ndtmoe
