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
  c.exact = level.selectors.size() == 1;
  const std::string approximately = c.exact ? "" : "≈ ";
  const RouterInputInfo& info = run.router_inputs.at(static_cast<size_t>(input));
  if (info.feature >= 0 && info.category.empty()) {
    const FeatureInfo& f = run.features.at(static_cast<size_t>(info.feature));
    c.threshold_original = to_original_units(f, c.threshold);
    c.subject = f.name;
    c.shown_threshold = *c.threshold_original;
    c.text = approximately + f.name + (right ? " > " : " <= ") + number(*c.threshold_original);
  } else if (info.feature >= 0) {
    // A one-hot slot is 0 or 1: the test says whether the category is present.
    const std::string feature = run.features.at(static_cast<size_t>(info.feature)).name;
    const bool present_passes = 1.0 > c.threshold, absent_passes = 0.0 > c.threshold;
    const bool holds_present = right ? present_passes : !present_passes, holds_absent = right ? absent_passes : !absent_passes;
    c.text = approximately + (holds_present && holds_absent ? "(any " + feature + ")"
                              : holds_present               ? feature + " = " + info.category
                              : holds_absent                ? feature + " != " + info.category
                                                            : "(never: " + feature + ")");
  } else {
    c.subject = info.name;
    c.shown_threshold = c.threshold;
    c.text = approximately + info.name + (right ? " > " : " <= ") + number(c.threshold);
  }
  return c;
}

std::string linear_test_text(const RunDescription& run, const RouterLevel& level) {
  if (level.selectors.empty()) return "(level reads nothing)";
  std::string s;
  for (const auto& [input, weight] : level.selectors)
    s += (s.empty() ? "" : " + ") + number(weight) + "·" + run.router_inputs.at(static_cast<size_t>(input)).name;
  return s + " > " + number(level.threshold);
}

namespace {

// The tests of a rule on one numeric input, as the interval lower < x <= upper they leave.
struct Interval {
  std::string subject;
  std::optional<double> lower, upper;
  bool approximate = false;
  bool empty() const { return lower && upper && *lower >= *upper; }
  std::string text() const {
    const std::string prefix = approximate ? "≈ " : "";
    if (lower && upper) return prefix + number(*lower) + " < " + subject + " <= " + number(*upper);
    return prefix + subject + (lower ? " > " + number(*lower) : " <= " + number(*upper));
  }
};

std::vector<Interval> intervals(const std::vector<CrispCondition>& conditions) {
  std::vector<Interval> merged;
  for (const CrispCondition& c : conditions) {
    if (c.subject.empty()) continue;
    auto it = std::find_if(merged.begin(), merged.end(), [&](const Interval& i) { return i.subject == c.subject; });
    if (it == merged.end()) it = merged.insert(merged.end(), Interval{c.subject, std::nullopt, std::nullopt, false});
    std::optional<double>& bound = c.above ? it->lower : it->upper;
    bound = !bound ? c.shown_threshold : c.above ? std::max(*bound, c.shown_threshold) : std::min(*bound, c.shown_threshold);
    it->approximate = it->approximate || !c.exact;
  }
  return merged;
}

}  // namespace

bool CrispRule::satisfiable() const {
  const std::vector<Interval> merged = intervals(conditions);
  return std::none_of(merged.begin(), merged.end(), [](const Interval& i) { return i.empty(); });
}

std::string CrispRule::condition_text() const {
  std::string s;
  const auto append = [&s](const std::string& part) { s += (s.empty() ? "" : " AND ") + part; };
  if (!satisfiable()) {  // show the contradicting tests as they are
    for (const CrispCondition& c : conditions) append(c.text);
    return "(no input passes: " + s + ")";
  }
  const std::vector<Interval> merged = intervals(conditions);
  std::vector<std::string> shown;  // subjects whose interval is already in the text
  for (const CrispCondition& c : conditions) {
    if (c.subject.empty()) {
      append(c.text);
    } else if (std::find(shown.begin(), shown.end(), c.subject) == shown.end()) {
      shown.push_back(c.subject);
      append(std::find_if(merged.begin(), merged.end(), [&](const Interval& i) { return i.subject == c.subject; })->text());
    }
  }
  return s;
}

std::string CrispRule::text() const { return condition_text() + " -> leaf " + std::to_string(leaf) + ", expert " + std::to_string(expert); }

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

std::vector<TreeRules> crisp_rules(TraceStore& store, int64_t run, const std::optional<std::string>& split) {
  const RunDescription description = store.description(run);
  const SampleTable samples = store.sample_table(run, split);
  if (samples.size() == 0) throw StoreError(store.path() + ": run " + std::to_string(run) + " has no samples" + (split ? " in split " + *split : ""));
  std::vector<std::vector<std::vector<int32_t>>> soft(description.routers.size());
  for (size_t l = 0; l < soft.size(); ++l)
    for (int64_t t = 0; t < description.trees; ++t) {
      const std::vector<int32_t> by_id = store.top_leaves(run, static_cast<int64_t>(l), t);
      std::vector<int32_t>& of_samples = soft[l].emplace_back();
      for (int64_t id : samples.ids) of_samples.push_back(by_id.at(static_cast<size_t>(id)));
    }
  return crisp_rules(description, samples, soft);
}

}  // namespace ndtmoe
