#pragma once
// A run directory is the checkpoint of one experiment:
//   run.json            configuration, data description, preprocessing statistics, label names, metrics
//   <model>.pt          weights of teacher, student, mlp, moe (those that exist)
//   <model>.optim.pt    optimizer state, <model>.trainer.json schedule/early-stopping state,
//   <model>.projection.pt the hidden-matching projection (only with lambda_h > 0)
//   teacher.torchscript a copy of an imported TorchScript teacher
//   teacher.forest.pt   the trees of a forest teacher
// Every file is written atomically and run.json last, so a directory with a run.json is complete.

#include <string>

#include "ndtmoe/data/dataset.h"
#include "ndtmoe/train/experiment.h"

namespace ndtmoe {

struct DataDescription {
  std::string source;   // path or builtin:NAME
  std::string target;   // empty: last column
  std::string task = "auto";  // "auto", "classification", "regression"
  double test_fraction = 0.2;
  int64_t builtin_rows = 0;
  int folds = 0;            // > 1: this run is fold `fold` (1-based) of a stratified k-fold
  int fold = 0;
  std::string test_source;  // non-empty: trained on all rows of `source`, tested on this data
  uint64_t seed = 0;
  std::vector<int64_t> image_shape;  // non-empty: the features are the pixels of images of this {C, H, W}
  std::string text_column;           // non-empty: this column is free text (a CSV has no string type)
  std::string labels;                // IDX images: their labels file when not beside them (MNIST's naming)

  // The description of `source` with a hold-out test share, the other fields at their defaults.
  static DataDescription holdout(std::string source, int64_t builtin_rows = 0, double test_fraction = 0.2);

  TaskChoice task_choice() const;
  Dataset load() const;
  Dataset load_test() const;
  Dataset declared(Dataset data) const;  // declares image_shape and text_column when set
  // The train/test rows this description stands for (reproducible from the seed).
  Split split(const Dataset& data) const;

  nlohmann::json to_json() const;
  static DataDescription from_json(const nlohmann::json& j);
};

// `complete` is false for a cancelled run, which can be resumed (see resume_student). The run is written
// beside `directory` and swapped in whole: a failure leaves the previous run there unchanged (and throws
// DataError naming the directory). Entries that are not the run's own files (*.pt, *.trainer.json,
// run.json, teacher.torchscript) stay in the directory.
void save_run(const std::string& directory, const Experiment& experiment, const DataDescription& data, bool complete = true);

struct LoadedRun {
  Experiment experiment;
  DataDescription data;
  nlohmann::json manifest;  // the whole run.json
};

// Everything run.json says, checked, before any file it names is read: format, data, configuration,
// preprocessing, each model's configuration and the training reports. Errors are DataErrors naming `path`
// and the field. (Fuzzed: tests/fuzz.)
struct RunManifest {
  nlohmann::json json;
  DataDescription data;
  ExperimentConfig config;
  Preprocessor preprocessor;
  std::vector<std::pair<std::string, ModelConfig>> models;  // in run.json's order
  std::vector<ModelReport> reports;
  std::map<std::string, double> agreement;
};
RunManifest parse_run_manifest(const std::string& text, const std::string& path);

// Rebuilds every model with its weights; the trainers are restored too, so training can resume.
// Errors name the file and the cause (missing, corrupt, written by a newer version).
LoadedRun load_run(const std::string& directory, const std::string& device = "auto");

// Loads `path` into `model`, comparing every parameter's shape with the model's (libtorch would take a
// tensor of any shape): a DataError names the file, the parameter and both shapes, or the archive's fault.
// `manifest` names the file that describes the model ("run.json").
void load_checked_weights(const std::string& path, torch::nn::Module& model, const std::string& manifest);
// Every regular file of `directory` (not its subfolders) by name, with its SHA-256.
nlohmann::json file_checksums(const std::string& directory);
// Compares the files named in `manifest`'s "checksums" with their digests; a DataError names the missing or
// damaged file. A manifest without checksums (written before they were recorded) passes.
void verify_checksums(const std::string& directory, const nlohmann::json& manifest, const std::string& manifest_name);

// Loads data with the columns, target and task of a run (a builtin generator with the run's seed and rows).
Dataset load_data_for_run(const LoadedRun& run, const std::string& source);

// The rows the run was trained on and the rows it was tested on: its hold-out split or fold of its data,
// or all of it and its --test-data.
struct TrainAndTestData {
  Dataset train, test;
};
TrainAndTestData load_train_and_test_data(const LoadedRun& run);

}  // namespace ndtmoe
