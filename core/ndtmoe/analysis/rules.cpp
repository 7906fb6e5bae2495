#include "ndtmoe/analysis/rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ndtmoe/analysis/decision_path.h"

namespace ndtmoe {

namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

}  // namespace

CrispCondition crisp_condition(const RunDescription& run, const RouterLevel& level, int64_t index, bool right) {
  CrispCondition c;
  c.level = index;
  c.above = right;
  if (level.selectors.empty()) {
    c.text = "(level reads nothing)";
    return c;
  }
  const auto [input, weight] = level.selectors.front();
  c.input = input;
  c.threshold = level.threshold / weight;
  const RouterInputInfo& info = run.router_inputs.at(static_cast<size_t>(input));
  if (info.feature >= 0 && info.category.empty()) {
    const FeatureInfo& f = run.features.at(static_cast<size_t>(info.feature));
    c.threshold_original = to_original_units(f, c.threshold);
    c.text = f.name + (right ? " > " : " <= ") + number(*c.threshold_original);
  } else if (info.feature >= 0) {
    // A one-hot slot is 0 or 1: the test says whether the category is present.
    const std::string feature = run.features.at(static_cast<size_t>(info.feature)).name;
    const bool present_passes = 1.0 > c.threshold, absent_passes = 0.0 > c.threshold;
    const bool holds_present = right ? present_passes : !present_passes, holds_absent = right ? absent_passes : !absent_passes;
    c.text = holds_present && holds_absent   ? "(any " + feature + ")"
             : holds_present                 ? feature + " = " + info.category
             : holds_absent                  ? feature + " != " + info.category
                                             : "(never: " + feature + ")";
  } else {
    c.text = info.name + (right ? " > " : " <= ") + number(c.threshold);
  }
  return c;
}

std::string CrispRule::text() const {
  std::string s;
  for (const CrispCondition& c : conditions) s += (s.empty() ? "" : " AND ") + c.text;
  return s + " -> leaf " + std::to_string(leaf) + ", expert " + std::to_string(expert);
}

std::vector<TreeRules> crisp_rules(const RunDescription& run, const SampleTable& samples,
                                   const std::vector<std::vector<std::vector<int32_t>>>& soft_leaves) {
  std::vector<TreeRules> all;
  const size_t n = samples.size();
  for (size_t l = 0; l < run.routers.size(); ++l) {
    const RouterParameters& router = run.routers[l];
    const int64_t leaves = int64_t{1} << router.depth;
    for (int64_t t = 0; t < router.trees; ++t) {
      TreeRules tree{static_cast<int64_t>(l), t, {}, 0.0};
      const std::vector<int32_t>& soft = soft_leaves.at(l).at(static_cast<size_t>(t));
      std::vector<double> coverage(static_cast<size_t>(leaves), 0.0);
      for (int32_t leaf : soft) coverage[static_cast<size_t>(leaf)] += 1.0 / static_cast<double>(std::max<size_t>(n, 1));
      for (int64_t leaf = 0; leaf < leaves; ++leaf) {
        CrispRule rule;
        rule.leaf = leaf;
        for (int64_t i = 0; i < router.depth; ++i) rule.conditions.push_back(crisp_condition(run, router.level(t, i), i, (leaf >> i & 1) != 0));
        const float* mix = router.leaf_experts.data() + (t * leaves + leaf) * router.experts;
        rule.expert = std::max_element(mix, mix + router.experts) - mix;
        rule.coverage = coverage[static_cast<size_t>(leaf)];
        tree.rules.push_back(std::move(rule));
      }
      // Fidelity: evaluate the crisp tests on the stored inputs (possible when every level reads an input feature).
      bool evaluable = n > 0;
      for (int64_t i = 0; i < router.depth; ++i) {
        const RouterLevel& level = router.level(t, i);
        evaluable = evaluable && !level.selectors.empty() &&
                    level.selectors.front().first < samples.width &&
                    run.router_inputs.at(static_cast<size_t>(level.selectors.front().first)).feature >= 0;
      }
      if (!evaluable) {
        tree.fidelity = std::nan("");
      } else {
        int64_t agree = 0;
        for (size_t s = 0; s < n; ++s) {
          int32_t crisp = 0;
          for (int64_t i = 0; i < router.depth; ++i) {
            const CrispCondition& c = tree.rules.front().conditions[static_cast<size_t>(i)];
            if (samples.inputs[s * static_cast<size_t>(samples.width) + static_cast<size_t>(c.input)] > c.threshold) crisp |= 1 << i;
          }
          agree += crisp == soft[s];
        }
        tree.fidelity = static_cast<double>(agree) / static_cast<double>(n);
      }
      all.push_back(std::move(tree));
    }
  }
  return all;
}

std::vector<TreeRules> crisp_rules(TraceStore& store, int64_t run) {
  const RunDescription description = store.description(run);
  const SampleTable samples = store.sample_table(run);
  std::vector<std::vector<std::vector<int32_t>>> soft(description.routers.size());
  for (size_t l = 0; l < soft.size(); ++l)
    for (int64_t t = 0; t < description.trees; ++t) soft[l].push_back(store.top_leaves(run, static_cast<int64_t>(l), t));
  return crisp_rules(description, samples, soft);
}

}  // namespace ndtmoe
