#pragma once
// Small trained runs for the trace-store and analysis tests: trained, saved and loaded back as
// `ndtmoe trace` and `ndtmoe explain` see them.

#include <functional>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/trace/tracer.h"
#include "ndtmoe/model/ndt_router.h"
#include "ndtmoe/train/run_directory.h"
#include "test_support.h"

namespace ndtmoe::test {

inline ExperimentConfig tiny_student_config() {
  ExperimentConfig c;
  c.student.d_model = 16;
  c.student.experts = 4;
  c.student.family_options = {{"depth", 2}};
  c.student.expert_hidden = 16;
  c.student_training.epochs = 2;
  c.student_training.batch_size = 32;
  c.teacher_kind = TeacherKind::None;
  c.baselines = false;
  c.device = "cpu";
  return c;
}

// The tiny student distilled from a tiny transformer teacher (d 16, one block, 2 heads, 2 epochs).
inline ExperimentConfig tiny_distilled_config() {
  ExperimentConfig c = tiny_student_config();
  c.teacher_kind = TeacherKind::Transformer;
  c.teacher.d_token = 16;
  c.teacher.blocks = 1;
  c.teacher.heads = 2;
  c.teacher_training.epochs = 2;
  return c;
}

// Makes the student of `c` a small token-level transformer (d 16, 2 heads) with `blocks` MoE blocks.
inline void use_token_student(ExperimentConfig& c, int64_t blocks = 2) {
  c.student.kind = ModelKind::TransformerMixture;
  c.student.d_token = 16;
  c.student.heads = 2;
  c.student.blocks = blocks;
}

// Trains on `source` (`rows` rows of the rule-tree generator by default) and returns the run loaded
// from `dir`/run.
inline LoadedRun tiny_run(const ScratchDir& dir, int64_t rows = 300, const std::function<void(ExperimentConfig&)>& adjust = {},
                          const std::string& source = "builtin:rule-tree") {
  const DataDescription description = DataDescription::holdout(source, rows);
  const Dataset data = description.load();
  ExperimentConfig c = tiny_student_config();
  if (adjust) adjust(c);
  Experiment ex = run_experiment(data, description.split(data), c);
  save_run(dir.path() + "/run", ex, description);
  return load_run(dir.path() + "/run", "cpu");
}

// Trains a tiny run (in `dir`/run, replacing the last) whose student is of `family` with `options`,
// traces it into `store` under `name` and returns the store's run id.
inline int64_t traced_family_run(const ScratchDir& dir, TraceStore& store, const std::string& family,
                                 const nlohmann::json& options = nlohmann::json::object(), const std::string& name = {}) {
  LoadedRun run = tiny_run(dir, 300, [&](ExperimentConfig& c) {
    c.student.family = family;
    c.student.family_options = options;
  });
  TraceOptions trace;
  trace.name = name;
  return trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", load_data_for_run(run, "builtin:rule-tree"), torch::kCPU, trace).run;
}

// Sets tree 0 of a depth-2 router by hand: level 0 reads input 0 alone against threshold 0.5, level 1
// input 1 alone against -0.25, both at temperature 2.
inline void hand_build_router(NDTRouter router) {
  torch::NoGradGuard no_grad;
  auto params = router->named_parameters();
  torch::Tensor logits = params["selector_logits"];
  logits.fill_(0);
  logits[0][0][0] = 10;
  logits[0][1][1] = 10;
  params["thresholds"][0].copy_(torch::tensor({0.5, -0.25}));
  params["log_temperatures"].fill_(std::log(2.0));
}

}  // namespace ndtmoe::test
