#pragma once
// Crisp rules from soft trees: each level keeps only its strongest selected input j and the test
// w_j u_j > b (the other inputs at their mean, 0 after standardization), i.e. u_j > b / w_j, read in
// the feature's original units. A leaf's rule is the conjunction along its path; its expert is the one
// the leaf sends most weight to. Fidelity is the share of samples whose crisp leaf is the soft tree's
// most probable leaf.

#include <optional>
#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct CrispCondition {
  int64_t level = 0, input = 0;
  std::string text;              // e.g. "petal length > 2.45", "colour = red", "hidden[3] <= 0.1"
  double threshold = 0;          // b / w_j in standardized units
  std::optional<double> threshold_original;  // numeric features only
  bool above = false;            // the condition holds when the input is above the threshold
};

struct CrispRule {
  int64_t leaf = 0, expert = 0;
  std::vector<CrispCondition> conditions;  // one per level
  double coverage = 0;                     // share of samples whose most probable leaf this is
  std::string text() const;
};

struct TreeRules {
  int64_t layer = 0, tree = 0;
  std::vector<CrispRule> rules;  // one per leaf
  double fidelity = 0;           // NaN when a level's strongest input is a hidden unit (not stored per sample)
};

// The crisp form of one level's test; `right` chooses the branch whose condition is described.
CrispCondition crisp_condition(const RunDescription& run, const RouterLevel& level, int64_t index, bool right);

// `soft_leaves[layer][tree][i]` is the most probable leaf of sample i of `samples`.
std::vector<TreeRules> crisp_rules(const RunDescription& run, const SampleTable& samples,
                                   const std::vector<std::vector<std::vector<int32_t>>>& soft_leaves);

// Reads what crisp_rules needs from the store and runs it.
std::vector<TreeRules> crisp_rules(TraceStore& store, int64_t run);

}  // namespace ndtmoe
