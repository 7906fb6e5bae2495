#include "ndtmoe/model/piecewise_linear_encoder.h"

#include <limits>
#include <stdexcept>

namespace ndtmoe {

namespace {

// A bin narrower than this (repeated quantiles: a binary column, a column mostly zero) is a step at its
// lower edge; inputs are standardized, so this is far below any real spacing.
constexpr double kNarrowestBin = 1e-6;

}  // namespace

PiecewiseLinearEncoderImpl::PiecewiseLinearEncoderImpl(int64_t features, int64_t bins, int64_t out) : bins_(bins) {
  if (features < 1 || bins < 1) throw std::invalid_argument("a piecewise-linear encoder needs at least one feature and one bin");
  // Until fitted: one unit-wide bin per step from -bins/2, so an unfitted model still computes.
  lower_ = register_buffer("lower", torch::arange(bins, torch::kFloat).sub(bins / 2.0).expand({features, bins}).contiguous());
  width_ = register_buffer("width", torch::ones({features, bins}));
  const double inf = std::numeric_limits<double>::infinity();
  floor_ = torch::zeros({bins});
  ceiling_ = torch::ones({bins});
  floor_[0] = -inf;
  ceiling_[bins - 1] = inf;
  map_ = register_module("map", torch::nn::Linear(features * bins, out));
}

void PiecewiseLinearEncoderImpl::fit_bin_edges(const torch::Tensor& rows) {
  if (rows.dim() != 2 || rows.size(1) != lower_.size(0) || rows.size(0) < 1)
    throw std::invalid_argument("piecewise-linear encoder: bin edges need rows of " + std::to_string(lower_.size(0)) + " features");
  torch::NoGradGuard no_grad;
  const torch::Tensor sorted = std::get<0>(rows.to(torch::kCPU, torch::kFloat).sort(0));
  const int64_t n = sorted.size(0);
  const torch::Tensor at = torch::linspace(0, 1, bins_ + 1, torch::kDouble).mul(n - 1).round().to(torch::kLong);
  const torch::Tensor edges = sorted.index_select(0, at).t();  // [features, bins + 1]
  lower_.copy_(edges.narrow(1, 0, bins_));
  width_.copy_((edges.narrow(1, 1, bins_) - edges.narrow(1, 0, bins_)).clamp_min(kNarrowestBin));
}

torch::Tensor PiecewiseLinearEncoderImpl::encode(const torch::Tensor& x) const {
  const torch::Tensor crossed = (x.unsqueeze(-1) - lower_) / width_;  // [B, features, bins]
  const torch::Tensor floor = floor_.to(x.device(), x.scalar_type()), ceiling = ceiling_.to(x.device(), x.scalar_type());
  return torch::minimum(torch::maximum(crossed, floor), ceiling).flatten(1);
}

}  // namespace ndtmoe
