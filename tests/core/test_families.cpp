// Model families: option descriptions, the registry's rules, old run.json files, and every family —
// the built-in ones and one defined only in these tests — trained, traced, queried, explained and compared.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "hash_family.h"
#include "ndtmoe/analysis/comparison.h"
#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe/explain/explain.h"
#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/ndt_family.h"
#include "ndtmoe/trace/trace_writer.h"
#include "ndtmoe/store/trace_schema.h"
#include "ndtmoe/trace/tracer.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::tiny_run;

TEST(FamilyOptions, CompletedWithDefaultsAndCheckedByName) {
  const Family& ndt = find_family("ndt");
  const nlohmann::json complete = complete_options("ndt", ndt.options, {{"depth", 5}});
  EXPECT_EQ(complete, (nlohmann::json{{"depth", 5}, {"trees", 1}, {"leaf_mode", "linear"}}));
  const auto message = [&](const nlohmann::json& given) {
    try {
      complete_options("ndt", ndt.options, given);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({{"depth", 13}}), "option depth: expected integer in 1..12, got 13");
  EXPECT_EQ(message({{"depth", 2.5}}), "option depth: expected integer in 1..12, got 2.5");
  EXPECT_EQ(message({{"leaf_mode", "dense"}}), "option leaf_mode: expected one of linear, identity, sparse, got \"dense\"");
  EXPECT_EQ(message({{"gate", 1}}), "family ndt has no option 'gate' (its options: depth, trees, leaf_mode)");
  EXPECT_EQ(message(nlohmann::json::array()), "family ndt: options must be a JSON object, got []");
  const OptionSpec& depth = ndt.options.at(0);
  EXPECT_EQ(depth.parse("4"), 4);
  EXPECT_THROW(depth.parse("4x"), std::invalid_argument);
  EXPECT_THROW(depth.parse(""), std::invalid_argument);
  EXPECT_THROW(depth.parse("99999999999999999999"), std::invalid_argument);
}

TEST(FamilyRegistry, RulesBetweenOptionsAndSizesLiveWithTheFamily) {
  ModelConfig c;
  c.family_options = {{"depth", 3}, {"trees", 2}, {"leaf_mode", "identity"}};
  c.experts = 5;
  normalize_family_config(c);
  EXPECT_EQ(c.experts, 16);  // one expert per leaf: trees * 2^depth
  ModelConfig too_many;
  too_many.family = "linear";
  too_many.experts = 4;
  too_many.top_k = 5;
  EXPECT_THROW(normalize_family_config(too_many), std::invalid_argument);
  ModelConfig unknown;
  unknown.family = "nope";
  try {
    normalize_family_config(unknown);
    FAIL() << "an unknown family was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("known: ndt, linear"), std::string::npos) << e.what();
  }
  EXPECT_THROW(register_family(find_family("linear")), std::invalid_argument);  // the name is taken
}

TEST(FamilyRegistry, RunJsonWrittenBeforeFamiliesLoadsAsFamilies) {
  nlohmann::json student = ModelConfig{}.to_json();
  student.erase("family");
  student.erase("family_options");
  student.update({{"kind", "ndt-moe"}, {"depth", 4}, {"trees", 2}, {"leaf_mode", "sparse"}});
  const ModelConfig tree = ModelConfig::from_json(student);
  EXPECT_EQ(tree.kind, ModelKind::Mixture);
  EXPECT_EQ(tree.family, "ndt");
  EXPECT_EQ(tree.family_options, (nlohmann::json{{"depth", 4}, {"trees", 2}, {"leaf_mode", "sparse"}}));
  student["kind"] = "moe";
  const ModelConfig gate = ModelConfig::from_json(student);
  EXPECT_EQ(gate.family, "linear");
  EXPECT_EQ(gate.family_options, nlohmann::json::object());
}

TEST(Families, LinearGateStudentIsTracedWithoutTreeTables) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = ndtmoe::test::traced_family_run(dir, store, "linear");
  const RunSummary summary = store.run(id);
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.family, "linear");
  EXPECT_FALSE(summary.has_trees());
  EXPECT_TRUE(store.description(id).routers.empty());
  const SampleTrace sample = store.sample(id, 0);
  ASSERT_EQ(sample.layers.size(), 2u);
  EXPECT_EQ(sample.layers[0].experts.size(), 2u);
  EXPECT_NEAR(sample.layers[0].weights[0] + sample.layers[0].weights[1], 1.0, 1e-5);
  EXPECT_TRUE(sample.layers[0].decisions.empty());
  {
    Database db(store.path(), Database::Mode::ReadOnly);
    Statement tree_columns = db.prepare("SELECT count(*) FROM routing WHERE run_id = ? AND decisions IS NULL AND leaves IS NULL");
    tree_columns.bind(1, id).step();
    EXPECT_EQ(tree_columns.integer(0), 300 * 2);  // no tree: NULL, not empty blobs
  }
  // The stored gate reproduces the routing: the top-K of W u + b are the experts the sample went to.
  const RunDescription description = store.description(id);
  ASSERT_EQ(description.router_tensors.size(), 2u);
  EXPECT_EQ(description.router_tensors[0].at("gate_weight").shape, (std::vector<int64_t>{4, static_cast<int64_t>(sample.inputs.size())}));
  for (int64_t s : {0, 17, 299}) {
    const SampleTrace trace = store.sample(id, s);
    for (int64_t layer : {0, 1}) {
      const std::vector<double> logits = linear_gate_logits(description, layer, trace.inputs);
      ASSERT_EQ(logits.size(), 4u);
      std::vector<int32_t> order{0, 1, 2, 3};
      std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return logits[static_cast<size_t>(a)] > logits[static_cast<size_t>(b)]; });
      EXPECT_EQ(std::vector<int32_t>(order.begin(), order.begin() + 2), trace.layers[static_cast<size_t>(layer)].experts) << "sample " << s;
      const double top = std::exp(logits[static_cast<size_t>(order[0])]), second = std::exp(logits[static_cast<size_t>(order[1])]);
      EXPECT_NEAR(trace.layers[static_cast<size_t>(layer)].weights[0], top / (top + second), 1e-4);
    }
  }
  int64_t assignments = 0;
  for (const CountCell& cell : store.expert_layers(id)) assignments += cell.assignments;
  EXPECT_EQ(assignments, 300 * 2 * 2);  // samples x layers x top-K
  EXPECT_THROW(explain(store, id, [] { ExplainOptions o; o.method = "rules"; return o; }()), std::invalid_argument);
  ExplainOptions permutation;
  permutation.method = "permutation";
  permutation.repeats = 1;
  permutation.device = "cpu";
  EXPECT_FALSE(explain(store, id, permutation).values.empty());
}

TEST(Families, AFamilyDefinedInTheTestsTrainsTracesAndExplains) {
  ndtmoe::test::register_hash_family();
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = ndtmoe::test::traced_family_run(dir, store, ndtmoe::test::kHashFamily, {{"seed", 3}});
  const RunSummary summary = store.run(id);
  EXPECT_EQ(summary.family, "hash");
  EXPECT_EQ(nlohmann::json::parse(summary.family_options_json), (nlohmann::json{{"seed", 3}}));
  // The router is a fixed projection: the stored top expert is the projection's argmax of the inputs.
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  auto& model = dynamic_cast<MixturePredictor&>(*run.experiment.student);
  const torch::Tensor projection = model.moe_layer(0)->router()->named_buffers()["projection"];
  const SampleTrace sample = store.sample(id, 5);
  const torch::Tensor logits = torch::matmul(torch::tensor(sample.inputs).unsqueeze(0), projection);
  EXPECT_EQ(sample.layers[0].expert, logits.argmax(-1).item<int64_t>());
  for (const std::string method : {"permutation", "specialization"}) {
    ExplainOptions o;
    o.method = method;
    o.repeats = 1;
    o.device = "cpu";
    EXPECT_FALSE(explain(store, id, o).values.empty()) << method;
  }
  const RunComparison c = compare_run(store, id);
  EXPECT_EQ(c.layers.size(), 2u);
  EXPECT_FALSE(c.rule_fidelity.has_value());
}

TEST(Families, TheBaselinesAreTracedBesideTheStudent) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 300, [](ExperimentConfig& c) { c.baselines = true; });
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU).run;
  EXPECT_EQ(store.other_models(id), (std::vector<std::string>{"mlp", "moe"}));
  const std::vector<double> stored = store.model_predictions(id, "mlp");
  ASSERT_EQ(stored.size(), 300u);
  const torch::Tensor expected = predict(*run.experiment.mlp, run.experiment.preprocessor.encode_features(data), torch::kCPU).argmax(-1);
  for (int64_t s : {0, 150, 299}) EXPECT_EQ(stored[static_cast<size_t>(s)], expected[s].item<double>()) << "sample " << s;
  const RunComparison c = compare_run(store, id);
  ASSERT_EQ(c.agreement_with_student.size(), 2u);
  const SampleTable students = store.sample_table(id);
  double same = 0;
  for (size_t i = 0; i < students.size(); ++i) same += stored[static_cast<size_t>(students.ids[i])] == students.predictions[i];
  EXPECT_DOUBLE_EQ(c.agreement_with_student.at("mlp"), same / 300.0);
}

TEST(Comparison, LoadStatisticsEqualTheHandComputedOnes) {
  // 8 samples, 4 experts, top-1: experts 0 0 0 0 1 1 2 2 (expert 3 dead), classes 0 0 0 0 1 1 1 0.
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  RunDescription d;
  d.name = "hand";
  d.run_directory = dir.path();
  d.data_source = "hand";
  d.task = "classification";
  d.router_input = "input";
  d.family = "linear";
  d.layers = 1;
  d.experts = 4;
  d.top_k = 1;
  d.total_samples = 8;
  d.config_json = d.data_json = d.preprocessing_json = "{}";
  d.classes = {"a", "b"};
  d.metrics["student"]["accuracy"] = 0.75;
  const int64_t id = store.begin_run(d);
  TraceBatch batch;
  batch.splits.assign(8, "test");
  batch.source_lines.assign(8, 0);
  batch.inputs = torch::zeros({8, 1});
  batch.labels = torch::tensor({0, 0, 0, 0, 1, 1, 1, 0}, torch::kLong);
  batch.predictions = batch.labels.clone();
  batch.confidences = torch::ones({8});
  batch.layers.push_back({torch::tensor({0, 0, 0, 0, 1, 1, 2, 2}, torch::kLong).unsqueeze(1), torch::ones({8, 1}),
                          torch::zeros({8, 0}), torch::zeros({8, 0}), torch::zeros({8, 0, 1}), {}, {}, {}});
  append_batch(store, id, batch);
  store.finish_run(id);
  const RunComparison c = compare_run(store, id);
  // Loads 4 2 2 0: mean 2, std sqrt(2); shares .5 .25 .25 0.
  EXPECT_NEAR(c.load_cv, std::sqrt(2.0) / 2, 1e-9);
  EXPECT_NEAR(c.dead_fraction, 0.25, 1e-12);
  const double entropy = -(0.5 * std::log(0.5) + 2 * 0.25 * std::log(0.25));
  EXPECT_NEAR(c.effective_experts, std::exp(entropy) / 4, 1e-9);
  EXPECT_NEAR(c.purity, 0.5 * 1 + 0.25 * 1 + 0.25 * 0.5, 1e-12);
  // NMI = 2 I(E; C) / (H(E) + H(C)) with H(E) = 1.5, H(C) = H(5/8, 3/8), H(E, C) = 1.75 bits.
  const double h_c = -(5.0 / 8 * std::log2(5.0 / 8) + 3.0 / 8 * std::log2(3.0 / 8));
  EXPECT_NEAR(c.nmi, 2 * (1.5 + h_c - 1.75) / (1.5 + h_c), 1e-9);
  EXPECT_EQ(c.run.family, "linear");
}

TEST(SchemaV2, StoreAndRunOfTheFirstReleaseMigrateAndTraceUnchanged) {
  // tests/data/v1: a run directory and its trace store written by the release before families
  // (schema v1; `ndtmoe train ... --depth 2 --leaf-mode sparse`, then `ndtmoe trace`).
  ScratchDir dir;
  const std::string path = dir.path() + "/v1.sqlite";
  std::filesystem::copy_file(ndtmoe::test::test_data("v1/store.sqlite"), path);
  {
    Database db(path, Database::Mode::ReadOnly);
    EXPECT_EQ(schema_version(db), 1);
  }
  TraceStore store(path);  // read-write: migrates in place
  {
    Database db(path, Database::Mode::ReadOnly);
    EXPECT_EQ(schema_version(db), kTraceSchemaVersion);
    // Routing is keyed by token position too (token 0 for every v1 row), and the tree columns are optional.
    std::map<std::string, std::pair<int64_t, int64_t>> columns;  // name -> (not null, position in the key)
    Statement info = db.prepare("PRAGMA table_info(routing)");
    while (info.step()) columns[info.text(1)] = {info.integer(3), info.integer(5)};
    EXPECT_EQ(columns.at("token"), (std::pair<int64_t, int64_t>{1, 3}));
    EXPECT_EQ(columns.at("decisions").first, 0);
    Statement tokens = db.prepare("SELECT count(*), sum(token) FROM routing");
    tokens.step();
    EXPECT_EQ(tokens.integer(0), 120 * 2);
    EXPECT_EQ(tokens.integer(1), 0);
  }
  const RunSummary old = store.run(1);
  EXPECT_EQ(old.family, "ndt");
  EXPECT_EQ(nlohmann::json::parse(old.family_options_json), (nlohmann::json{{"depth", 2}, {"trees", 1}, {"leaf_mode", "sparse"}}));
  EXPECT_EQ(old.traced_samples, 120);
  EXPECT_EQ(store.description(1).routers.size(), 2u);

  // The v1 run directory loads as family ndt and traces to the routing its v1 trace recorded.
  LoadedRun run = load_run(ndtmoe::test::test_data("v1/run"), "cpu");
  EXPECT_EQ(run.experiment.student->config().family, "ndt");
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const int64_t again = trace_run(store, run, ndtmoe::test::test_data("v1/run"), "builtin:rule-tree", data, torch::kCPU).run;
  for (int64_t s : {0, 57, 119}) {
    const SampleTrace before = store.sample(1, s), after = store.sample(again, s);
    EXPECT_EQ(before.prediction, after.prediction) << "sample " << s;
    for (size_t l = 0; l < before.layers.size(); ++l) {
      EXPECT_EQ(before.layers[l].experts, after.layers[l].experts) << "sample " << s << " layer " << l;
      for (size_t k = 0; k < before.layers[l].weights.size(); ++k)
        EXPECT_NEAR(before.layers[l].weights[k], after.layers[l].weights[k], 1e-5);
    }
  }
}
