#pragma once
// Expert specialization and load health of a traced run, from its expert x class counts (top-1):
// normalized mutual information between expert and class, per-expert purity and class entropy, the
// coefficient of variation of the load, the share of dead experts and the effective number of experts
// exp(H(load)) / N. Read from the store alone (no libtorch), so the views can show it.

#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct ExpertProfile {
  int64_t expert = 0, samples = 0, assignments = 0, dominant_class = -1;
  double share = 0;          // of the samples (top-1)
  double slot_share = 0;     // of all top-K assignments, the measure `dead` is judged by
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

}  // namespace ndtmoe
