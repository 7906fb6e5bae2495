#include "ndtmoe/data/tuning_record.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ndtmoe {

TuningBudget parse_tuning_budget(const std::string& text) {
  const auto refuse = [&] {
    return std::invalid_argument("'" + text + "' is not a tuning budget: give a number of trials (40) or a time (90s, 20m, 1.5h)");
  };
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw refuse();
  }
  const std::string unit = text.substr(used);
  if (!std::isfinite(value) || value <= 0) throw refuse();
  TuningBudget budget;
  if (unit.empty()) {
    if (value != std::floor(value) || value > 1e6) throw refuse();
    budget.trials = static_cast<int64_t>(value);
  } else if (unit == "s" || unit == "m" || unit == "h") {
    budget.seconds = value * (unit == "s" ? 1 : unit == "m" ? 60 : 3600);
    if (budget.seconds > 30 * 86400.0) throw refuse();
  } else {
    throw refuse();
  }
  return budget;
}

TuningBudget TuningBudget::share(int parts) const {
  TuningBudget b = *this;
  if (parts > 1) b.seconds /= parts;
  return b;
}

std::string TuningBudget::to_string() const {
  std::string s;
  if (trials > 0) s = std::to_string(trials) + " trials";
  if (seconds > 0) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    s += (s.empty() ? "" : ", ") + std::string(buffer);
  }
  return s;
}

nlohmann::json TuningRecord::to_json() const {
  nlohmann::json trials_json = nlohmann::json::array();
  for (const auto& t : trials) {
    trials_json.push_back({{"number", t.number}, {"settings", t.settings}, {"fold_scores", t.fold_scores}, {"seconds", t.seconds}});
    if (t.failed()) trials_json.back()["error"] = t.error;  // JSON has no -infinity: a failed trial has no score
    else trials_json.back()["score"] = t.score;
    if (t.pruned) trials_json.back()["pruned"] = true;
  }
  return {{"sampler", sampler}, {"budget", budget}, {"inner_folds", inner_folds}, {"trials", trials_json}, {"chosen", chosen}, {"selection", selection}, {"cancelled", cancelled}};
}

TuningRecord TuningRecord::from_json(const nlohmann::json& j) {
  TuningRecord r;
  r.sampler = j.at("sampler").get<std::string>();
  r.budget = j.at("budget").get<std::string>();
  r.inner_folds = j.at("inner_folds").get<int64_t>();
  for (const auto& t : j.at("trials")) {
    if (!t.at("settings").is_object()) throw std::invalid_argument("tuning.trials[" + std::to_string(r.trials.size()) + "].settings is not an object");
    const std::string error = t.value("error", "");
    r.trials.push_back({t.at("number").get<int64_t>(), t.at("settings"), t.at("fold_scores").get<std::vector<double>>(),
                        error.empty() ? t.at("score").get<double>() : -std::numeric_limits<double>::infinity(), t.at("seconds").get<double>(), error,
                        t.value("pruned", false)});
  }
  r.chosen = j.at("chosen").get<int64_t>();
  r.selection = j.value("selection", "");  // records written before the rule have none
  r.cancelled = j.at("cancelled").get<bool>();
  if (r.chosen < -1 || r.chosen >= static_cast<int64_t>(r.trials.size()) || (r.chosen >= 0 && !r.trials[static_cast<size_t>(r.chosen)].complete()))
    throw std::invalid_argument("tuning.chosen " + std::to_string(r.chosen) + " is not one of its " + std::to_string(r.trials.size()) + " trials");
  return r;
}

std::vector<std::string> setting_names(const TuningRecord& record) {
  std::vector<std::string> names;
  for (const TuningTrial& t : record.trials)
    for (const auto& [name, value] : t.settings.items())
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

std::string trial_end(const TuningTrial& trial) { return trial.failed() ? "diverged" : trial.pruned ? "behind the best" : ""; }

std::string setting_text(const nlohmann::json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (!value.is_number()) return value.dump();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value.get<double>());
  return buffer;
}

void choose_trial(TuningRecord& record) {
  record.chosen = -1;
  record.selection.clear();
  for (size_t i = 0; i < record.trials.size(); ++i)
    if (record.trials[i].complete() && (record.chosen < 0 || record.trials[i].score > record.trials[static_cast<size_t>(record.chosen)].score))
      record.chosen = static_cast<int64_t>(i);
  if (record.chosen < 0) return;
  const TuningTrial& best = record.trials[static_cast<size_t>(record.chosen)];
  const auto text = [](double v) {
    std::ostringstream s;
    s << std::setprecision(3) << v;
    return s.str();
  };
  if (record.chosen == 0 || !record.trials[0].complete() || record.trials[0].fold_scores.size() != best.fold_scores.size()) {
    record.selection = "trial " + std::to_string(best.number) + ": the highest inner-CV score" +
                       (record.chosen == 0 ? " (the configuration as given)" : " (the configuration as given did not complete)");
    return;
  }
  const TuningTrial& given = record.trials[0];
  const auto folds = static_cast<double>(best.fold_scores.size());
  double mean = 0, squares = 0;
  for (size_t f = 0; f < best.fold_scores.size(); ++f) mean += (best.fold_scores[f] - given.fold_scores[f]) / folds;
  for (size_t f = 0; f < best.fold_scores.size(); ++f) squares += std::pow(best.fold_scores[f] - given.fold_scores[f] - mean, 2);
  const double standard_error = folds > 1 ? std::sqrt(squares / (folds - 1) / folds) : 0.0;
  int64_t ran = 0;
  for (const TuningTrial& t : record.trials) ran += !t.failed();
  const double luck = standard_error * std::sqrt(2.0 * std::log(static_cast<double>(std::max<int64_t>(ran, 2))));
  const std::string margin = text(mean) + " (what luck gives the best of " + std::to_string(ran) + " trials: " + text(luck) +
                             ", from the standard error of the paired inner-fold differences " + text(standard_error) + ")";
  if (mean > luck) {
    record.selection = "trial " + std::to_string(best.number) + ": beats the configuration as given by " + margin;
  } else {
    record.chosen = 0;
    record.selection = "trial 0, the configuration as given: the best trial (" + std::to_string(best.number) + ") beats it by only " + margin;
  }
}

}  // namespace ndtmoe
