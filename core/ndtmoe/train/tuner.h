#pragma once
// `ndtmoe train --tune BUDGET`: searches the student's and the teacher's main settings on the training
// rows alone. Every trial is scored by an inner stratified k-fold cross-validation of those rows (the
// student's inner-validation accuracy, log loss breaking ties; minus the RMSE for regression), and stops
// early when after a fold it is behind the best complete trial on the same folds (racing); the test
// rows are never passed in. Trial 0 is the configuration as given, so tuning never picks a setting that
// scored below it; the next ones come from a TPE sampler (tpe_sampler.h). After the search, trial 0 and
// the best trial are scored again on the folds of a fresh split of the same rows, and the best is chosen
// only when it leads there by more than the noise of those folds (choose_trial); a time budget keeps
// room for that, a trial budget runs it after the trials. The record of every trial
// travels with the run (run.json, and the trace store's config_json).
// The teacher changes only through its own tuned settings (it keeps the batch size and dropout it was
// given), and trials equal in them reuse the teacher an earlier trial trained on the same inner fold:
// with a vision teacher most of a trial's time is the teacher's.

#include <atomic>
#include <functional>
#include <string>

#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/tpe_sampler.h"
#include "ndtmoe/data/tuning_record.h"

namespace ndtmoe {

// One tunable setting: its range and how a value enters the configuration.
struct TuningParameter {
  SearchDimension dimension;
  std::function<double(const ExperimentConfig&)> read;
  std::function<void(ExperimentConfig&, double)> write;
};

// What `--tune` searches, given the configuration the run starts from: the student's learning rate,
// weight decay, dropout, batch size, experts, width, quantile or standard scaling of numeric features,
// a linear or piecewise-linear first layer (0 or 16 bins; a stack's student only) and (family ndt)
// tree depth; with a teacher trained here also its learning rate, blocks and width, and the
// distillation weight and temperature.
std::vector<TuningParameter> tuning_space(const ExperimentConfig& base);

struct TuningProgress {
  int64_t trial = 0;          // the trial running (0-based)
  int64_t trials_planned = 0; // 0 when the budget is a time
  double seconds_left = 0;    // 0 when the budget is a count
  int inner_fold = 0, inner_folds = 0;
  double best_score = 0;      // NaN before the first trial ends
  const ExperimentProgress* experiment = nullptr;
  bool confirming = false;    // scoring trial 0 or the best again, on a fresh split (choose_trial)
};
using TuningCallback = std::function<void(const TuningProgress&)>;

// Tunes `base` on `train_rows` of `data`; returns the record with the chosen configuration applied by
// `apply_chosen`. A cancelled search returns what finished, `cancelled` set. A trial whose training
// diverges is recorded as failed (its error kept) and the search goes on; when every trial failed,
// TrainingDiverged says so.
TuningRecord tune(const Dataset& data, const std::vector<int64_t>& train_rows, const ExperimentConfig& base, const TuningBudget& budget,
                  const TuningCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// `base` with the chosen trial's settings written in and the record attached (config.tuning).
ExperimentConfig apply_chosen(const ExperimentConfig& base, const TuningRecord& record);

}  // namespace ndtmoe
