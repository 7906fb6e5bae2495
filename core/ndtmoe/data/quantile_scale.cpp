#include "ndtmoe/data/quantile_scale.h"

#include <algorithm>
#include <cmath>

namespace ndtmoe {
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

namespace {

// Acklam's rational approximation of the standard normal quantile (relative error below 1.2e-9),
// refined by one Halley step.
double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = normal_cdf(x) - p, u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace

std::vector<double> fit_quantiles(std::vector<double> values, int64_t count) {
  std::sort(values.begin(), values.end());
  const auto n = static_cast<int64_t>(values.size());
  count = std::max<int64_t>(2, std::min(count, n));
  std::vector<double> quantiles;
  if (n == 0) return {0.0, 0.0};
  for (int64_t i = 0; i < count; ++i) {
    const double position = static_cast<double>(i) * static_cast<double>(n - 1) / static_cast<double>(count - 1);
    const auto below = static_cast<int64_t>(std::floor(position));
    const int64_t above = std::min(n - 1, below + 1);
    const double t = position - static_cast<double>(below);
    quantiles.push_back(values[below] + t * (values[above] - values[below]));
  }
  return quantiles;
}

// Quantile i of K stands for probability (i + 0.5) / K (Hazen's plotting position), so the training
// extremes map to finite, moderate values (K = 1000: |z| <= 3.3) rather than to the infinite ends.
double quantile_encode(const std::vector<double>& q, double value) {
  const auto lo = std::lower_bound(q.begin(), q.end(), value), hi = std::upper_bound(q.begin(), q.end(), value);
  double index;  // fractional position among the quantiles
  if (lo != hi) {
    index = (static_cast<double>(lo - q.begin()) + static_cast<double>(hi - q.begin() - 1)) / 2;
  } else if (lo == q.begin()) {
    index = 0;
  } else if (lo == q.end()) {
    index = static_cast<double>(q.size() - 1);
  } else {
    const auto i = lo - q.begin();
    index = static_cast<double>(i - 1) + (value - q[i - 1]) / (q[i] - q[i - 1]);
  }
  return normal_quantile((index + 0.5) / static_cast<double>(q.size()));
}

double quantile_decode(const std::vector<double>& q, double z) {
  const double position = std::clamp(normal_cdf(z) * static_cast<double>(q.size()) - 0.5, 0.0, static_cast<double>(q.size() - 1));
  const auto below = std::min(q.size() - 2, static_cast<size_t>(std::floor(position)));
  const double t = std::clamp(position - static_cast<double>(below), 0.0, 1.0);
  return q[below] + t * (q[below + 1] - q[below]);
}

bool valid_quantiles(const std::vector<double>& q) {
  if (q.size() < 2) return false;
  for (size_t i = 0; i < q.size(); ++i)
    if (!std::isfinite(q[i]) || (i > 0 && q[i] < q[i - 1])) return false;
  return true;
}

}  // namespace ndtmoe
