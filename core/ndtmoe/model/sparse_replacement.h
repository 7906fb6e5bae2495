#pragma once
// Sparse stand-ins for a dense layer (`ndtmoe decompose`): an MoE layer of any family with its residual
// and norm off, the transcoder (a TopK sparse MLP) and the skip transcoder (the same plus a linear skip),
// and the parameter matching of the Mixture of Decoders paper, which compares them at equal size
// (../shared/docs/families.md: a transcoder of width 32·d sets the budget).

#include <memory>
#include <string>
#include <torch/torch.h>

#include "ndtmoe/model/moe_layer.h"

namespace ndtmoe {

struct ReplacementSpec {
  std::string kind;             // a family name, "transcoder" or "skip-transcoder"
  int64_t inputs = 0, outputs = 0;
  int64_t k = 8;                // experts per row, or active units of a transcoder
  int64_t experts = 0;          // families
  int64_t hidden = 0;           // an MoE family's expert width (mxd: the shared width); a transcoder's width
  nlohmann::json family_options = nlohmann::json::object();
  nlohmann::json to_json() const;
  static ReplacementSpec from_json(const nlohmann::json& j);
};

class SparseReplacementImpl : public torch::nn::Module {
 public:
  explicit SparseReplacementImpl(ReplacementSpec spec);
  torch::Tensor forward(const torch::Tensor& x);  // [R, inputs] -> [R, outputs]
  const ReplacementSpec& spec() const { return spec_; }
  int64_t parameter_count() const;
  // Sets the output bias (each expert's, for FFN experts, whose weights sum to one) to `mean` [outputs],
  // the mean of the layer's outputs, as the reference initialises its decoder bias: the fit then starts
  // from the best constant instead of from zero.
  void start_at_mean(const torch::Tensor& mean);
  MoELayer moe() const { return moe_; }  // null for the transcoders

 private:
  ReplacementSpec spec_;
  MoELayer moe_{nullptr};
  torch::nn::Linear encoder_{nullptr}, decoder_{nullptr}, skip_{nullptr};
};
TORCH_MODULE(SparseReplacement);

// Parameters of a transcoder of `width` units: W_enc, b_enc, W_dec, b_dec (a skip transcoder adds W_skip).
int64_t transcoder_parameters(int64_t inputs, int64_t outputs, int64_t width, bool skip = false);

// `kind` completed to about `budget` parameters: a transcoder's or skip transcoder's width; mxd's expert
// count N = (budget − base) / (inputs + outputs + 1), base being its encoder, decoder and output bias at
// width `spec.hidden` (the paper's formula); another family's expert width at `spec.experts` experts.
// Throws std::invalid_argument when the budget cannot hold even one expert or unit.
ReplacementSpec parameter_matched(ReplacementSpec spec, int64_t budget);

}  // namespace ndtmoe
