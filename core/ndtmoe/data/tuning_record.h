#pragma once
// The budget of `ndtmoe train --tune` and the record of its trials, kept with the run's configuration
// (run.json and the trace store's config_json) so that a search can be inspected after the fact. Plain
// data with its JSON form, here below training so the views can read a record too.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ndtmoe {

// A number of trials, a wall-clock time, or both (whichever ends first).
struct TuningBudget {
  int64_t trials = 0;    // 0: no limit on the count
  double seconds = 0;    // 0: no limit on the time
  bool empty() const { return trials <= 0 && seconds <= 0; }
  // Each outer fold of a cross-validation gets an equal share of the time.
  TuningBudget share(int parts) const;
  std::string to_string() const;
};
// "40" (trials), "90s", "20m", "1h" or "1.5h"; std::invalid_argument naming the text otherwise.
TuningBudget parse_tuning_budget(const std::string& text);

struct TuningTrial {
  int64_t number = 0;
  nlohmann::json settings;          // parameter name -> value
  std::vector<double> fold_scores;  // one per inner fold
  double score = 0;                 // their mean; higher is better; -infinity for a failed trial
  double seconds = 0;
  std::string error{};              // why the trial failed (training diverged); empty when it ran
  bool pruned = false;              // stopped after fold_scores.size() folds, behind the best trial (tuner.h)
  std::vector<double> confirmation_scores{};  // on the folds of a fresh split: trial 0 and the best (choose_trial)
  bool failed() const { return !error.empty(); }
  bool complete() const { return !failed() && !pruned; }
};

struct TuningRecord {
  std::string sampler = "tpe";
  std::string budget;
  int64_t inner_folds = 3;
  std::vector<TuningTrial> trials;
  int64_t chosen = -1;   // index into `trials` of the chosen complete trial (choose_trial); -1 while none
  std::string selection;  // why that one, in words
  bool cancelled = false;

  nlohmann::json to_json() const;
  static TuningRecord from_json(const nlohmann::json& j);
};

// The complete trial with the highest score, unless trial 0 (the configuration as given) is complete
// and the best does not beat it by more than luck. On small data the best of many trials is mostly the
// luckiest, so its lead on the folds that picked it says little. When both were scored again on the
// folds of a fresh split of the same rows (confirmation_scores), where nothing was picked, the best must
// lead there by more than t·s: s the standard error of the paired fresh-fold differences, t the one-sided
// 90% quantile of Student's t with folds − 1 degrees of freedom (pure noise passes one time in ten).
// Without that confirmation (a record from before it, or a search that ran out of time for it) the best
// must lead on the search folds by more than the largest gain luck gives the best of M trials, about
// s·sqrt(2 ln M) with s from the paired inner-fold differences and M the trials that ran (a trial stopped
// behind the best took part in the race and lost it). Sets `chosen` and `selection`; -1 when no trial is
// complete.
void choose_trial(TuningRecord& record);
// The trial that choose_trial weighs against trial 0, the complete one with the highest score; -1
// when that is trial 0 itself, trial 0 is not complete, or no trial is.
int64_t best_challenger(const TuningRecord& record);

// What the CLI's and the workbench's tables of a record share: every setting any trial names, in first
// appearance; how a trial ended ("diverged", "behind the best", or empty when it ran every fold); a
// setting's value as text (integers whole, others to three significant digits).
std::vector<std::string> setting_names(const TuningRecord& record);
std::string trial_end(const TuningTrial& trial);
// The mean of a trial's scores on the fresh split (confirmation_scores): NaN when it has none; as text
// to four decimals, "" when it has none.
double confirmation_mean(const TuningTrial& trial);
std::string confirmation_text(const TuningTrial& trial);
std::string setting_text(const nlohmann::json& value);

}  // namespace ndtmoe
