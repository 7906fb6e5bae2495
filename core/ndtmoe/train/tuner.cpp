#include "ndtmoe/train/tuner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "ndtmoe/data/splits.h"

namespace ndtmoe {
namespace {

TuningParameter real(std::string name, double low, double high, bool log, std::function<double(const ExperimentConfig&)> read,
                     std::function<void(ExperimentConfig&, double)> write) {
  SearchDimension d{std::move(name), low, high, log, {}};
  return {std::move(d), std::move(read), std::move(write)};
}

TuningParameter choice(std::string name, std::vector<double> choices, std::function<double(const ExperimentConfig&)> read,
                       std::function<void(ExperimentConfig&, double)> write) {
  SearchDimension d{std::move(name), 0, 1, false, std::move(choices)};
  return {std::move(d), std::move(read), std::move(write)};
}

int64_t whole(double v) { return static_cast<int64_t>(std::llround(v)); }

// A trial's value as the record shows it: a count or a switch as an integer, a rate as a number.
nlohmann::json setting_value(const SearchDimension& dimension, double v) {
  return dimension.categorical() && v == std::round(v) ? nlohmann::json(whole(v)) : nlohmann::json(v);
}

// The score of one inner fold: the student's validation accuracy, with a thousandth of its log loss
// separating equal accuracies (small folds tie often); minus the RMSE for regression.
double fold_score(const Experiment& ex) {
  for (const auto& r : ex.reports) {
    if (r.name != "student") continue;
    if (r.metrics.count("accuracy")) return r.metrics.at("accuracy") - 1e-3 * r.metrics.at("log_loss");
    return -r.metrics.at("rmse");
  }
  throw std::logic_error("tuning trial finished without a student");
}

// Racing on the inner folds (successive halving with the folds as the resource): a trial whose mean
// over its first folds is below the best complete trial's mean over the same folds stops there. Its
// partial mean still guides the sampler; only complete trials can be chosen.
bool behind_the_best(const TuningTrial& trial, const TuningTrial& best) {
  double mine = 0, theirs = 0;
  for (size_t f = 0; f < trial.fold_scores.size(); ++f) mine += trial.fold_scores[f], theirs += best.fold_scores.at(f);
  return mine < theirs;
}

// The base configuration's own value of each parameter, added to a categorical dimension's choices
// when it is not one of them, so that trial 0 is exactly the configuration as given.
SearchPoint base_point(std::vector<TuningParameter>& space, const ExperimentConfig& base) {
  SearchPoint point;
  for (auto& p : space) {
    double v = p.read(base);
    auto& choices = p.dimension.choices;
    if (p.dimension.categorical() && std::find(choices.begin(), choices.end(), v) == choices.end()) {
      choices.push_back(v);
      std::sort(choices.begin(), choices.end());
    }
    if (!p.dimension.categorical()) {
      p.dimension.low = std::min(p.dimension.low, v);
      p.dimension.high = std::max(p.dimension.high, v);
    }
    point.push_back(v);
  }
  return point;
}

// What the teacher an inner fold trains depends on, from the configuration: trials equal in it (and
// in the encoded rows, which the cache checks) share one teacher per inner fold.
std::string teacher_settings(const ExperimentConfig& c) {
  ExperimentConfig teacher_only;
  teacher_only.teacher = c.teacher;
  teacher_only.teacher_kind = c.teacher_kind;
  teacher_only.teacher_training = c.teacher_training;
  teacher_only.teacher_augmentation = c.teacher_augmentation;
  teacher_only.numeric_scaling = c.numeric_scaling;
  teacher_only.validation_fraction = c.validation_fraction;
  teacher_only.max_categories = c.max_categories;
  teacher_only.seed = c.seed;
  return teacher_only.to_json().dump();
}

// The configuration of a trial: `base` with its settings written in.
ExperimentConfig trial_config(const ExperimentConfig& base, const std::vector<TuningParameter>& space, const nlohmann::json& settings) {
  ExperimentConfig config = base;
  for (const auto& p : space)
    if (settings.contains(p.dimension.name)) p.write(config, settings.at(p.dimension.name).get<double>());
  return config;
}

}  // namespace

std::vector<TuningParameter> tuning_space(const ExperimentConfig& base) {
  std::vector<TuningParameter> space = {
      real("lr", 3e-4, 1e-2, true, [](const ExperimentConfig& c) { return c.student_training.lr; },
           [](ExperimentConfig& c, double v) { c.student_training.lr = v; }),
      real("weight_decay", 1e-5, 1e-1, true, [](const ExperimentConfig& c) { return c.student_training.weight_decay; },
           [](ExperimentConfig& c, double v) { c.student_training.weight_decay = v; }),
      real("dropout", 0.0, 0.4, false, [](const ExperimentConfig& c) { return c.student.dropout; },
           [](ExperimentConfig& c, double v) { c.student.dropout = v; }),
      choice("batch_size", {16, 32, 64}, [](const ExperimentConfig& c) { return static_cast<double>(c.student_training.batch_size); },
             [](ExperimentConfig& c, double v) { c.student_training.batch_size = whole(v); }),
      choice("experts", {4, 8, 16}, [](const ExperimentConfig& c) { return static_cast<double>(c.student.experts); },
             [](ExperimentConfig& c, double v) { c.student.experts = whole(v); }),
      choice("d_model", {32, 64, 128}, [](const ExperimentConfig& c) { return static_cast<double>(c.student.d_model); },
             [](ExperimentConfig& c, double v) { c.student.d_model = whole(v); }),
  };
  space.push_back(choice("quantile_scaling", {0, 1},
                         [](const ExperimentConfig& c) { return c.numeric_scaling == NumericScaling::Quantile ? 1.0 : 0.0; },
                         [](ExperimentConfig& c, double v) { c.numeric_scaling = v > 0.5 ? NumericScaling::Quantile : NumericScaling::Standard; }));
  if (has_linear_first_layer(base.student))
    space.push_back(choice("piecewise_bins", {0, 16}, [](const ExperimentConfig& c) { return static_cast<double>(c.student.piecewise_bins); },
                           [](ExperimentConfig& c, double v) { c.student.piecewise_bins = whole(v); }));
  if (base.student.family == "ndt")
    space.push_back(choice("depth", {2, 3, 4, 5}, [](const ExperimentConfig& c) { return c.student.family_options.value("depth", 3.0); },
                           [](ExperimentConfig& c, double v) { c.student.family_options["depth"] = whole(v); }));
  if (base.teacher_kind == TeacherKind::Transformer) {
    // The teacher's settings are choices, not ranges, so that trials repeat them and share the teacher
    // trained for the first (teacher_settings).
    space.push_back(choice("teacher_lr", {3e-4, 1e-3, 3e-3}, [](const ExperimentConfig& c) { return c.teacher_training.lr; },
                           [](ExperimentConfig& c, double v) { c.teacher_training.lr = v; }));
    space.push_back(choice("teacher_blocks", {1, 2, 3}, [](const ExperimentConfig& c) { return static_cast<double>(c.teacher.blocks); },
                           [](ExperimentConfig& c, double v) { c.teacher.blocks = whole(v); }));
    space.push_back(choice("teacher_d", {32, 64}, [](const ExperimentConfig& c) { return static_cast<double>(c.teacher.d_token); },
                           [](ExperimentConfig& c, double v) { c.teacher.d_token = whole(v); }));
  }
  if (base.teacher_kind != TeacherKind::None) {
    space.push_back(real("alpha", 0.1, 0.9, false, [](const ExperimentConfig& c) { return c.student_training.loss.alpha; },
                         [](ExperimentConfig& c, double v) { c.student_training.loss.alpha = v; }));
    space.push_back(choice("temperature", {1, 2, 4}, [](const ExperimentConfig& c) { return c.student_training.loss.temperature; },
                           [](ExperimentConfig& c, double v) { c.student_training.loss.temperature = v; }));
  }
  return space;
}

TuningRecord tune(const Dataset& data, const std::vector<int64_t>& train_rows, const ExperimentConfig& base, const TuningBudget& budget,
                  const TuningCallback& progress, const std::atomic<bool>* cancel) {
  if (budget.empty()) throw std::invalid_argument("tuning needs a budget of trials or time");
  TuningRecord record;
  record.budget = budget.to_string();
  std::vector<TuningParameter> space = tuning_space(base);
  const SearchPoint first = base_point(space, base);
  std::vector<SearchDimension> dimensions;
  for (const auto& p : space) dimensions.push_back(p.dimension);
  TpeSampler sampler(dimensions, base.seed);

  std::vector<int64_t> labels;
  if (data.task == TaskKind::Classification) for (int64_t r : train_rows) labels.push_back(data.labels[r]);
  const auto folds_of_split = [&](uint64_t seed) {
    return stratified_kfold(labels, static_cast<int64_t>(train_rows.size()), static_cast<int>(record.inner_folds), seed);
  };
  const auto inner = folds_of_split(base.seed + 2);
  auto rows_of = [&](const std::vector<int64_t>& positions) {
    std::vector<int64_t> rows;
    for (int64_t p : positions) rows.push_back(train_rows[static_cast<size_t>(p)]);
    return rows;
  };

  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  // By teacher settings and fold (the fresh split's folds numbered after the search's).
  std::map<std::pair<std::string, size_t>, TeacherOutputCache> teachers;
  double best = std::numeric_limits<double>::quiet_NaN();
  // Scores `config` fold by fold on `folds` into `scores` until `stop` says so after a fold; a
  // divergence is recorded in trial.error. False when cancelled.
  const auto score_folds = [&](TuningTrial& trial, const ExperimentConfig& config, const std::vector<Split>& folds, size_t first_key,
                               bool confirming, std::vector<double>& scores, const std::function<bool()>& stop) {
    const std::string teacher_key = teacher_settings(config);
    for (size_t f = 0; f < folds.size(); ++f) {
      const Split split{rows_of(folds[f].train), rows_of(folds[f].test)};
      TeacherOutputCache& teacher = teachers[{teacher_key, first_key + f}];
      Experiment ex;
      try {
        ex = run_experiment(data, split, config, [&](const ExperimentProgress& p) {
          if (!progress) return;
          progress(TuningProgress{trial.number, budget.trials, budget.seconds > 0 ? std::max(0.0, budget.seconds - elapsed()) : 0.0,
                                  static_cast<int>(f) + 1, static_cast<int>(folds.size()), best, &p, confirming});
        }, cancel, teacher);
      } catch (const TrainingDiverged& e) {
        // Settings that make training diverge are a result, not an error: the trial scores lowest.
        trial.error = std::string(confirming ? "fresh fold " : "inner fold ") + std::to_string(f + 1) + ": " + e.what();
        return true;
      }
      if (ex.cancelled) return false;
      teacher = ex.teacher_cache;
      scores.push_back(fold_score(ex));
      if (f + 1 < folds.size() && stop()) break;
    }
    return true;
  };

  std::vector<Observation> history;
  int64_t leader = -1;  // the complete trial with the highest score so far, which racing compares with
  double complete_seconds = 0;  // of the complete trials, for the time the confirmation needs
  int64_t completed = 0;
  const auto confirmation_seconds = [&] { return completed > 0 ? 2 * complete_seconds / static_cast<double>(completed) : 0.0; };
  for (int64_t number = 0;; ++number) {
    if (budget.trials > 0 && number >= budget.trials) break;
    // A time budget starts a trial only when one of the mean length so far still fits, besides the
    // confirmation of the best (two more complete trials).
    if (budget.seconds > 0 && number > 0 && elapsed() + elapsed() / static_cast<double>(number) + confirmation_seconds() > budget.seconds) break;
    const SearchPoint point = number == 0 ? first : sampler.next(history);
    TuningTrial trial;
    trial.number = number;
    trial.settings = nlohmann::json::object();
    for (size_t i = 0; i < space.size(); ++i) trial.settings[space[i].dimension.name] = setting_value(space[i].dimension, point[i]);
    ExperimentConfig config = trial_config(base, space, trial.settings);
    config.baselines = false;
    const auto trial_started = Clock::now();
    if (!score_folds(trial, config, inner, 0, false, trial.fold_scores, [&] {
          trial.pruned = leader >= 0 && behind_the_best(trial, record.trials[static_cast<size_t>(leader)]);
          return trial.pruned;
        })) {
      record.cancelled = true;
      break;
    }
    double sum = 0;
    for (double v : trial.fold_scores) sum += v;
    trial.score = trial.failed() ? -std::numeric_limits<double>::infinity() : sum / static_cast<double>(trial.fold_scores.size());
    trial.seconds = std::chrono::duration<double>(Clock::now() - trial_started).count();
    history.push_back({point, trial.score});
    if (trial.complete()) {
      complete_seconds += trial.seconds;
      ++completed;
      if (leader < 0 || trial.score > record.trials[static_cast<size_t>(leader)].score) {
        leader = static_cast<int64_t>(record.trials.size());
        best = trial.score;
      }
    }
    record.trials.push_back(std::move(trial));
  }

  // The best trial and trial 0 again, on the folds of a fresh split where nothing was picked: the
  // evidence choose_trial weighs. A time budget kept room for it; a trial budget runs it after the trials.
  const int64_t challenger = record.cancelled ? -1 : best_challenger(record);
  if (challenger > 0) {
    const auto fresh = folds_of_split(base.seed + 3);
    for (const int64_t i : {int64_t{0}, challenger}) {
      TuningTrial& trial = record.trials[static_cast<size_t>(i)];
      ExperimentConfig config = trial_config(base, space, trial.settings);
      config.baselines = false;
      if (!score_folds(trial, config, fresh, inner.size(), true, trial.confirmation_scores, [] { return false; })) {
        record.cancelled = true;
        break;
      }
      if (trial.failed()) trial.score = -std::numeric_limits<double>::infinity();  // diverged on a fresh fold: never chosen
    }
  }
  choose_trial(record);
  if (record.chosen < 0 && !record.cancelled && !record.trials.empty())
    throw TrainingDiverged("tuning: every one of the " + std::to_string(record.trials.size()) + " trials diverged; the first: " +
                           record.trials.front().error);
  return record;
}

ExperimentConfig apply_chosen(const ExperimentConfig& base, const TuningRecord& record) {
  ExperimentConfig config = record.chosen >= 0 ? trial_config(base, tuning_space(base), record.trials.at(static_cast<size_t>(record.chosen)).settings) : base;
  config.tuning = record;
  return config;
}

}  // namespace ndtmoe
