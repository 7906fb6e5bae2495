#pragma once
// The `ndt` family: NODE-style soft oblivious trees with entmax feature selection route to FFN experts
// (ndt_router.h). Its routing records are the trees' per-level decisions, the selected values and the
// leaf probabilities, stored in the trace store's tree tables.

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/ndt_router.h"

namespace ndtmoe {

// Names of the ndt router's records in RoutingDecision::records.
inline constexpr const char* kDecisionsRecord = "decisions";      // [B, T, D] probability of going right
inline constexpr const char* kSplitValuesRecord = "split_values";  // [B, T, D] selected value s = w . u
inline constexpr const char* kLeafProbsRecord = "leaf_probs";      // [B, T, 2^D], each tree's row sums to 1

struct NDTFamilyOptions {
  int64_t depth = 3, trees = 1;
  LeafExpertMode leaf_mode = LeafExpertMode::Linear;
  // From a Mixture configuration of family ndt with complete options.
  static NDTFamilyOptions of(const ModelConfig& config);
  static NDTFamilyOptions of(const nlohmann::json& options);
};

Family ndt_family();

}  // namespace ndtmoe
