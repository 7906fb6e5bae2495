#pragma once
// A run directory is the checkpoint of one experiment:
//   run.json            configuration, data description, preprocessing statistics, label names, metrics
//   <model>.pt          weights of teacher, student, mlp, moe (those that exist)
//   <model>.optim.pt    optimizer state, <model>.trainer.json schedule/early-stopping state
//   teacher.torchscript a copy of an imported TorchScript teacher
// Every file is written atomically and run.json last, so a directory with a run.json is complete.

#include <string>

#include "ndtmoe/experiment.h"

namespace ndtmoe {

struct DataDescription {
  std::string source;   // path or builtin:NAME
  std::string target;   // empty: last column
  std::string task;     // "auto", "classification", "regression"
  double test_fraction = 0.2;
  int64_t builtin_rows = 0;

  nlohmann::json to_json() const;
  static DataDescription from_json(const nlohmann::json& j);
};

void save_run(const std::string& directory, const Experiment& experiment, const DataDescription& data);

struct LoadedRun {
  Experiment experiment;
  DataDescription data;
  nlohmann::json manifest;  // the whole run.json
};

// Rebuilds every model with its weights; the trainers are restored too, so training can resume.
// Errors name the file and the cause (missing, corrupt, written by a newer version).
LoadedRun load_run(const std::string& directory, const std::string& device = "auto");

}  // namespace ndtmoe
