#include "ndtmoe/train/tpe_sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "ndtmoe/data/quantile_scale.h"

namespace ndtmoe {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A real dimension in unit coordinates: u in [0, 1] spans [low, high] (log-spaced when `log`).
double to_unit(const SearchDimension& d, double value) {
  if (d.log) return (std::log(value) - std::log(d.low)) / (std::log(d.high) - std::log(d.low));
  return (value - d.low) / (d.high - d.low);
}

double from_unit(const SearchDimension& d, double u) {
  u = std::clamp(u, 0.0, 1.0);
  if (d.log) return std::exp(std::log(d.low) + u * (std::log(d.high) - std::log(d.low)));
  return d.low + u * (d.high - d.low);
}

// A Parzen density on [0, 1]: one Gaussian per observed value, truncated to the interval, plus a wide
// prior component at the centre so that an unexplored region keeps some density. Each value's
// bandwidth is its larger gap to a neighbour (Optuna's rule), at least 1/min(100, n + 1).
struct Parzen {
  std::vector<double> mean, sigma;

  explicit Parzen(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    const double floor = 1.0 / std::min(100.0, static_cast<double>(n) + 1.0);
    for (size_t i = 0; i < n; ++i) {
      const double left = i > 0 ? values[i] - values[i - 1] : values[i];
      const double right = i + 1 < n ? values[i + 1] - values[i] : 1.0 - values[i];
      mean.push_back(values[i]);
      sigma.push_back(std::clamp(std::max(left, right), floor, 1.0));
    }
    mean.push_back(0.5);
    sigma.push_back(1.0);
  }

  double log_density(double u) const {
    double sum = 0;
    for (size_t i = 0; i < mean.size(); ++i) {
      const double z = (u - mean[i]) / sigma[i];
      const double mass = normal_cdf((1.0 - mean[i]) / sigma[i]) - normal_cdf(-mean[i] / sigma[i]);
      sum += std::exp(-0.5 * z * z) / (sigma[i] * std::sqrt(2 * kPi) * std::max(mass, 1e-12));
    }
    return std::log(std::max(sum / static_cast<double>(mean.size()), 1e-300));
  }
};

}  // namespace

TpeSampler::TpeSampler(std::vector<SearchDimension> dimensions, uint64_t seed, int startup_trials, int candidates)
    : dimensions_(std::move(dimensions)), generator_(seed), startup_trials_(std::max(1, startup_trials)), candidates_(std::max(1, candidates)) {
  for (const auto& d : dimensions_) {
    const bool valid = d.categorical() || (d.high > d.low && (!d.log || d.low > 0));
    if (!valid) throw std::invalid_argument("search dimension '" + d.name + "': needs choices or a range low < high (low > 0 on a log scale)");
  }
}

double TpeSampler::uniform() { return static_cast<double>(generator_() >> 11) * 0x1.0p-53; }

SearchPoint TpeSampler::random_point() {
  SearchPoint point;
  for (const auto& d : dimensions_) {
    if (d.categorical()) {
      const auto index = std::min(d.choices.size() - 1, static_cast<size_t>(uniform() * static_cast<double>(d.choices.size())));
      point.push_back(d.choices[index]);
    } else {
      point.push_back(from_unit(d, uniform()));
    }
  }
  return point;
}

SearchPoint TpeSampler::next(const std::vector<Observation>& history) {
  if (static_cast<int>(history.size()) < startup_trials_) return random_point();
  std::vector<const Observation*> sorted;
  for (const auto& o : history) sorted.push_back(&o);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Observation* a, const Observation* b) { return a->score > b->score; });
  const auto good_count = static_cast<size_t>(std::min(25.0, std::ceil(0.1 * static_cast<double>(sorted.size()))));
  const std::vector<const Observation*> good(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(good_count));
  const std::vector<const Observation*> rest(sorted.begin() + static_cast<std::ptrdiff_t>(good_count), sorted.end());
  SearchPoint point;
  for (size_t d = 0; d < dimensions_.size(); ++d) point.push_back(sample_dimension(d, good, rest));
  return point;
}

double TpeSampler::sample_dimension(size_t d, const std::vector<const Observation*>& good, const std::vector<const Observation*>& rest) {
  const SearchDimension& dim = dimensions_[d];
  if (dim.categorical()) {
    // Counts with one pseudo-observation per choice, so no choice ever has zero probability.
    auto weights = [&](const std::vector<const Observation*>& set) {
      std::vector<double> w(dim.choices.size(), 1.0);
      for (const Observation* o : set) {
        const auto it = std::find(dim.choices.begin(), dim.choices.end(), o->point[d]);
        if (it != dim.choices.end()) w[static_cast<size_t>(it - dim.choices.begin())] += 1.0;
      }
      double total = 0;
      for (double v : w) total += v;
      for (double& v : w) v /= total;
      return w;
    };
    const std::vector<double> l = weights(good), g = weights(rest);
    size_t best = 0;
    double best_ratio = -INFINITY;
    for (int c = 0; c < candidates_; ++c) {
      double u = uniform();
      size_t index = 0;
      while (index + 1 < l.size() && u >= l[index]) u -= l[index++];
      const double ratio = std::log(l[index]) - std::log(g[index]);
      if (ratio > best_ratio) best_ratio = ratio, best = index;
    }
    return dim.choices[best];
  }
  auto units = [&](const std::vector<const Observation*>& set) {
    std::vector<double> u;
    for (const Observation* o : set) u.push_back(std::clamp(to_unit(dim, o->point[d]), 0.0, 1.0));
    return Parzen(u);
  };
  const Parzen l = units(good), g = units(rest);
  double best = 0.5, best_ratio = -INFINITY;
  for (int c = 0; c < candidates_; ++c) {
    // A component of the good density, then a draw from its truncated Gaussian (rejection; Box–Muller).
    const auto k = std::min(l.mean.size() - 1, static_cast<size_t>(uniform() * static_cast<double>(l.mean.size())));
    double u = l.mean[k];
    for (int attempt = 0; attempt < 64; ++attempt) {
      const double r = std::sqrt(-2.0 * std::log(1.0 - uniform())), z = r * std::cos(2 * kPi * uniform());
      const double x = l.mean[k] + l.sigma[k] * z;
      if (x >= 0.0 && x <= 1.0) { u = x; break; }
    }
    const double ratio = l.log_density(u) - g.log_density(u);
    if (ratio > best_ratio) best_ratio = ratio, best = u;
  }
  return from_unit(dim, best);
}

}  // namespace ndtmoe
