#include <gtest/gtest.h>

#include <filesystem>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/model/token_embedding.h"
#include "ndtmoe/train/run_directory.h"
#include "test_support.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

namespace {

ExperimentConfig tiny_config() {
  ExperimentConfig c;
  c.student.d_model = 16;
  c.student.experts = 4;
  c.student.family_options = {{"depth", 2}};
  c.student.expert_hidden = 16;
  c.teacher.d_token = 16;
  c.teacher.blocks = 1;
  c.teacher.heads = 2;
  c.student_training.epochs = 3;
  c.teacher_training.epochs = 2;
  c.student_training.batch_size = c.teacher_training.batch_size = 32;
  c.device = "cpu";
  return c;
}

// A vision teacher on 28x28 images cut into 7x7 patches, without baselines.
ExperimentConfig tiny_vision_config() {
  ExperimentConfig c = tiny_config();
  c.baselines = false;
  c.teacher.patch = 7;
  return c;
}

}  // namespace

TEST(RunDirectory, RoundTripReproducesPredictionsExactly) {
  ScratchDir dir;
  Dataset data = make_dataset(load_builtin("rule-tree", 0, 300), "");
  Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  Experiment ex = run_experiment(data, split, tiny_config());
  ASSERT_TRUE(ex.teacher && ex.student && ex.mlp && ex.moe);
  save_run(dir.path(), ex, DataDescription::holdout("builtin:rule-tree", 300));
  for (const char* f : {"run.json", "student.pt", "teacher.pt", "mlp.pt", "moe.pt", "student.optim.pt", "student.trainer.json"})
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/" + f)) << f;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_NE(entry.path().extension(), ".tmp") << "left a temporary file behind";

  LoadedRun loaded = load_run(dir.path(), "cpu");
  torch::Tensor x = ex.preprocessor.encode_features(data);
  auto before = ex.predict_all(x, torch::kCPU);
  auto after = loaded.experiment.predict_all(x, torch::kCPU);
  ASSERT_EQ(before.size(), 4u);
  for (auto& [name, out] : before) EXPECT_TRUE(torch::equal(out, after.at(name))) << name;
  EXPECT_EQ(loaded.experiment.preprocessor.encoded_names(), ex.preprocessor.encoded_names());
  EXPECT_EQ(loaded.experiment.preprocessor.class_names(), data.class_names);
  EXPECT_EQ(loaded.experiment.trainers.at("student")->completed_epochs(), ex.trainers.at("student")->completed_epochs());
}

TEST(RunDirectory, ResumedTrainingContinuesFromTheSavedEpoch) {
  ScratchDir dir;
  Dataset data = make_dataset(load_builtin("rule-tree", 0, 200), "");
  Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  ExperimentConfig config = tiny_config();
  config.teacher_kind = TeacherKind::None;
  config.baselines = false;
  config.student_training.patience = 0;
  Experiment ex = run_experiment(data, split, config);
  save_run(dir.path(), ex, DataDescription::holdout("builtin:rule-tree", 200));

  LoadedRun run = load_run(dir.path(), "cpu");
  Trainer& trainer = *run.experiment.trainers.at("student");
  EXPECT_EQ(trainer.completed_epochs(), 3);
  // Continue to 5 epochs: only epochs 4 and 5 run.
  ExperimentConfig more = run.experiment.config;
  const Preprocessor& p = run.experiment.preprocessor;
  torch::Tensor x = p.encode_features(data), y = p.encode_targets(data);
  TrainingSet set{x, y, {}, {}, {}};
  std::vector<int64_t> epochs;
  Trainer resumed(run.experiment.student, TaskKind::Classification, [&] { auto o = more.student_training; o.epochs = 5; return o; }(),
                  torch::kCPU, "student");
  resumed.load_state(dir.path(), "student");
  resumed.fit(set, set, [&](const TrainProgress& pr) { if (pr.epoch_end) epochs.push_back(pr.epoch); });
  EXPECT_EQ(epochs, (std::vector<int64_t>{4, 5}));
}

TEST(RunDirectory, RefusesMissingCorruptAndNewerRuns) {
  ScratchDir dir;
  EXPECT_THROW(load_run(dir.path() + "/absent", "cpu"), DataError);
  dir.file("run.json", "{ not json");
  EXPECT_THROW(load_run(dir.path(), "cpu"), DataError);
  dir.file("run.json", R"({"format_version": 99})");
  try {
    load_run(dir.path(), "cpu");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(Teachers, TorchScriptModuleIsImportedAndDistilledFrom) {
  TorchScriptTeacher teacher(ndtmoe::test::test_data("tiny_teacher.torchscript"));
  torch::Tensor x = torch::tensor({{1.0f, 0.0f, 0.0f, 0.0f}, {0.0f, 1.0f, 1.0f, 4.0f}});
  // logits = x @ W + b with W, b from tests/make_torchscript_teacher.py.
  torch::Tensor expected = torch::tensor({{1.1f, -0.2f, -0.7f}, {1.6f, 1.8f, 2.3f}});
  EXPECT_TRUE(torch::allclose(teacher.predict(x), expected, 1e-6, 1e-6));

  Dataset iris = make_dataset(read_csv(ndtmoe::test::shared_data("iris.csv")), "");
  ExperimentConfig config = tiny_config();
  config.teacher_kind = TeacherKind::TorchScript;
  config.teacher_path = ndtmoe::test::test_data("tiny_teacher.torchscript");
  config.baselines = false;
  Experiment ex = run_experiment(iris, stratified_holdout(iris.labels, iris.rows(), 0.2, 0), config);
  EXPECT_TRUE(ex.scripted_teacher);
  EXPECT_TRUE(ex.agreement.count("agreement"));
  EXPECT_TRUE(ex.reports.front().name == "teacher");
  EXPECT_THROW(TorchScriptTeacher("/nonexistent.pt"), DataError);
}

TEST(Teachers, LogitsCsvMustMatchRowsAndClasses) {
  ScratchDir dir;
  EXPECT_TRUE(torch::equal(read_teacher_logits_csv(dir.file("ok.csv", "a,b\n1,2\n3,4\n"), 2, 2), torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}})));
  EXPECT_THROW(read_teacher_logits_csv(dir.file("rows.csv", "a,b\n1,2\n"), 2, 2), DataError);
  EXPECT_THROW(read_teacher_logits_csv(dir.file("cols.csv", "a\n1\n3\n"), 2, 2), DataError);
  try {
    read_teacher_logits_csv(dir.file("gap.csv", "a,b\n1,2\n3,\n5,6\n"), 3, 2);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("gap.csv:3:2"), std::string::npos) << e.what();
  }
}

TEST(RunDirectory, HiddenStateMatchingTrainsSavesAndResumes) {
  ScratchDir dir;
  Dataset data = make_dataset(load_builtin("rule-tree", 0, 200), "");
  Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  ExperimentConfig config = tiny_config();
  config.baselines = false;
  config.student_training.loss.lambda_h = 0.5;
  Experiment ex = run_experiment(data, split, config);
  const auto& log = ex.reports.back().training.log;
  ASSERT_FALSE(log.empty());
  EXPECT_TRUE(log.front().losses.count("hidden")) << "the hidden-matching term is trained";
  EXPECT_EQ(ex.config.student_training.hidden_target_width, config.teacher.d_token);
  save_run(dir.path(), ex, DataDescription::holdout("builtin:rule-tree", 200));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/student.projection.pt"));
  LoadedRun run = load_run(dir.path(), "cpu");  // optimizer state includes the projection's parameters
  resume_student(run.experiment, data, split, 4);
  EXPECT_EQ(run.experiment.trainers.at("student")->completed_epochs(), 4);
}

TEST(Teachers, VisionTransformerTeachesOnImages) {
  Dataset images = make_dataset(load_builtin("fashion-mnist-test", 0, 300), "");
  ASSERT_EQ(images.features.image_shape, (std::vector<int64_t>{1, 28, 28}));
  ExperimentConfig config = tiny_vision_config();
  Experiment ex = run_experiment(images, stratified_holdout(images.labels, images.rows(), 0.2, 0), config);
  ASSERT_TRUE(ex.teacher);
  EXPECT_EQ(ex.teacher->config().kind, ModelKind::Transformer);
  EXPECT_EQ(token_kind(ex.teacher->config()), TokenKind::Patches);
  EXPECT_EQ(ex.reports.front().metrics.count("accuracy"), 1u);
  // A patch size that does not divide the image is refused with the reason.
  ModelConfig bad = ex.teacher->config();
  bad.patch = 5;
  EXPECT_THROW(make_predictor(bad), std::invalid_argument);
}

TEST(Teachers, ConvolutionalStemVisionTransformerSavesAndReloads) {
  ScratchDir dir;
  Dataset images = make_dataset(load_builtin("fashion-mnist-test", 0, 200), "");
  ExperimentConfig config = tiny_vision_config();
  config.teacher.conv_stem = 4;
  Experiment ex = run_experiment(images, stratified_holdout(images.labels, images.rows(), 0.2, 0), config);
  ASSERT_TRUE(ex.teacher);
  // The stem is a real 3x3 convolution from the image's channels to conv_stem channels.
  const auto parameters = ex.teacher->named_parameters();
  const torch::Tensor* stem = parameters.find("stem.weight");
  ASSERT_NE(stem, nullptr);
  EXPECT_EQ(stem->sizes(), (std::vector<int64_t>{4, 1, 3, 3}));
  save_run(dir.path(), ex, DataDescription::holdout("builtin:fashion-mnist-test", 200));
  LoadedRun loaded = load_run(dir.path(), "cpu");
  EXPECT_EQ(loaded.experiment.teacher->config().conv_stem, 4);
  torch::Tensor x = ex.preprocessor.encode_features(images);
  EXPECT_TRUE(torch::equal(ex.predict_all(x, torch::kCPU).at("teacher"), loaded.experiment.predict_all(x, torch::kCPU).at("teacher")));

  // Configurations written before the stem existed load without one; a negative channel count is refused.
  nlohmann::json old = ex.teacher->config().to_json();
  old.erase("conv_stem");
  EXPECT_EQ(ModelConfig::from_json(old).conv_stem, 0);
  ModelConfig negative = ex.teacher->config();
  negative.conv_stem = -1;
  EXPECT_THROW(make_predictor(negative), std::invalid_argument);
}

TEST(Teachers, AugmentedVisionTeacherTrainsAndTheRunRemembersTheAugmentation) {
  ScratchDir dir;
  Dataset images = make_dataset(load_builtin("fashion-mnist-test", 0, 200), "");
  ExperimentConfig config = tiny_vision_config();
  config.teacher_augmentation = {2, true, true};
  const Split split = stratified_holdout(images.labels, images.rows(), 0.2, 0);
  Experiment ex = run_experiment(images, split, config);
  ASSERT_TRUE(ex.teacher);
  // Augmentation changes what the teacher sees, so the same seed gives another teacher than without it.
  config.teacher_augmentation = {};
  Experiment plain = run_experiment(images, split, config);
  torch::Tensor x = ex.preprocessor.encode_features(images);
  EXPECT_FALSE(torch::equal(ex.predict_all(x, torch::kCPU).at("teacher"), plain.predict_all(x, torch::kCPU).at("teacher")));

  save_run(dir.path(), ex, DataDescription::holdout("builtin:fashion-mnist-test", 200));
  const ExperimentConfig loaded = load_run(dir.path(), "cpu").experiment.config;
  EXPECT_EQ(loaded.teacher_augmentation.max_shift, 2);
  EXPECT_TRUE(loaded.teacher_augmentation.horizontal_flip);
  EXPECT_TRUE(loaded.teacher_augmentation.test_time_mirror);
  // Runs written before augmentation (or test-time mirroring) existed load without it.
  nlohmann::json old = ex.config.to_json();
  old["teacher_augmentation"].erase("test_time_mirror");
  EXPECT_FALSE(ExperimentConfig::from_json(old).teacher_augmentation.test_time_mirror);
  old.erase("teacher_augmentation");
  EXPECT_FALSE(ExperimentConfig::from_json(old).teacher_augmentation.enabled());

  // Predicting from each image and its mirror makes the teacher blind to left and right.
  const torch::Tensor mirrored_x = ImageAugmenter({}, ex.preprocessor).mirrored(x);
  const torch::Tensor both_views = ex.teacher_outputs(x, torch::kCPU);
  EXPECT_TRUE(torch::allclose(both_views, ex.teacher_outputs(mirrored_x, torch::kCPU), 1e-4, 1e-4));
  ex.config.teacher_augmentation.test_time_mirror = false;
  const torch::Tensor one_view = ex.teacher_outputs(x, torch::kCPU);
  EXPECT_FALSE(torch::allclose(one_view, ex.teacher_outputs(mirrored_x, torch::kCPU), 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(both_views, (one_view + ex.teacher_outputs(mirrored_x, torch::kCPU)) / 2, 1e-5, 1e-5));

  // Tabular data cannot be shifted or mirrored: refused before any training.
  Dataset table = make_dataset(load_builtin("rule-tree", 0, 100), "");
  config.teacher_augmentation = {1, false};
  EXPECT_THROW(run_experiment(table, stratified_holdout(table.labels, table.rows(), 0.2, 0), config), std::invalid_argument);
  config.teacher_augmentation = {0, false, true};
  EXPECT_THROW(run_experiment(table, stratified_holdout(table.labels, table.rows(), 0.2, 0), config), std::invalid_argument);
}
