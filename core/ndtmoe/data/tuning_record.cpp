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
    if (!t.confirmation_scores.empty()) trials_json.back()["confirmation_scores"] = t.confirmation_scores;
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
    r.trials.back().confirmation_scores = t.value("confirmation_scores", std::vector<double>{});  // records from before the confirmation have none
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

double confirmation_mean(const TuningTrial& trial) {
  if (trial.confirmation_scores.empty()) return std::nan("");
  double sum = 0;
  for (double s : trial.confirmation_scores) sum += s;
  return sum / static_cast<double>(trial.confirmation_scores.size());
}

std::string confirmation_text(const TuningTrial& trial) {
  if (trial.confirmation_scores.empty()) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", confirmation_mean(trial));
  return buffer;
}

std::string setting_text(const nlohmann::json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (!value.is_number()) return value.dump();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value.get<double>());
  return buffer;
}

namespace {

struct PairedLead {
  double mean = 0, standard_error = 0;
};

// The mean of `a` − `b` over paired folds, and its standard error.
PairedLead paired_lead(const std::vector<double>& a, const std::vector<double>& b) {
  const auto folds = static_cast<double>(a.size());
  PairedLead lead;
  for (size_t f = 0; f < a.size(); ++f) lead.mean += (a[f] - b[f]) / folds;
  double squares = 0;
  for (size_t f = 0; f < a.size(); ++f) squares += std::pow(a[f] - b[f] - lead.mean, 2);
  lead.standard_error = folds > 1 ? std::sqrt(squares / (folds - 1) / folds) : 0.0;
  return lead;
}

// The one-sided 90% quantile of Student's t with `df` degrees of freedom.
double t90(size_t df) {
  static const double quantiles[] = {3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372};
  return df == 0 ? std::numeric_limits<double>::infinity() : df <= 10 ? quantiles[df - 1] : 1.282;
}

std::string text(double v) {
  std::ostringstream s;
  s << std::setprecision(3) << v;
  return s.str();
}

bool confirmed_pair(const TuningTrial& given, const TuningTrial& best) {
  return !best.confirmation_scores.empty() && best.confirmation_scores.size() == given.confirmation_scores.size();
}

}  // namespace

int64_t best_challenger(const TuningRecord& record) {
  int64_t best = -1;
  for (size_t i = 0; i < record.trials.size(); ++i)
    if (record.trials[i].complete() && (best < 0 || record.trials[i].score > record.trials[static_cast<size_t>(best)].score))
      best = static_cast<int64_t>(i);
  if (best <= 0 || !record.trials[0].complete() || record.trials[0].fold_scores.size() != record.trials[static_cast<size_t>(best)].fold_scores.size())
    return -1;
  return best;
}

void choose_trial(TuningRecord& record) {
  record.chosen = -1;
  record.selection.clear();
  for (size_t i = 0; i < record.trials.size(); ++i)
    if (record.trials[i].complete() && (record.chosen < 0 || record.trials[i].score > record.trials[static_cast<size_t>(record.chosen)].score))
      record.chosen = static_cast<int64_t>(i);
  if (record.chosen < 0) return;
  const int64_t challenger = best_challenger(record);
  if (challenger < 0) {
    const TuningTrial& best = record.trials[static_cast<size_t>(record.chosen)];
    record.selection = "trial " + std::to_string(best.number) + ": the highest inner-CV score" +
                       (record.chosen == 0 ? " (the configuration as given)" : " (the configuration as given did not complete)");
    return;
  }
  const TuningTrial& given = record.trials[0];
  const TuningTrial& best = record.trials[static_cast<size_t>(challenger)];
  const PairedLead search = paired_lead(best.fold_scores, given.fold_scores);
  double needed = 0;
  std::string margin;
  if (confirmed_pair(given, best)) {
    const PairedLead fresh = paired_lead(best.confirmation_scores, given.confirmation_scores);
    needed = t90(best.confirmation_scores.size() - 1) * fresh.standard_error;
    margin = text(fresh.mean) + " on a fresh split of the training rows (" + text(search.mean) + " on the folds that picked it; needed on the fresh folds: " +
             text(needed) + ", t·s with s = " + text(fresh.standard_error) + ", the standard error of the paired fresh-fold differences)";
    record.chosen = fresh.mean > needed ? challenger : 0;
  } else {
    int64_t ran = 0;
    for (const TuningTrial& t : record.trials) ran += !t.failed();
    needed = search.standard_error * std::sqrt(2.0 * std::log(static_cast<double>(std::max<int64_t>(ran, 2))));
    margin = text(search.mean) + " (what luck gives the best of " + std::to_string(ran) + " trials: " + text(needed) +
             ", from the standard error of the paired inner-fold differences " + text(search.standard_error) + ")";
    record.chosen = search.mean > needed ? challenger : 0;
  }
  record.selection = record.chosen == challenger
                         ? "trial " + std::to_string(best.number) + ": beats the configuration as given by " + margin
                         : "trial 0, the configuration as given: the best trial (" + std::to_string(best.number) + ") beats it by only " + margin;
}

}  // namespace ndtmoe
