#pragma once
// Piecewise-linear encoding of the inputs (Gorishniy, Rubachev and Babenko 2022, "On Embeddings for
// Numerical Features in Tabular Deep Learning"), as a model's first layer. Each input is cut into `bins`
// bins at quantiles of the training rows; component t of its encoding is how far the value has crossed
// bin t: 0 below it, 1 above it, the fraction in between, with the first and the last bin open to the
// outside. A linear map takes the features × bins components to the model's width. Where a linear first
// layer sees one slope per input, this one sees a slope per bin: thresholds at the data's own quantiles,
// the bias that lets tree ensembles lead on some tables.

#include <torch/torch.h>

namespace ndtmoe {

class PiecewiseLinearEncoderImpl : public torch::nn::Module {
 public:
  PiecewiseLinearEncoderImpl(int64_t features, int64_t bins, int64_t out);
  // Places the bin edges at the quantiles of `rows` [N, features] (the training rows, before training).
  void fit_bin_edges(const torch::Tensor& rows);
  // [B, features] -> [B, features * bins], the encoding before the linear map.
  torch::Tensor encode(const torch::Tensor& x) const;
  torch::Tensor forward(const torch::Tensor& x) { return map_->forward(encode(x)); }

 private:
  int64_t bins_;
  torch::Tensor lower_, width_;  // buffers [features, bins]: where each bin starts, and its width
  torch::Tensor floor_, ceiling_;  // [bins]: the clamp of each component (open ends at ±inf)
  torch::nn::Linear map_{nullptr};
};
TORCH_MODULE(PiecewiseLinearEncoder);

}  // namespace ndtmoe
