#pragma once
// IMoIE's warning sign: if replacing every expert by its mean output keeps the score, the router alone
// solves the task and the experts explain nothing.

#include <string>

#include "ndtmoe/explain/model_probe.h"

namespace ndtmoe {

struct RouterAloneCheck {
  std::string score_name;      // accuracy or rmse
  double full_score = 0;       // the model as trained
  double mean_experts_score = 0;  // every expert replaced by its mean output over the samples routed to it
};

RouterAloneCheck router_alone_check(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x, const torch::Tensor& truth,
                                    torch::Device device);

}  // namespace ndtmoe
