#pragma once
// Routing counterfactuals: for one sample and one layer, the smallest change of a single numeric
// feature that gives the layer another top-1 expert, searched on a grid of +-`span` standard deviations
// around the sample's value and refined by bisection at the first crossing.

#include "ndtmoe/explain/model_probe.h"

namespace ndtmoe {

struct Counterfactual {
  std::string feature;
  int64_t column = 0;                    // encoded input column
  double from_value = 0, to_value = 0;   // original units
  int64_t from_expert = 0, to_expert = 0;
  double delta() const { return to_value - from_value; }
};

// One per numeric feature that can move the sample within the span, smallest |change| (in standard
// deviations) first.
std::vector<Counterfactual> expert_counterfactuals(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x, int64_t layer,
                                                   torch::Device device, double span = 4.0, int64_t grid = 256);

}  // namespace ndtmoe
