#pragma once
// A Mixture of Decoders layer's experts as the trace store keeps them (mxd: W_n = D·diag(ĉ_n), so an
// expert is its unit modulation vector ĉ_n over the layer's outputs), with how the trace used them: each
// expert's share of the routed rows, its rows by class and its mean gate value; and what a row's chosen
// experts make together, Σ_k a_k ĉ_{e_k}, the factor by which the shared decoder's output is scaled.
// No libtorch: the views read it.

#include <cstdint>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct DecoderExpert {
  int64_t expert = 0;
  int64_t rows = 0;           // routed rows (samples, or tokens) that chose it in any of their K slots
  double share = 0;           // rows / all routed rows
  double mean_gate = 0;       // its mean gate value a over those rows
  std::vector<int64_t> classes;  // rows by class (classification; empty otherwise)
};

struct DecoderExperts {
  int64_t layer = 0, width = 0, experts = 0, routed_rows = 0;
  std::vector<DecoderExpert> by_use;  // every expert, most used first (ties by id)
  std::vector<int64_t> ids;           // the experts whose ĉ the store holds, and their rows in `modulations`
  std::vector<float> modulations;     // [ids, width]

  bool empty() const { return ids.empty(); }
  int64_t unused() const;
  // ĉ of the expert, or empty when the store does not hold it.
  std::vector<double> modulation(int64_t expert) const;
  // Σ_k weights[k] ĉ_{experts[k]} over the given experts (those the store holds; -1 entries, padding, skipped).
  std::vector<double> mixture(const std::vector<int32_t>& experts, const std::vector<float>& weights) const;
};

// Empty (no ids) when the run stores no modulation vectors for the layer; throws StoreError when the
// stored tensors disagree in shape or name experts outside the run.
DecoderExperts decoder_experts(TraceStore& store, int64_t run_id, const RunDescription& run, int64_t layer = 0);

}  // namespace ndtmoe
