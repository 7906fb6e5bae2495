// A decomposed layer as a traced run: the spliced model routes every row the dense layer saw (each
// token at its own position), a decomposition directory loads as a run whose student is the spliced
// model, and its trace agrees with what decompose reported.

#include <gtest/gtest.h>

#include <fstream>

#include "ndtmoe/analysis/decomposition_frontier.h"
#include "ndtmoe/model/spliced_model.h"
#include "ndtmoe/train/decomposed_run.h"
#include "ndtmoe/train/decomposition.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

LoadedRun run_with_teacher(const test::ScratchDir& dir) {
  return test::tiny_run(dir, 300, [](ExperimentConfig& c) {
    c.teacher_kind = TeacherKind::Transformer;
    c.teacher_training.epochs = 2;
    c.teacher.d_token = 16;
    c.teacher.blocks = 2;
    c.baselines = true;
  });
}

SparseReplacement mxd_stand_in(int64_t width, int64_t experts, int64_t k) {
  torch::manual_seed(3);
  SparseReplacement stand_in(ReplacementSpec{"mxd", width, width, k, experts, 2 * width, {}});
  torch::NoGradGuard no_grad;
  for (auto& p : stand_in->parameters()) p.normal_(0, 0.3);  // away from the reference start, where D = 0
  stand_in->eval();
  return stand_in;
}

// Where decompose writes to: the stand-in of `layer` with K = `k` (and the transcoders with
// `baselines`), fitted briefly.
std::string decompose_into(const test::ScratchDir& dir, LoadedRun& run, const std::string& layer, int64_t k = 2, bool baselines = false) {
  const TrainAndTestData data = load_train_and_test_data(run);
  DecompositionOptions o;
  o.layer = layer;
  o.k = k;
  o.experts = 32;
  o.epochs = 2;
  o.baselines = baselines;
  const DecompositionResult result = decompose_layer(run.experiment, data.train, data.test, o, torch::kCPU);
  const std::string out = dir.path() + "/decomposed-k" + std::to_string(k);
  save_decomposition(out, result, o, dir.path() + "/run");
  return out;
}

}  // namespace

TEST(SplicedModel, ALayerOverWholeSamplesRoutesEachSampleAsTheStandInDoes) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  const torch::Tensor x = run.experiment.preprocessor.encode_features(load_data_for_run(run, run.data.source)).narrow(0, 0, 40);
  const PredictorPtr mlp = run.experiment.mlp;
  SparseReplacement stand_in = mxd_stand_in(run.experiment.mlp->config().mlp_hidden, 16, 3);
  torch::NoGradGuard no_grad;
  torch::Tensor seen, expected;
  {
    ScopedLayerOverride capture(*mlp, "hidden", [&](const torch::Tensor& in, const torch::Tensor&) {
      seen = in;
      return stand_in->forward(in);
    });
    expected = mlp->run(x).output;
  }
  SplicedModel spliced(mlp, "hidden", stand_in);
  const PredictorOutput out = spliced.run(x);
  EXPECT_TRUE(torch::allclose(out.output, expected));
  ASSERT_EQ(out.routing.size(), 1u);
  const RoutingDecision direct = stand_in->moe()->forward(seen, seen).routing;
  EXPECT_TRUE(torch::equal(out.routing[0].decision.top_experts, direct.top_experts));
  EXPECT_TRUE(torch::allclose(out.routing[0].decision.top_weights, direct.top_weights));
  EXPECT_EQ(spliced.routed_tokens(), 1);
  EXPECT_EQ(spliced.config().kind, ModelKind::Mixture);
  EXPECT_EQ(spliced.config().experts, 16);
  EXPECT_EQ(spliced.config().top_k, 3);
  // The host is left as it was.
  EXPECT_FALSE(torch::allclose(mlp->run(x).output, expected));
}

TEST(SplicedModel, ATeachersBlockRoutesEachTokenAtItsPositionWithoutTheClsToken) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  const torch::Tensor x = run.experiment.preprocessor.encode_features(load_data_for_run(run, run.data.source)).narrow(0, 0, 12);
  const PredictorPtr teacher = run.experiment.teacher;
  SparseReplacement stand_in = mxd_stand_in(16, 16, 2);
  torch::NoGradGuard no_grad;
  torch::Tensor seen;
  {
    ScopedLayerOverride capture(*teacher, "block1.ffn", [&](const torch::Tensor& in, const torch::Tensor& out) {
      seen = in;
      return out;
    });
    teacher->run(x);
  }
  SplicedModel spliced(teacher, "block1.ffn", stand_in);
  const int64_t batch = x.size(0), tokens = spliced.routed_tokens();
  ASSERT_EQ(tokens, x.size(1));  // one feature token per input column
  ASSERT_EQ(seen.size(0), batch * (tokens + 1));  // the layer saw the CLS token first in every sample
  const RoutingDecision routed = spliced.run(x).routing.at(0).decision;
  ASSERT_EQ(routed.top_experts.size(0), batch * tokens);
  const RoutingDecision direct = stand_in->moe()->forward(seen, seen).routing;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t t = 0; t < tokens; ++t) {
      SCOPED_TRACE("sample " + std::to_string(b) + ", token " + std::to_string(t));
      EXPECT_TRUE(torch::equal(routed.top_experts[b * tokens + t], direct.top_experts[b * (tokens + 1) + t + 1]));
    }
  EXPECT_EQ(spliced.config().kind, ModelKind::TransformerMixture);
  EXPECT_THROW(SplicedModel(teacher, "block9.ffn", stand_in), std::invalid_argument);
  EXPECT_THROW(SplicedModel(teacher, "block1.ffn", mxd_stand_in(8, 4, 2)), std::invalid_argument);
  EXPECT_THROW(SplicedModel(teacher, "block1.ffn", SparseReplacement(ReplacementSpec{"transcoder", 16, 16, 2, 0, 32, {}})), std::invalid_argument);
}

TEST(DecomposedRun, ATraceOfTheDecompositionScoresTheTestRowsAsDecomposeReported) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  const std::string out = decompose_into(dir, run, "mlp.hidden");
  const auto record = nlohmann::json::parse(std::ifstream(out + "/decomposition.json"));
  ASSERT_TRUE(is_decomposition_directory(out));
  EXPECT_FALSE(is_decomposition_directory(dir.path() + "/run"));

  LoadedRun decomposed = load_traced_run(out, "cpu");
  ASSERT_TRUE(std::dynamic_pointer_cast<SplicedModel>(decomposed.experiment.student));
  TraceStore store(dir.path() + "/trace.db");
  const int64_t id = trace_run(store, decomposed, out, decomposed.data.source, load_data_for_run(decomposed, decomposed.data.source), torch::kCPU).run;
  const RunDescription d = store.description(id);
  EXPECT_EQ(d.family, "mxd");
  EXPECT_EQ(d.layers, 1);
  EXPECT_EQ(d.experts, 32);
  EXPECT_EQ(d.top_k, 2);
  EXPECT_EQ(d.run_directory, std::filesystem::absolute(out).lexically_normal().string());
  // The student is the spliced model: its accuracy on the trace's test rows is the one decompose reported.
  const double reported = record["replacements"][0]["accuracy"].get<double>();
  EXPECT_DOUBLE_EQ(d.metrics.at("student").at("accuracy"), reported);
  const SampleTable table = store.sample_table(id, std::string("test"));
  ASSERT_GT(table.size(), 0u);
  int64_t correct = 0;
  for (size_t i = 0; i < table.size(); ++i) correct += table.predictions[i] == table.truth[i];
  EXPECT_NEAR(static_cast<double>(correct) / static_cast<double>(table.size()), reported, 1e-9);
  // The experts' modulation vectors are stored for the views, every expert.
  const auto& tensors = d.router_tensors.at(0);
  ASSERT_TRUE(tensors.count("modulations"));
  EXPECT_EQ(tensors.at("modulations").shape, (std::vector<int64_t>{32, run.experiment.mlp->config().mlp_hidden}));
}

TEST(DecomposedRun, ADamagedOrForeignDecompositionIsNamed) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  const std::string out = decompose_into(dir, run, "teacher.block1.ffn");
  EXPECT_NO_THROW(load_decomposed_run(out, "cpu"));
  const std::string weights = out + "/mxd.pt";
  {
    std::fstream f(weights, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7f');
  }
  try {
    load_decomposed_run(out, "cpu");
    FAIL() << "a damaged weight file loaded";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(weights), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SHA-256"), std::string::npos) << e.what();
  }
  std::ofstream(out + "/decomposition.json") << R"({"run": "x", "layer": "teacher.block1.ffn"})";
  try {
    load_decomposed_run(out, "cpu");
    FAIL() << "a record without its replacements loaded";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("decomposition.json"), std::string::npos) << e.what();
  }
}

TEST(DecomposedRun, TracedDecompositionsOfOneLayerMakeTheFrontierOfWhatDecomposeMeasured) {
  test::ScratchDir dir;
  LoadedRun run = run_with_teacher(dir);
  TraceStore store(dir.path() + "/trace.db");
  const Dataset data = load_data_for_run(run, run.data.source);
  const int64_t ordinary = trace_run(store, run, dir.path() + "/run", run.data.source, data, torch::kCPU).run;
  std::vector<int64_t> ids{ordinary};
  std::map<int64_t, nlohmann::json> records;  // by K
  for (const int64_t k : {2, 1}) {
    const std::string out = decompose_into(dir, run, "mlp.hidden", k, /*baselines=*/true);
    records[k] = nlohmann::json::parse(std::ifstream(out + "/decomposition.json"));
    LoadedRun decomposed = load_traced_run(out, "cpu");
    TraceOptions options;
    options.embeddings = false;
    ids.push_back(trace_run(store, decomposed, out, decomposed.data.source, data, torch::kCPU, options).run);
  }
  const DecompositionFrontier f = decomposition_frontier(store, ids);
  EXPECT_EQ(f.layer, "mlp.hidden");
  EXPECT_EQ(f.metric, "accuracy");
  EXPECT_EQ(f.runs, (std::vector<int64_t>{ids[1], ids[2]}));
  EXPECT_EQ(f.other_runs, (std::vector<int64_t>{ordinary}));
  EXPECT_EQ(f.models, (std::vector<std::string>{"mxd", "transcoder", "skip-transcoder"}));
  ASSERT_EQ(f.points.size(), 6u);
  for (const FrontierPoint& p : f.points) {
    SCOPED_TRACE(p.model + " at K " + std::to_string(p.k));
    const nlohmann::json& record = records.at(p.k);
    const auto measured = std::find_if(record["replacements"].begin(), record["replacements"].end(),
                                       [&](const nlohmann::json& m) { return m["spec"]["kind"] == p.model; });
    ASSERT_NE(measured, record["replacements"].end());
    EXPECT_DOUBLE_EQ(p.normalized_mse, (*measured)["normalized_mse"].get<double>());
    EXPECT_DOUBLE_EQ(p.metric, (*measured)["accuracy"].get<double>());
  }
  EXPECT_EQ(f.points.front().k, 1);  // by K
  EXPECT_DOUBLE_EQ(f.original, records.at(1)["original"]["accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(f.zero_ablated, records.at(1)["zero_ablated"]["accuracy"].get<double>());
  EXPECT_TRUE(decomposition_frontier(store, {ordinary}).empty());
}
