// Layer decomposition: splicing, the stand-ins' parameter budget, and fitting a layer whose function
// is known.

#include <gtest/gtest.h>

#include "ndtmoe/model/sparse_replacement.h"
#include "ndtmoe/train/decomposition.h"
#include "ndtmoe/train/trainer.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

// A model with one dense layer of known function, y = A x, between the input and a fixed head.
class KnownLinearLayerModel : public Predictor {
 public:
  KnownLinearLayerModel(ModelConfig config, torch::Tensor a) : Predictor(std::move(config)), a_(std::move(a)) {
    head_ = register_module("head", torch::nn::Linear(config_.in_features, config_.out_features));
  }
  PredictorOutput run(const torch::Tensor& x) override {
    torch::Tensor y = torch::matmul(x, a_.t());
    if (const LayerOverride linear = override_of("linear")) y = linear(x, y);
    PredictorOutput out;
    out.hidden = y;
    out.output = head_->forward(y);
    return out;
  }
  std::vector<DenseLayer> dense_layers() const override { return {{"linear", a_.size(1), a_.size(0), false, "relu"}}; }

 private:
  torch::Tensor a_;
  torch::nn::Linear head_{nullptr};
};

LoadedRun run_with_teacher(const test::ScratchDir& dir) {
  return test::tiny_run(dir, 300, [](ExperimentConfig& c) {
    c.teacher_kind = TeacherKind::Transformer;
    c.teacher_training.epochs = 2;
    c.baselines = true;
  });
}

}  // namespace

TEST(Decomposition, TheRunsDenseLayersAreListedAndAnUnknownOneIsNamed) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  std::vector<std::string> names;
  for (const auto& [name, layer] : decomposable_layers(run.experiment)) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"teacher.block0.ffn", "teacher.block1.ffn", "teacher.block2.ffn", "mlp.hidden"}));
  const TrainAndTestData data = load_train_and_test_data(run);
  DecompositionOptions o;
  o.layer = "teacher.block7.ffn";
  try {
    decompose_layer(run.experiment, data.train, data.test, o, torch::kCPU);
    FAIL() << "an unknown layer was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("teacher.block7.ffn"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("mlp.hidden"), std::string::npos) << e.what();
  }
}

TEST(Decomposition, SplicingTheLayersOwnOutputBackReproducesThePredictionsExactly) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  const Dataset data = load_data_for_run(run, run.data.source);
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  for (const auto& [model, layer] : {std::pair<PredictorPtr, std::string>{run.experiment.teacher, "block1.ffn"}, {run.experiment.mlp, "hidden"}}) {
    SCOPED_TRACE(layer);
    const torch::Tensor original = predict(*model, x, torch::kCPU);
    int64_t rows_seen = 0;
    model->override_layer(layer, [&](const torch::Tensor& in, const torch::Tensor& out) {
      rows_seen += in.size(0);
      return out;
    });
    EXPECT_TRUE(torch::equal(predict(*model, x, torch::kCPU), original));
    // A per-token layer sees every real token (the features and the CLS token), one row each.
    EXPECT_EQ(rows_seen, layer == "hidden" ? x.size(0) : x.size(0) * (x.size(1) + 1));
    model->override_layer(layer, [](const torch::Tensor&, const torch::Tensor& out) { return torch::zeros_like(out); });
    EXPECT_FALSE(torch::equal(predict(*model, x, torch::kCPU), original));
    model->override_layer(layer, {});
    EXPECT_TRUE(torch::equal(predict(*model, x, torch::kCPU), original));
  }
}

TEST(Decomposition, StandInsMatchThePapersParameterBudget) {
  const int64_t d = 64, budget = transcoder_parameters(d, d, 32 * d);
  EXPECT_EQ(budget, 2048 * 65 + 2048 * 64 + 64);
  const ReplacementSpec mxd = parameter_matched({"mxd", d, d, 8, 0, 4 * d, {}}, budget);
  // N = (params_transcoder − params_base) / (d_in + d_out + 1), base = encoder, decoder and output bias.
  EXPECT_EQ(mxd.experts, (budget - (256 * 65 + 256 * 64 + 64)) / (d + d + 1));
  for (ReplacementSpec spec : {mxd, parameter_matched({"transcoder", d, d, 8, 0, 0, {}}, budget),
                               parameter_matched({"skip-transcoder", d, d, 8, 0, 0, {}}, budget),
                               parameter_matched({"linear", d, d, 2, 16, 0, {}}, budget)}) {
    SCOPED_TRACE(spec.kind);
    const int64_t count = SparseReplacement(spec)->parameter_count();
    EXPECT_LE(count, budget);
    EXPECT_GT(count, budget * 95 / 100);  // within one expert or unit of the budget
  }
  EXPECT_THROW(parameter_matched({"mxd", d, d, 8, 0, 4 * d, {}}, 1000), std::invalid_argument);
}

TEST(Decomposition, AKnownLinearLayerIsReconstructedAlmostExactly) {
  test::ScratchDir dir;
  LoadedRun run = test::tiny_run(dir, 600);
  const int64_t features = run.experiment.student->config().in_features;
  torch::manual_seed(5);
  ModelConfig config = run.experiment.student->config();
  run.experiment.mlp = std::make_shared<KnownLinearLayerModel>(config, torch::randn({features, features}) / std::sqrt(static_cast<double>(features)));
  const TrainAndTestData data = load_train_and_test_data(run);
  DecompositionOptions o;
  o.layer = "mlp.linear";
  o.k = 2 * features;  // ReLU units come in ± pairs: a transcoder needs two per input direction
  o.budget_width = 8;
  o.epochs = 150;
  o.batch_size = 64;
  o.lr = 1e-2;
  const DecompositionResult r = decompose_layer(run.experiment, data.train, data.test, o, torch::kCPU);
  ASSERT_EQ(r.replacements.size(), 3u);
  for (const ReplacementResult& m : r.replacements) {
    SCOPED_TRACE(m.spec.kind);
    EXPECT_LT(m.normalized_mse, 0.02);  // 0.002 to 0.006 here; zero-ablation is 1
    EXPECT_NEAR(m.metric, r.original_metric, 0.03);
  }
  EXPECT_EQ(r.replacements.front().spec.kind, "mxd");
  EXPECT_GE(r.replacements.front().dead_experts, 0.0);
}
