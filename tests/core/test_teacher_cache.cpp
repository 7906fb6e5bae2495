// The teacher's outputs cached at training time: a trace of the run's own rows reads them and records
// exactly what running the teacher records; other rows, a changed value, or a damaged file are not
// mistaken for them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ndtmoe/store/trace_store.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::tiny_run;

namespace {

void with_small_teacher(ExperimentConfig& c) {
  c.teacher_kind = TeacherKind::Transformer;
  c.teacher.d_token = 8;
  c.teacher.heads = 2;
  c.teacher.blocks = 1;
  c.teacher_training.epochs = 1;
  c.teacher_training.batch_size = 32;
}

std::vector<double> traced_teacher_confidences(LoadedRun& run, const std::string& store_path, const std::string& run_directory) {
  TraceStore store(store_path);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const int64_t id = trace_run(store, run, run_directory, "builtin:rule-tree", data, torch::kCPU, TraceOptions{}).run;
  std::vector<double> confidences;
  for (int64_t s = 0; s < data.rows(); ++s) {
    const SampleTrace sample = store.sample(id, s);
    EXPECT_TRUE(sample.has_teacher);
    confidences.push_back(sample.teacher_confidence);
  }
  return confidences;
}

}  // namespace

TEST(TeacherCache, ATraceOfTheRunsRowsRecordsWhatRunningTheTeacherRecords) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 200, with_small_teacher);
  const std::string run_directory = dir.path() + "/run";
  ASSERT_TRUE(std::filesystem::exists(run_directory + "/teacher_outputs.pt"));
  ASSERT_TRUE(run.experiment.teacher_cache.defined());

  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  const torch::Tensor cached = run.experiment.teacher_cache.outputs_for(x);
  ASSERT_TRUE(cached.defined()) << "the run's own rows should find the cache";
  EXPECT_TRUE(torch::allclose(cached, run.experiment.teacher_outputs(x, torch::kCPU), 1e-5, 1e-6));

  const std::vector<double> from_cache = traced_teacher_confidences(run, dir.path() + "/cached.sqlite", run_directory);
  // The trace takes the cached numbers, not the teacher's: equal logits give each of the 4 classes 1/4.
  const TeacherOutputCache saved = run.experiment.teacher_cache;
  run.experiment.teacher_cache.outputs = torch::zeros_like(saved.outputs);
  for (const double confidence : traced_teacher_confidences(run, dir.path() + "/uniform.sqlite", run_directory))
    EXPECT_NEAR(confidence, 0.25, 1e-6);
  run.experiment.teacher_cache = {};
  const std::vector<double> from_teacher = traced_teacher_confidences(run, dir.path() + "/teacher.sqlite", run_directory);
  ASSERT_EQ(from_cache.size(), from_teacher.size());
  for (size_t s = 0; s < from_cache.size(); ++s) EXPECT_NEAR(from_cache[s], from_teacher[s], 1e-6) << "sample " << s;
}

TEST(TeacherCache, OtherRowsOrOneChangedValueAreNotTakenForTheCachedRows) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 200, with_small_teacher);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  const TeacherOutputCache& cache = run.experiment.teacher_cache;
  EXPECT_FALSE(cache.outputs_for(x.slice(0, 0, 199)).defined());
  torch::Tensor changed = x.clone();
  changed[17][3] += 1e-3;
  EXPECT_FALSE(cache.outputs_for(changed).defined());
  EXPECT_TRUE(cache.outputs_for(x.clone()).defined());
}

TEST(TeacherCache, ADamagedCacheFileIsNamedWithItsCause) {
  ScratchDir dir;
  tiny_run(dir, 120, with_small_teacher);
  const std::string path = dir.path() + "/run/teacher_outputs.pt";
  // run.json's checksums would name the damaged file first (Reliability.AFlippedByte…); without them, as
  // in runs saved before checksums, the cache's own checks speak.
  nlohmann::json manifest = nlohmann::json::parse(std::ifstream(dir.path() + "/run/run.json"));
  manifest.erase("checksums");
  std::ofstream(dir.path() + "/run/run.json", std::ios::trunc) << manifest.dump();
  std::ofstream(path, std::ios::trunc) << "not an archive";
  try {
    load_run(dir.path() + "/run", "cpu");
    FAIL() << "a damaged cache should be refused";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot load the teacher's cached outputs"), std::string::npos) << e.what();
  }
  save_teacher_cache(path, {42, torch::zeros({120, 3})});
  try {
    load_run(dir.path() + "/run", "cpu");
    FAIL() << "a cache of the wrong width should be refused";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("4 columns"), std::string::npos) << e.what();
  }
}

TEST(TeacherCache, ARunWithoutATeacherWritesNoCache) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 120);
  EXPECT_FALSE(run.experiment.teacher_cache.defined());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/run/teacher_outputs.pt"));
}

TEST(TeacherCache, AnExperimentGivenATeachersOutputsOnItsRowsDistillsFromThemWithoutTrainingAnother) {
  const Dataset data = make_dataset(load_builtin("rule-tree", 0, 200), "");
  const Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  ExperimentConfig config = ndtmoe::test::tiny_student_config();
  with_small_teacher(config);
  const Experiment trained = run_experiment(data, split, config);
  ASSERT_TRUE(trained.teacher_cache.defined());
  std::vector<std::string> stages;
  const Experiment reused = run_experiment(data, split, config, [&](const ExperimentProgress& p) { stages.push_back(p.stage); }, nullptr,
                                           trained.teacher_cache);
  EXPECT_EQ(std::count(stages.begin(), stages.end(), "teacher"), 0);
  EXPECT_EQ(reused.teacher, nullptr);
  EXPECT_EQ(reused.reports.front().name, "student");
  // The same teacher outputs and seed: the student trains exactly as it did beside its own teacher.
  const auto student = [](const Experiment& ex) { return std::find_if(ex.reports.begin(), ex.reports.end(), [](const ModelReport& r) { return r.name == "student"; })->metrics; };
  EXPECT_EQ(student(reused), student(trained));

  // Another split's rows are not the rows those outputs belong to: the teacher is trained.
  const Split other = stratified_holdout(data.labels, data.rows(), 0.3, 1);
  const Experiment retrained = run_experiment(data, other, config, {}, nullptr, trained.teacher_cache);
  EXPECT_NE(retrained.teacher, nullptr);
  // Hidden-state matching needs the teacher itself, not its outputs.
  config.student_training.loss.lambda_h = 0.1;
  EXPECT_NE(run_experiment(data, split, config, {}, nullptr, trained.teacher_cache).teacher, nullptr);
}
