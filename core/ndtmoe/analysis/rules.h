#pragma once
// Crisp rules from soft trees: each level keeps only its strongest selected input j and the test
// w_j u_j > b (the other inputs at their mean, 0 after standardization), i.e. u_j > b / w_j, read in
// the feature's original units. The test is exact where entmax selected that one input alone; where it
// mixes several, the one-input test is an approximation and says so ("≈"). A leaf's rule is the
// conjunction along its path, with the tests on one input merged into an interval (an empty interval
// marks a leaf no input reaches by the crisp tests); its expert is the one the leaf sends most weight to.
// Fidelity is the share of samples whose crisp leaf is the soft tree's most probable leaf.

#include <optional>
#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

// The item under which a stored "rules" explanation keeps a tree's fidelity.
inline constexpr const char* kRuleFidelityItem = "fidelity (crisp leaf = most probable soft leaf)";

struct CrispCondition {
  int64_t level = 0, input = 0;
  std::string text;              // e.g. "petal length > 2.45", "colour = red", "hidden[3] <= 0.1"
  double threshold = 0;          // b / w_j in standardized units
  std::optional<double> threshold_original;  // numeric features only
  bool above = false;            // the condition holds when the input is above the threshold
  bool exact = true;             // the level selects this input alone, so the test is the router's
  // Numeric tests: who is compared (feature or hidden unit) and the threshold as shown; empty for
  // category tests, whose text stands alone.
  std::string subject;
  double shown_threshold = 0;
};

struct CrispRule {
  int64_t leaf = 0, expert = 0;
  std::vector<CrispCondition> conditions;  // one per level
  double coverage = 0;                     // share of samples whose most probable leaf this is
  // The conditions with one interval per numeric input, e.g. "-2.3 < f1 <= -0.67 AND colour = red".
  std::string condition_text() const;
  bool satisfiable() const;  // false when the tests on one input leave no value
  std::string text() const;  // condition_text() -> leaf, expert
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

// The level's whole test, every selected input with its weight, in standardized units:
// "0.62·f0 + 0.38·f1 > 0.213".
std::string linear_test_text(const RunDescription& run, const RouterLevel& level);

// Reads what crisp_rules needs from the store and runs it on the samples of `split` (all when unset).
std::vector<TreeRules> crisp_rules(TraceStore& store, int64_t run, const std::optional<std::string>& split = std::nullopt);

}  // namespace ndtmoe
