#pragma once
// How a transformer turns one encoded sample into tokens, chosen by the data: one token per feature for
// tabular data (FT-Transformer: token_i = x_i * W_i + b_i), one per patch for images (optionally after a
// convolutional stem), one per UTF-8 byte for text (byte embedding plus a learned position). Like an
// expert bank, an embedding registers its parameters on the model that owns it, so checkpoints keep the
// names they had before models shared this code (`feature_weight`, `patch_embedding.weight`, ...).

#include <torch/torch.h>

#include "ndtmoe/model/model_config.h"

namespace ndtmoe {

enum class TokenKind { Features, Patches, Bytes };
const char* to_string(TokenKind kind);
// Text data (config.text_length > 0) gives bytes, image data patches, anything else feature tokens.
TokenKind token_kind(const ModelConfig& config);
// Tokens per sample (before padding is masked).
int64_t token_count(const ModelConfig& config);

class TokenEmbedding {
 public:
  virtual ~TokenEmbedding() = default;
  // [B, S, d_token]
  virtual torch::Tensor embed(const torch::Tensor& x) = 0;
  // [B, S] bool, true for real tokens; undefined when every position is real.
  virtual torch::Tensor mask(const torch::Tensor& x) const { return {}; }
  // [B, S] int64: the byte for text, the patch or feature index otherwise; -1 for padding.
  virtual torch::Tensor values(const torch::Tensor& x) const;
  int64_t tokens() const { return tokens_; }

 protected:
  explicit TokenEmbedding(int64_t tokens) : tokens_(tokens) {}
  int64_t tokens_;
};

std::unique_ptr<TokenEmbedding> make_token_embedding(torch::nn::Module& owner, const ModelConfig& config);

}  // namespace ndtmoe
