// The piecewise-linear first layer (ModelConfig::piecewise_bins, `--piecewise-bins`): its bins sit at the
// training rows' quantiles, each component says how far a value crossed its bin, the edges travel with
// checkpoints and up-cycling, and models without a linear first layer refuse it before anything trains.

#include <gtest/gtest.h>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/piecewise_linear_encoder.h"
#include "ndtmoe/train/defaults.h"
#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/train/tuner.h"
#include "ndtmoe/train/upcycling.h"
#include "run_fixtures.h"
#include "test_support.h"

namespace ndtmoe {
namespace {

ModelConfig piecewise_stack(int64_t experts, int64_t top_k, const std::string& family = "moe-x") {
  ModelConfig c;
  c.kind = ModelKind::Mixture;
  c.family = family;
  c.in_features = 2;
  c.out_features = 3;
  c.d_model = 8;
  c.experts = experts;
  c.top_k = top_k;
  c.expert_hidden = 16;
  c.piecewise_bins = 4;
  normalize_family_config(c);
  return c;
}

// The tiny distilled run of run_fixtures.h with the two baselines.
ExperimentConfig tiny_distilled_config() {
  ExperimentConfig c = test::tiny_distilled_config();
  c.baselines = true;
  return c;
}

TEST(PiecewiseEncoding, BinsSitAtTheTrainingQuantilesAndEachComponentIsHowFarTheValueCrossedItsBin) {
  PiecewiseLinearEncoder encoder(2, 4, 3);
  // Column 0 holds 0..16: quartile edges 0, 4, 8, 12, 16. Column 1 is 0 or 1 (repeated quantiles).
  const torch::Tensor column = torch::arange(17, torch::kFloat);
  encoder->fit_bin_edges(torch::stack({column, (column > 12).to(torch::kFloat)}, 1));
  const torch::Tensor x = torch::tensor({{6.0f, 0.0f}, {-4.0f, 1.0f}, {20.0f, 0.5f}});
  const torch::Tensor e = encoder->encode(x).view({3, 2, 4});
  // 6 lies halfway through the second bin: the first crossed, the second half, the others not.
  EXPECT_TRUE(torch::allclose(e[0][0], torch::tensor({1.0f, 0.5f, 0.0f, 0.0f})));
  // The outer bins are open: below the first edge the first component goes negative, above the last
  // edge the last one passes 1, so values outside the training range still differ.
  EXPECT_TRUE(torch::allclose(e[1][0], torch::tensor({-1.0f, 0.0f, 0.0f, 0.0f})));
  EXPECT_TRUE(torch::allclose(e[2][0], torch::tensor({1.0f, 1.0f, 1.0f, 2.0f})));
  // A binary column: its edges repeat (0, 0, 0, 0, 1), the empty bins become steps, nothing is NaN.
  EXPECT_TRUE(torch::isfinite(e).all().item<bool>());
  EXPECT_TRUE(torch::allclose(e[1][1], torch::tensor({1.0f, 1.0f, 1.0f, 1.0f})));
  EXPECT_NEAR(e[2][1][3].item<float>(), 0.5f, 1e-6);
  EXPECT_EQ(encoder->forward(x).sizes(), (std::vector<int64_t>{3, 3}));
}

TEST(PiecewiseEncoding, TheStudentAndTheBaselinesTakeTheirEdgesFromTheTrainingRowsAndTheRunKeepsThem) {
  test::ScratchDir dir;
  Dataset data = make_dataset(load_builtin("rule-tree", 0, 300), "");
  const Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  ExperimentConfig config = tiny_distilled_config();
  config.student.piecewise_bins = 8;
  Experiment ex = run_experiment(data, split, config);
  ASSERT_TRUE(ex.student && ex.mlp && ex.moe);
  for (const PredictorPtr& model : {ex.student, ex.mlp, ex.moe}) {
    const auto buffers = model->named_buffers();
    const std::string lower = model == ex.mlp ? "first.lower" : "encoder.lower";
    ASSERT_TRUE(buffers.contains(lower));
    // Bins start at quantiles of the rows the models trained on (the training rows less the early-
    // stopping ones): every edge is a value of its column there.
    const torch::Tensor training_rows = ex.preprocessor.encode_features(subset(data, split.train));
    ASSERT_EQ(buffers[lower].sizes(), (std::vector<int64_t>{training_rows.size(1), 8}));
    for (int64_t j = 0; j < training_rows.size(1); ++j)
      EXPECT_TRUE((training_rows.select(1, j).unsqueeze(1) == buffers[lower][j].unsqueeze(0)).any(0).all().item<bool>()) << lower << " " << j;
  }
  save_run(dir.path(), ex, DataDescription::holdout("builtin:rule-tree", 300));
  LoadedRun loaded = load_run(dir.path(), "cpu");
  EXPECT_EQ(loaded.experiment.student->config().piecewise_bins, 8);
  const torch::Tensor x = ex.preprocessor.encode_features(data);
  auto before = ex.predict_all(x, torch::kCPU);
  auto after = loaded.experiment.predict_all(x, torch::kCPU);
  for (auto& [name, out] : before) EXPECT_TRUE(torch::equal(out, after.at(name))) << name;
}

TEST(PiecewiseEncoding, UpcyclingCarriesTheDenseModelsEdgesButNotItsRouterState) {
  torch::manual_seed(3);
  PredictorPtr dense = make_predictor(piecewise_stack(1, 1));
  dense->fit_to_training_inputs(torch::randn({50, 2}) * 3 + 1);
  PredictorPtr student = make_predictor(piecewise_stack(4, 2));
  upcycle_from_dense(*student, *dense);
  dense->eval();
  student->eval();
  const torch::Tensor x = torch::randn({10, 2}) * 3;
  // Identical experts behind the dense model's encoder and edges: the dense model's outputs exactly.
  EXPECT_TRUE(torch::allclose(student->run(x).output, dense->run(x).output, 1e-5, 1e-5));

  PredictorPtr dense_tree = make_predictor(piecewise_stack(1, 1, "ndt"));
  dense_tree->train();
  dense_tree->run(torch::randn({32, 2}));  // the tree router initialises its thresholds from a first batch
  PredictorPtr tree_student = make_predictor(piecewise_stack(4, 2, "ndt"));
  upcycle_from_dense(*tree_student, *dense_tree);
  bool checked_router = false;
  for (const auto& buffer : tree_student->named_buffers())
    if (buffer.key().find("initialized") != std::string::npos) {
      EXPECT_FALSE(buffer.value().item<bool>()) << buffer.key() << ": the fresh router would skip its initialisation";
      checked_router = true;
    }
  EXPECT_TRUE(checked_router);
}

TEST(PiecewiseEncoding, ModelsWithoutALinearFirstLayerRefuseItBeforeTheTeacherTrains) {
  ModelConfig transformer = piecewise_stack(4, 2);
  transformer.kind = ModelKind::TransformerMixture;
  EXPECT_FALSE(has_linear_first_layer(transformer));
  EXPECT_TRUE(has_linear_first_layer(piecewise_stack(4, 2)));
  ModelConfig mlp = piecewise_stack(4, 2);
  mlp.kind = ModelKind::Mlp;
  EXPECT_TRUE(has_linear_first_layer(mlp));

  Dataset data = make_dataset(load_builtin("rule-tree", 0, 200), "");
  const Split split = stratified_holdout(data.labels, data.rows(), 0.2, 0);
  ExperimentConfig config = tiny_distilled_config();
  config.student.family = "imoie";
  config.student.family_options = nlohmann::json::object();
  config.student.piecewise_bins = 8;
  bool trained = false;
  try {
    run_experiment(data, split, config, [&](const ExperimentProgress&) { trained = true; });
    FAIL() << "an IMoIE student with piecewise bins trained";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("piecewise"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("imoie"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(trained) << "the teacher trained before the student's configuration was checked";
}

TEST(PiecewiseEncoding, TheTunerSearchesItForTheStackOnly) {
  ExperimentConfig stack = default_experiment_config();
  auto names = [](const std::vector<TuningParameter>& space) {
    std::vector<std::string> n;
    for (const TuningParameter& p : space) n.push_back(p.dimension.name);
    return n;
  };
  const auto stack_names = names(tuning_space(stack));
  EXPECT_NE(std::find(stack_names.begin(), stack_names.end(), "piecewise_bins"), stack_names.end());
  ExperimentConfig tokens = stack;
  tokens.student.kind = ModelKind::TransformerMixture;
  const auto token_names = names(tuning_space(tokens));
  EXPECT_EQ(std::find(token_names.begin(), token_names.end(), "piecewise_bins"), token_names.end());
}

}  // namespace
}  // namespace ndtmoe
