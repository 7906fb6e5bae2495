#pragma once
// Rank-Gaussian scaling of one numeric feature (NODE's preprocessing; scikit-learn's
// QuantileTransformer with a normal output): the training values at evenly spaced probabilities
// 0..1, a value mapped to its interpolated probability and then to the standard normal quantile of it.
// No libtorch: the views map thresholds back to data units with the same functions.

#include <cstdint>
#include <vector>

namespace ndtmoe {

// The `count` quantiles (at least 2, at most the number of values) of `values` (no NaN), ascending.
std::vector<double> fit_quantiles(std::vector<double> values, int64_t count);

// A value in data units -> the standard normal scale. Equal training values share the middle of their
// probability range; values outside the training range clamp to its ends.
double quantile_encode(const std::vector<double>& quantiles, double value);
// The inverse: the data value whose encoding is `z` (piecewise linear between the quantiles).
double quantile_decode(const std::vector<double>& quantiles, double z);

// The standard normal distribution function.
double normal_cdf(double z);

// Whether `quantiles` can come from fit_quantiles: at least 2, finite, ascending.
bool valid_quantiles(const std::vector<double>& quantiles);

}  // namespace ndtmoe
