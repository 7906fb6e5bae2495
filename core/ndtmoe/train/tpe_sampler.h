#pragma once
// A Tree-structured Parzen Estimator (Bergstra et al., 2011) over a small mixed search space, the
// sampler of `ndtmoe train --tune`. Independent per dimension, as Optuna's default: the trials so far are
// split into the best tenth ("good", at most 25; Optuna's split) and the rest; each dimension draws candidates from a
// Parzen density of the good values and keeps the one with the largest ratio good/rest density. The
// first `startup_trials` points are drawn uniformly (log-uniformly on log scales). No libtorch, no
// std::*_distribution: the same seed draws the same points on every platform.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ndtmoe {

struct SearchDimension {
  std::string name;
  double low = 0, high = 1;     // a real range, on a log scale when `log`
  bool log = false;
  std::vector<double> choices;  // non-empty: a categorical dimension over these values
  bool categorical() const { return !choices.empty(); }
};

using SearchPoint = std::vector<double>;  // one value per dimension, in the dimension's own units

struct Observation {
  SearchPoint point;
  double score = 0;  // higher is better
};

class TpeSampler {
 public:
  explicit TpeSampler(std::vector<SearchDimension> dimensions, uint64_t seed, int startup_trials = 8, int candidates = 24);

  // The next point to try, given every finished trial.
  SearchPoint next(const std::vector<Observation>& history);
  // A point drawn uniformly from the space (log-uniformly on log scales).
  SearchPoint random_point();
  const std::vector<SearchDimension>& dimensions() const { return dimensions_; }

 private:
  double uniform();  // [0, 1)
  double sample_dimension(size_t d, const std::vector<const Observation*>& good, const std::vector<const Observation*>& rest);

  std::vector<SearchDimension> dimensions_;
  std::mt19937_64 generator_;
  int startup_trials_, candidates_;
};

}  // namespace ndtmoe
