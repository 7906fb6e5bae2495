#pragma once
// Expert specialization and load health of a traced run, from its expert x class counts (top-1):
// normalized mutual information between expert and class, per-expert purity and class entropy, the
// coefficient of variation of the load, the share of dead experts and the effective number of experts
// exp(H(load)) / N. And IMoIE's warning sign: if replacing every expert by its mean output keeps the
// score, the router alone solves the task and the experts explain nothing.

#include <vector>

#include "ndtmoe/model_probe.h"
#include "ndtmoe/trace_store.h"

namespace ndtmoe {

struct ExpertProfile {
  int64_t expert = 0, samples = 0, assignments = 0, dominant_class = -1;
  double share = 0;          // of the samples (top-1)
  double purity = 0;         // share of its samples in its dominant class
  double entropy_bits = 0;   // class entropy of its samples
};

struct LayerSpecialization {
  int64_t layer = 0;
  double nmi = 0;                // NaN for regression
  double load_cv = 0;            // std / mean of the top-1 load over experts
  double dead_fraction = 0;      // experts never selected in any top-K slot
  double effective_experts = 0;  // exp(H(top-1 load)) / N, in (0, 1]
  std::vector<ExpertProfile> experts;
};

std::vector<LayerSpecialization> specialization(TraceStore& store, int64_t run);

struct RouterAloneCheck {
  std::string score_name;      // accuracy or rmse
  double full_score = 0;       // the model as trained
  double mean_experts_score = 0;  // every expert replaced by its mean output over the samples routed to it
};

RouterAloneCheck router_alone_check(MoEModel& model, const Preprocessor& pre, const torch::Tensor& x, const torch::Tensor& truth,
                                    torch::Device device);

}  // namespace ndtmoe
