// The tuner of `ndtmoe train --tune`: its sampler beats random search, it never reads the test rows,
// it records every trial with the run, and it stops when cancelled. And the defaults it starts from.

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ndtmoe/data/readers.h"
#include "ndtmoe/train/defaults.h"
#include "ndtmoe/train/tuner.h"
#include "run_fixtures.h"

namespace ndtmoe {
namespace {

// A smooth optimum at lr 1e-3 and dropout 0.3 and a best choice among five: the kind of landscape the
// tuner searches, cheap enough to run hundreds of searches.
double toy_objective(const SearchPoint& p) {
  const double lr = std::log10(p[0]) + 3.0, dropout = p[1] - 0.3;
  return -(lr * lr) - 4 * dropout * dropout - (p[2] == 8 ? 0.0 : 0.3);
}

double best_of(TpeSampler& sampler, int trials, bool random) {
  std::vector<Observation> history;
  double best = -INFINITY;
  for (int t = 0; t < trials; ++t) {
    SearchPoint p = random ? sampler.random_point() : sampler.next(history);
    history.push_back({p, toy_objective(p)});
    best = std::max(best, history.back().score);
  }
  return best;
}

std::vector<SearchDimension> toy_space() {
  return {{"lr", 1e-5, 1e-1, true, {}}, {"dropout", 0.0, 0.9, false, {}}, {"experts", 0, 1, false, {2, 4, 8, 16, 32}}};
}

TEST(Defaults, EpochsFollowTheRowCountSoSmallSetsGetTheirStepsAndLargeOnesEnd) {
  const ExperimentConfig c = default_experiment_config();
  const auto epochs = [&](int64_t rows) { return default_student_epochs(rows, c.student_training.batch_size, c.validation_fraction); };
  // Every table of ../shared/data (iris's 120 training rows to digits' 1,438): the defaults as measured.
  for (int64_t rows : {120, 143, 171, 455, 614, 1438}) EXPECT_EQ(epochs(rows), c.student_training.epochs) << rows;
  EXPECT_EQ(default_patience(c.student_training.epochs), c.student_training.patience);
  // Fashion-MNIST's 48,000 training images: about 20,000 steps, not 200 epochs.
  EXPECT_EQ(epochs(48000), 20);
  const int64_t steps_per_epoch = (static_cast<int64_t>(48000 * (1 - c.validation_fraction)) + 31) / 32;
  EXPECT_GE(epochs(48000) * steps_per_epoch, kStudentTargetSteps);
  EXPECT_EQ(epochs(6000), 125);  // in between: the steps decide
  EXPECT_EQ(default_patience(20), 10);
  EXPECT_EQ(default_patience(125), 31);
}

TEST(Tuner, TpeFindsBetterSettingsThanRandomSearchOnTheSameBudget) {
  const int searches = 40;
  for (int trials : {20, 40, 80}) {
    double tpe = 0, random = 0;
    for (int seed = 0; seed < searches; ++seed) {
      TpeSampler a(toy_space(), static_cast<uint64_t>(seed)), b(toy_space(), static_cast<uint64_t>(seed));
      tpe += best_of(a, trials, false) / searches;
      random += best_of(b, trials, true) / searches;
    }
    EXPECT_GT(tpe, random) << trials << " trials: mean best score of TPE " << tpe << " vs random search " << random;
  }
}

TEST(Tuner, SamplerStaysInsideItsRangesAndChoices) {
  TpeSampler sampler(toy_space(), 3);
  std::vector<Observation> history;
  for (int t = 0; t < 30; ++t) {
    SearchPoint p = sampler.next(history);
    ASSERT_GE(p[0], 1e-5);
    ASSERT_LE(p[0], 1e-1);
    ASSERT_GE(p[1], 0.0);
    ASSERT_LE(p[1], 0.9);
    ASSERT_NE(std::find(toy_space()[2].choices.begin(), toy_space()[2].choices.end(), p[2]), toy_space()[2].choices.end());
    history.push_back({p, toy_objective(p)});
  }
}

TEST(Tuner, BudgetsAreTrialCountsOrTimes) {
  EXPECT_EQ(parse_tuning_budget("40").trials, 40);
  EXPECT_DOUBLE_EQ(parse_tuning_budget("20m").seconds, 1200);
  EXPECT_DOUBLE_EQ(parse_tuning_budget("90s").seconds, 90);
  EXPECT_DOUBLE_EQ(parse_tuning_budget("1.5h").seconds, 5400);
  EXPECT_DOUBLE_EQ(parse_tuning_budget("20m").share(5).seconds, 240);
  for (const char* bad : {"", "abc", "0", "-3", "2.5", "5x", "20 m", "nan", "1e9h"}) EXPECT_THROW(parse_tuning_budget(bad), std::invalid_argument) << bad;
}

ExperimentConfig tiny_tuned_config() { return test::tiny_distilled_config(); }

// A complete trial scored on three inner folds.
TuningTrial trial(int64_t number, std::vector<double> folds) {
  TuningTrial t;
  t.number = number;
  t.settings = nlohmann::json::object();
  t.fold_scores = folds;
  t.score = (folds[0] + folds[1] + folds[2]) / 3;
  return t;
}

struct IrisFold {
  Dataset data = make_dataset(read_csv(test::shared_data("iris.csv")), "");
  Split split = stratified_kfold(data.labels, data.rows(), 5, 0).front();
};

TEST(Tuner, NeverReadsTheTestRows) {
  IrisFold fold;
  const TuningBudget budget = parse_tuning_budget("4");
  const TuningRecord clean = tune(fold.data, fold.split.train, tiny_tuned_config(), budget);
  // Every test row gets another class: if any test label reached a trial, its scores would move.
  Dataset poisoned = fold.data;
  const auto classes = static_cast<int64_t>(poisoned.class_names.size());
  for (int64_t r : fold.split.test) poisoned.labels[r] = (poisoned.labels[r] + 1) % classes;
  ASSERT_NE(poisoned.labels, fold.data.labels);
  const TuningRecord again = tune(poisoned, fold.split.train, tiny_tuned_config(), budget);
  ASSERT_EQ(again.trials.size(), clean.trials.size());
  EXPECT_EQ(again.chosen, clean.chosen);
  for (size_t t = 0; t < clean.trials.size(); ++t) {
    EXPECT_EQ(again.trials[t].settings, clean.trials[t].settings) << "trial " << t;
    EXPECT_EQ(again.trials[t].fold_scores, clean.trials[t].fold_scores) << "trial " << t;
    EXPECT_EQ(again.trials[t].confirmation_scores, clean.trials[t].confirmation_scores) << "trial " << t;  // the fresh split too
  }
}

TEST(Tuner, RecordsEveryTrialWithTheRun) {
  IrisFold fold;
  const ExperimentConfig base = tiny_tuned_config();
  const TuningRecord record = tune(fold.data, fold.split.train, base, parse_tuning_budget("3"));
  ASSERT_EQ(record.trials.size(), 3u);
  double best = -INFINITY;
  for (const TuningTrial& t : record.trials) {
    // A trial behind the best after a fold stops there (racing); the others run all three.
    ASSERT_EQ(t.fold_scores.size() < 3u, t.pruned);
    double sum = 0;
    for (double s : t.fold_scores) sum += s;
    EXPECT_NEAR(t.score, sum / static_cast<double>(t.fold_scores.size()), 1e-12);
    if (t.complete()) best = std::max(best, t.score);
  }
  EXPECT_TRUE(record.trials.at(static_cast<size_t>(record.chosen)).complete());
  // The best, or trial 0 when the best does not beat it by more than the folds' spread (choose_trial).
  EXPECT_TRUE(record.trials.at(static_cast<size_t>(record.chosen)).score == best || record.chosen == 0) << record.selection;
  EXPECT_FALSE(record.selection.empty());
  // When the best is not trial 0, both ran again on the three folds of a fresh split; no other trial did.
  const int64_t challenger = best_challenger(record);
  for (size_t i = 0; i < record.trials.size(); ++i) {
    const bool confirmed = challenger > 0 && (i == 0 || static_cast<int64_t>(i) == challenger);
    EXPECT_EQ(record.trials[i].confirmation_scores.size(), confirmed ? 3u : 0u) << "trial " << i;
  }
  EXPECT_EQ(record.selection.find("fresh split") != std::string::npos, challenger > 0) << record.selection;
  // Trial 0 is the configuration as given.
  EXPECT_DOUBLE_EQ(record.trials[0].settings.at("lr").get<double>(), base.student_training.lr);
  EXPECT_EQ(record.trials[0].settings.at("teacher_d").get<int64_t>(), base.teacher.d_token);

  const ExperimentConfig chosen = apply_chosen(base, record);
  const nlohmann::json& settings = record.trials.at(static_cast<size_t>(record.chosen)).settings;
  EXPECT_DOUBLE_EQ(chosen.student_training.lr, settings.at("lr").get<double>());
  EXPECT_EQ(chosen.student.experts, settings.at("experts").get<int64_t>());
  EXPECT_DOUBLE_EQ(chosen.teacher_training.lr, settings.at("teacher_lr").get<double>());  // a choice, not a count
  // The teacher changes only through its own settings: it keeps the dropout and batch size it was given.
  EXPECT_DOUBLE_EQ(chosen.teacher.dropout, base.teacher.dropout);
  EXPECT_EQ(chosen.teacher_training.batch_size, base.teacher_training.batch_size);
  // The record travels in the run's configuration and comes back from it.
  const ExperimentConfig loaded = ExperimentConfig::from_json(chosen.to_json());
  ASSERT_TRUE(loaded.tuning.has_value());
  EXPECT_EQ(loaded.tuning->to_json(), record.to_json());
}

TEST(Tuner, TrialsWithTheTeacherSettingsOfAnEarlierOneReuseItsTeacherOnEachInnerFold) {
  IrisFold fold;
  std::set<std::pair<int64_t, int>> trained;  // (trial, inner fold) that trained a teacher
  const TuningRecord record = tune(fold.data, fold.split.train, tiny_tuned_config(), parse_tuning_budget("16"), [&](const TuningProgress& p) {
    if (p.experiment && p.experiment->stage == "teacher") trained.insert({p.trial, p.inner_fold - 1 + (p.confirming ? 100 : 0)});
  });
  const auto teacher_of = [](const TuningTrial& t) {
    return std::vector<nlohmann::json>{t.settings.at("teacher_lr"), t.settings.at("teacher_blocks"), t.settings.at("teacher_d"),
                                       t.settings.at("quantile_scaling")};
  };
  int reused = 0;
  for (size_t i = 0; i < record.trials.size(); ++i) {
    const TuningTrial& t = record.trials[i];
    for (int f = 0; f < static_cast<int>(t.fold_scores.size()); ++f) {
      bool earlier = false;
      for (size_t j = 0; j < i; ++j)
        earlier = earlier || (teacher_of(record.trials[j]) == teacher_of(t) && static_cast<int>(record.trials[j].fold_scores.size()) > f);
      EXPECT_EQ(trained.count({t.number, f}), earlier ? 0u : 1u) << "trial " << t.number << ", inner fold " << f + 1;
      reused += earlier ? 1 : 0;
    }
  }
  // The seeded search repeats teacher settings within 16 trials (TPE narrows to the best choices).
  EXPECT_GT(reused, 0);
  // The fresh split's folds hold other rows: trial 0 trains a teacher on each; the best reuses those
  // when its teacher settings are trial 0's.
  const int64_t challenger = best_challenger(record);
  ASSERT_GT(challenger, 0) << "this seeded search should find a trial ahead of the given configuration";
  const TuningTrial& best = record.trials[static_cast<size_t>(challenger)];
  for (int f = 0; f < 3; ++f) {
    EXPECT_EQ(trained.count({0, 100 + f}), 1u) << "fresh fold " << f + 1;
    EXPECT_EQ(trained.count({best.number, 100 + f}), teacher_of(best) == teacher_of(record.trials[0]) ? 0u : 1u) << "fresh fold " << f + 1;
  }
}

TEST(Tuner, StopsWhenCancelledKeepingTheFinishedTrials) {
  IrisFold fold;
  std::atomic<bool> cancel{false};
  const TuningRecord record = tune(fold.data, fold.split.train, tiny_tuned_config(), parse_tuning_budget("50"), [&](const TuningProgress& p) {
    if (p.trial == 1) cancel = true;
  }, &cancel);
  EXPECT_TRUE(record.cancelled);
  EXPECT_EQ(record.trials.size(), 1u);
}

TEST(Tuner, TrialsBehindTheBestStopEarlyAndAreNeverChosen) {
  IrisFold fold;
  const TuningRecord record = tune(fold.data, fold.split.train, tiny_tuned_config(), parse_tuning_budget("12"));
  int pruned = 0;
  for (size_t i = 0; i < record.trials.size(); ++i) {
    const TuningTrial& t = record.trials[i];
    if (!t.pruned) continue;
    ++pruned;
    ASSERT_LT(t.fold_scores.size(), 3u);
    // Behind every complete trial before it on the same folds? At least behind the best of them.
    double mine = 0, best_before = -INFINITY;
    for (double s : t.fold_scores) mine += s;
    for (size_t j = 0; j < i; ++j) {
      if (!record.trials[j].complete()) continue;
      double theirs = 0;
      for (size_t f = 0; f < t.fold_scores.size(); ++f) theirs += record.trials[j].fold_scores[f];
      best_before = std::max(best_before, theirs);
    }
    EXPECT_LT(mine, best_before) << "trial " << t.number;
  }
  EXPECT_GT(pruned, 0) << "no trial of 12 stopped early";
  EXPECT_FALSE(record.trials.at(static_cast<size_t>(record.chosen)).pruned);
  const nlohmann::json j = record.to_json();
  EXPECT_EQ(TuningRecord::from_json(j).to_json(), j);
}

TEST(Tuner, ATrialThatDivergesIsRecordedAsFailedAndTheSearchGoesOn) {
  IrisFold fold;
  ExperimentConfig base = tiny_tuned_config();
  base.student_training.lr = 1e9;  // trial 0, the configuration as given, cannot train
  base.student_training.clip_norm = 0;
  const TuningRecord record = tune(fold.data, fold.split.train, base, parse_tuning_budget("12"));
  ASSERT_EQ(record.trials.size(), 12u);
  EXPECT_TRUE(record.trials[0].failed());
  EXPECT_NE(record.trials[0].error.find("inner fold 1"), std::string::npos) << record.trials[0].error;
  EXPECT_NE(record.trials[0].error.find("NaN or infinite"), std::string::npos) << record.trials[0].error;
  ASSERT_GE(record.chosen, 1);
  EXPECT_FALSE(record.trials[static_cast<size_t>(record.chosen)].failed());
  // Saved and read back: a failed trial keeps its error and has no score.
  const nlohmann::json j = record.to_json();
  EXPECT_FALSE(j["trials"][0].contains("score"));
  EXPECT_EQ(TuningRecord::from_json(j).to_json(), j);
}

TEST(Tuner, DamagedRecordsAreRefused) {
  TuningRecord record;
  record.budget = "3 trials";
  record.trials.push_back({0, {{"lr", 0.001}}, {0.9}, 0.9, 1.0});
  record.chosen = 0;
  nlohmann::json j = record.to_json();
  EXPECT_EQ(TuningRecord::from_json(j).to_json(), j);
  j["chosen"] = 5;
  EXPECT_THROW(TuningRecord::from_json(j), std::invalid_argument);
  j["chosen"] = 0;
  j["trials"][0]["settings"] = "lr";
  EXPECT_THROW(TuningRecord::from_json(j), std::invalid_argument);
}


TEST(Tuner, TheBestTrialIsChosenOnlyWhenItBeatsTheGivenConfigurationByMoreThanTheFoldsSpread) {
  TuningRecord record;
  // Trial 1 beats trial 0 by 0.02 on average, the fold differences 0.06, -0.03, 0.03 (standard error 0.0265;
  // luck for the best of 3: 0.0265 * sqrt(2 ln 3) = 0.0392): within it, so the configuration as given stays.
  record.trials = {trial(0, {0.70, 0.72, 0.71}), trial(1, {0.76, 0.69, 0.74}), trial(2, {0.60, 0.65, 0.62})};
  choose_trial(record);
  EXPECT_EQ(record.chosen, 0);
  EXPECT_NE(record.selection.find("best trial (1) beats it by only 0.02"), std::string::npos) << record.selection;
  // Trial 1 ahead on every fold by 0.02 to 0.04 (mean 0.03, standard error 0.0058, luck 0.0086): chosen.
  record.trials[1] = trial(1, {0.72, 0.76, 0.74});
  choose_trial(record);
  EXPECT_EQ(record.chosen, 1);
  EXPECT_NE(record.selection.find("beats the configuration as given by 0.03 (what luck gives the best of 3 trials: 0.00856"),
            std::string::npos) << record.selection;
  // Among many trials luck reaches further: the same lead is within what the best of 40 gets by chance
  // when the folds disagree more (differences 0.05, 0.0, 0.04: standard error 0.0153, luck 0.0416).
  record.trials[1] = trial(1, {0.75, 0.72, 0.75});
  for (int64_t n = 3; n < 40; ++n) {  // stopped behind the best, they still took part in the race
    record.trials.push_back(trial(n, {0.5, 0.5, 0.5}));
    record.trials.back().pruned = n % 2 == 0;
  }
  choose_trial(record);
  EXPECT_EQ(record.chosen, 0) << record.selection;
  record.trials.resize(3);
  // Without a complete trial 0 the best complete trial is chosen; a pruned one never.
  record.trials[0].pruned = true;
  record.trials[1].pruned = true;
  choose_trial(record);
  EXPECT_EQ(record.chosen, 2);
  // The reason travels with the record.
  EXPECT_EQ(TuningRecord::from_json(record.to_json()).selection, record.selection);
}

TEST(Tuner, AFreshSplitDecidesWhetherTheBestTrialBeatsTheGivenConfiguration) {
  TuningRecord record;
  // On the search folds trial 1 leads by 0.03 with differences 0.05, 0.0, 0.04: within what luck gives
  // the best of 40 trials (0.0416), so without a fresh split the configuration as given stays.
  record.trials = {trial(0, {0.70, 0.72, 0.71}), trial(1, {0.75, 0.72, 0.75})};
  for (int64_t n = 2; n < 40; ++n) record.trials.push_back(trial(n, {0.5, 0.5, 0.5}));
  choose_trial(record);
  EXPECT_EQ(record.chosen, 0) << record.selection;
  EXPECT_EQ(best_challenger(record), 1);
  // On a fresh split, where nothing was picked, it leads again by 0.03 (differences 0.03, 0.04, 0.02:
  // standard error 0.00577, needed t(90%, 2 df) × 0.00577 = 0.0109): chosen.
  record.trials[0].confirmation_scores = {0.70, 0.71, 0.72};
  record.trials[1].confirmation_scores = {0.73, 0.75, 0.74};
  choose_trial(record);
  EXPECT_EQ(record.chosen, 1) << record.selection;
  EXPECT_NE(record.selection.find("beats the configuration as given by 0.03 on a fresh split of the training rows (0.03 on the folds that "
                                  "picked it; needed on the fresh folds: 0.0109"),
            std::string::npos) << record.selection;
  // Its lead was the luck of the search: on the fresh split it is level with trial 0, which stays.
  record.trials[1].confirmation_scores = {0.71, 0.70, 0.72};
  choose_trial(record);
  EXPECT_EQ(record.chosen, 0) << record.selection;
  EXPECT_NE(record.selection.find("the best trial (1) beats it by only "), std::string::npos) << record.selection;
  EXPECT_NE(record.selection.find(" on a fresh split of the training rows"), std::string::npos) << record.selection;
  // A lead on the fresh split that its folds do not agree on (0.06, -0.02, 0.05: mean 0.03, standard
  // error 0.0252, needed 0.0476) is not enough either.
  record.trials[1].confirmation_scores = {0.76, 0.69, 0.77};
  choose_trial(record);
  EXPECT_EQ(record.chosen, 0) << record.selection;
  // The fresh scores travel with the record, and the choice comes back the same from them.
  TuningRecord loaded = TuningRecord::from_json(record.to_json());
  EXPECT_EQ(loaded.trials[1].confirmation_scores, record.trials[1].confirmation_scores);
  EXPECT_TRUE(loaded.trials[2].confirmation_scores.empty());
  choose_trial(loaded);
  EXPECT_EQ(loaded.selection, record.selection);
  EXPECT_EQ(confirmation_text(record.trials[1]), "0.7400");
  EXPECT_EQ(confirmation_text(record.trials[2]), "");
}

}  // namespace
}  // namespace ndtmoe
