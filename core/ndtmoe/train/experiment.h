#pragma once
// One run of the workbench's main job: fit preprocessing on the training rows, obtain the teacher,
// distill the NDT-MoE student, train the baselines with the same loop and losses, and evaluate all of
// them on held-out rows.

#include <atomic>
#include <map>
#include <optional>
#include <string>

#include "ndtmoe/data/dataset.h"
#include "ndtmoe/train/image_augmentation.h"
#include "ndtmoe/train/preprocessing.h"
#include "ndtmoe/data/splits.h"
#include "ndtmoe/train/random_forest.h"
#include "ndtmoe/train/teacher_cache.h"
#include "ndtmoe/train/teacher_source.h"
#include "ndtmoe/train/trainer.h"
#include "ndtmoe/data/tuning_record.h"

namespace ndtmoe {

struct ExperimentConfig {
  ModelConfig student;                 // kind NdtMoe; widths are filled in from the data
  ModelConfig teacher;                 // transformer sizes (tabular or vision chosen from the data)
  TeacherKind teacher_kind = TeacherKind::Transformer;
  std::string teacher_path;            // TorchScript module or logits CSV
  TrainOptions student_training;
  TrainOptions teacher_training;
  ImageAugmentation teacher_augmentation;  // vision teacher only: random shifts and flips of its batches
  bool baselines = true;               // MLP and linear-gate MoE
  double validation_fraction = 0.15;   // carved from the training rows for early stopping
  int64_t max_categories = kDefaultMaxCategories;  // widest one-hot block a nominal feature may have
  NumericScaling numeric_scaling = NumericScaling::Standard;  // of numeric features (preprocessing.h)
  std::string upcycle_from;            // a dense run (one expert per layer) the student starts from (upcycling.h)
  int64_t world_size = 1;              // ranks that trained it data-parallel (distributed.h); batch sizes are per rank
  std::string device = "auto";
  uint64_t seed = 0;
  std::optional<TuningRecord> tuning;  // the search that chose these settings (`train --tune`), if any

  nlohmann::json to_json() const;
  static ExperimentConfig from_json(const nlohmann::json& j);
};

struct ModelReport {
  std::string name;  // "teacher", "student", "mlp", "moe"
  std::map<std::string, double> metrics;
  TrainResult training;
};

struct ExperimentProgress {
  std::string stage;  // "teacher" or "forest", "student", "mlp", "moe", "evaluate"
  int stage_index = 0, stage_count = 0;
  const TrainProgress* training = nullptr;  // set while a model trains
  int64_t done = 0, total = 0;              // a stage that does not train by steps: the forest's trees grown of total
};
using ExperimentCallback = std::function<void(const ExperimentProgress&)>;

struct Experiment {
  ExperimentConfig config;
  Preprocessor preprocessor;
  PredictorPtr student, teacher, mlp, moe;     // teacher null unless trained here
  std::unique_ptr<TorchScriptTeacher> scripted_teacher;
  std::unique_ptr<RandomForest> forest_teacher;  // --teacher forest, grown on the fit rows
  TeacherOutputCache teacher_cache;            // the teacher's outputs on every training row
  std::map<std::string, std::unique_ptr<Trainer>> trainers;  // optimizer state, for checkpoints and resume
  std::vector<ModelReport> reports;            // in training order; metrics on the test rows
  std::map<std::string, double> agreement;     // student vs teacher on the test rows
  bool cancelled = false;

  // Outputs of each available model on encoded inputs (CPU).
  std::map<std::string, torch::Tensor> predict_all(const torch::Tensor& x, torch::Device device);
  torch::Tensor teacher_outputs(const torch::Tensor& x, torch::Device device);
  // Evaluates on held-out data and stores the metrics in `reports` and `agreement`.
  void record_test_metrics(const Dataset& test, torch::Device device);
};

// The training rows split again (stratified) into rows that fit the weights (`train`) and rows that
// decide early stopping (`test`), as data row indices.
Split fit_validation_split(const Dataset& data, const std::vector<int64_t>& train_rows, const ExperimentConfig& config);

// `rows` selects training rows from `data`; `test_rows` are only evaluated. Teacher logits from a CSV
// are indexed by row of `data`. `trained_teacher`: the outputs of a teacher an earlier experiment trained
// with the same teacher settings on the same rows (its `teacher_cache`); when they match the encoded rows
// and no hidden-state matching needs the teacher itself, the teacher is not trained again and the
// experiment reports no teacher metrics. The tuner's trials share their teachers this way.
Experiment run_experiment(const Dataset& data, const Split& rows, const ExperimentConfig& config,
                          const ExperimentCallback& progress = {}, const std::atomic<bool>* cancel = nullptr,
                          const TeacherOutputCache& trained_teacher = {});

// Continues training the student of a loaded run up to `epochs` in total, on the same fit and
// validation rows (`rows` must be the split the run was trained on), then re-evaluates the test rows.
// Extending the epoch count stretches the cosine schedule from the current step.
void resume_student(Experiment& experiment, const Dataset& data, const Split& rows, int64_t epochs,
                    const ExperimentCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Evaluates every model of the experiment on a data set (metrics and student–teacher agreement).
std::map<std::string, std::map<std::string, double>> evaluate_experiment(Experiment& experiment, const Dataset& data,
                                                                         torch::Device device);

}  // namespace ndtmoe

namespace ndtmoe {

struct FoldSummary {
  std::map<std::string, std::map<std::string, double>> mean, stddev;  // model -> metric -> value
  std::vector<std::map<std::string, std::map<std::string, double>>> folds;
};

// Metric tables of finished experiments (one per fold), aggregated; "agreement" is a pseudo-model.
FoldSummary summarize_folds(const std::vector<Experiment>& folds);

}  // namespace ndtmoe
