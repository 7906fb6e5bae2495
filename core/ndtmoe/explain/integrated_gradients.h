#pragma once
// Integrated gradients (Sundararajan et al. 2017) of an NDT-MoE model, for its output or for one
// layer's router, with the trapezoid rule over `steps` intervals.
//
// The top-K expert selection is a step function of the input: along the straight path from the
// baseline to x it can switch experts and make the output jump, which no gradient sees. Each sample's
// expert sets are therefore held at the ones x itself selects (the weights still move with the path),
// so the explained function is smooth and completeness holds: the attributions sum to
// f(x) - f(baseline) with the routing of x, up to quadrature error.

#include "ndtmoe/model/mixture_predictor.h"

namespace ndtmoe {

struct IntegratedGradients {
  torch::Tensor attributions;  // [n, in] per encoded input, CPU
  torch::Tensor at_input;      // [n] f(x)
  torch::Tensor at_baseline;   // [n] f(baseline) with the experts of x
  torch::Tensor target_index;  // [n] the class (output) or expert (router) whose logit is explained
};

// layer < 0 explains the output: the logit of the class predicted at x (the value, for regression).
// layer >= 0 explains that layer's router: the logit of the expert it ranks first at x.
IntegratedGradients integrated_gradients(MixturePredictor& model, const torch::Tensor& x, const torch::Tensor& baseline, int64_t steps,
                                         int64_t layer, torch::Device device);

}  // namespace ndtmoe
