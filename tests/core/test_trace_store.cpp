#include <gtest/gtest.h>

#include <thread>

#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe/model/entmax.h"
#include "ndtmoe/store/trace_schema.h"
#include "ndtmoe/trace/tracer.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::tiny_run;

namespace {

int64_t count(Database& db, const std::string& sql) {
  Statement s = db.prepare(sql);
  s.step();
  return s.integer(0);
}

int64_t total(const std::vector<CountCell>& cells) {
  int64_t n = 0;
  for (const CountCell& c : cells) n += c.samples;
  return n;
}

// A tiny run (200 rows) whose layer-0 router is replaced by ndtmoe::test::hand_build_router's known
// tree, traced into `store`.
struct HandBuiltTrace {
  LoadedRun run;
  Dataset data;
  int64_t id = -1;
};

HandBuiltTrace trace_hand_built_router(const ScratchDir& dir, TraceStore& store, const std::function<void(ExperimentConfig&)>& adjust = {}) {
  HandBuiltTrace t{tiny_run(dir, 200, adjust), {}, -1};
  auto& student = dynamic_cast<MixturePredictor&>(*t.run.experiment.student);
  ndtmoe::test::hand_build_router(NDTRouter(student.moe_layer(0)->router_as<NDTRouterImpl>()));
  t.data = load_data_for_run(t.run, "builtin:rule-tree");
  t.id = trace_run(store, t.run, dir.path() + "/run", "builtin:rule-tree", t.data, torch::kCPU).run;
  return t;
}

}  // namespace

TEST(TraceSchema, NewStoreHasTheCurrentVersionAndNoRuns) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.sqlite";
  {
    TraceStore store(path);
    EXPECT_TRUE(store.runs().empty());
  }
  Database db(path, Database::Mode::ReadOnly);
  EXPECT_EQ(schema_version(db), kTraceSchemaVersion);
  EXPECT_EQ(count(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('runs', 'samples', 'routing')"), 3);
}

TEST(TraceSchema, ForwardMigrationsRunInOrderOnceAndAtomically) {
  ScratchDir dir;
  Database db(dir.path() + "/m.sqlite", Database::Mode::ReadWrite);
  std::vector<Migration> steps{[](Database& d) { d.execute("CREATE TABLE t (a INTEGER)"); },
                               [](Database& d) { d.execute("ALTER TABLE t ADD COLUMN b TEXT"); }};
  migrate(db, steps);
  EXPECT_EQ(schema_version(db), 2);
  steps.push_back([](Database& d) { d.execute("INSERT INTO t VALUES (1, 'x')"); });
  migrate(db, steps);  // only the third step runs
  EXPECT_EQ(schema_version(db), 3);
  EXPECT_EQ(count(db, "SELECT count(*) FROM t"), 1);
  steps.push_back([](Database& d) {
    d.execute("INSERT INTO t VALUES (2, 'y')");
    d.execute("INSERT INTO no_such_table VALUES (1)");
  });
  EXPECT_THROW(migrate(db, steps), StoreError);
  EXPECT_EQ(schema_version(db), 3);                      // the failed step left the version
  EXPECT_EQ(count(db, "SELECT count(*) FROM t"), 1);     // and rolled its changes back
}

TEST(TraceSchema, RefusesAStoreWrittenByANewerVersion) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.sqlite";
  { TraceStore store(path); }
  {
    Database db(path, Database::Mode::ReadWrite);
    db.execute("PRAGMA user_version = " + std::to_string(kTraceSchemaVersion + 1));
  }
  for (auto mode : {TraceStore::Mode::ReadWrite, TraceStore::Mode::ReadOnly}) {
    try {
      TraceStore store(path, mode);
      FAIL() << "a newer store was opened";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

TEST(TraceSchema, RefusesAFileThatIsNotAStore) {
  ScratchDir dir;
  const std::string path = dir.file("garbage.sqlite", std::string(4096, 'x'));
  try {
    TraceStore store(path);
    FAIL() << "garbage was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_THROW(TraceStore(dir.path() + "/missing.sqlite", TraceStore::Mode::ReadOnly), StoreError);
}

TEST(TraceStore, AwkwardNamesRoundTripExactly) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  RunDescription d;
  d.name = "run \"one\", 'quoted'; DROP TABLE runs;--";
  d.run_directory = dir.path() + "/ränder, dir";
  d.data_source = "data/größe.csv";
  d.task = "classification";
  d.router_input = "input";
  d.layers = 1;
  d.experts = 2;
  d.top_k = 1;
  d.depth = 1;
  d.trees = 1;
  d.config_json = d.data_json = d.preprocessing_json = "{}";
  d.features = {{"Länge \"cm\", gemessen", false, {}, 1.5, 2.0}, {"colour", true, {"röd, grön", "it's", "синий"}, 0, 1}};
  d.router_inputs = {{"Länge \"cm\", gemessen", 0, ""}, {"colour=it's", 1, "it's"}};
  d.classes = {"naïve, \"class\"", "日本語", ""};
  d.metrics["student"]["accuracy, top-1"] = 0.5;
  d.training.push_back({"student", 1, 10, true, 1e-3, 100.0, {{"task", 0.7}}, {{"accuracy", 0.6}}});
  d.routers.push_back({1, 1, 2, {{0.25, 1.5, {{1, 0.75}, {0, 0.25}}}}, {0.9f, 0.1f, 0.2f, 0.8f}});
  const int64_t id = store.begin_run(d);
  const RunDescription back = store.description(id);
  EXPECT_EQ(back.name, d.name);
  EXPECT_EQ(back.run_directory, d.run_directory);
  EXPECT_EQ(back.data_source, d.data_source);
  ASSERT_EQ(back.features.size(), 2u);
  EXPECT_EQ(back.features[0].name, d.features[0].name);
  EXPECT_EQ(back.features[1].categories, d.features[1].categories);
  EXPECT_EQ(back.router_inputs[1].category, "it's");
  EXPECT_EQ(back.classes, d.classes);
  EXPECT_EQ(back.metrics, d.metrics);
  ASSERT_EQ(back.training.size(), 1u);
  EXPECT_EQ(back.training[0].losses, d.training[0].losses);
  EXPECT_EQ(back.training[0].metrics, d.training[0].metrics);
  ASSERT_EQ(back.routers.size(), 1u);
  EXPECT_EQ(back.routers[0].level(0, 0).selectors, d.routers[0].level(0, 0).selectors);
  EXPECT_EQ(back.routers[0].leaf_experts, d.routers[0].leaf_experts);
  EXPECT_EQ(store.run(id).status, "tracing");
}

TEST(Tracer, RecordsEverySampleWithItsSplitAndConsistentAggregates) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  TraceOptions options;
  options.batch_size = 64;
  int64_t reports = 0;
  const TraceResult result = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options,
                                       [&](const TraceProgress& p) { reports += p.stage.empty(); });
  EXPECT_EQ(reports, 5);  // 300 samples in batches of 64 (then the embeddings' stages)
  const RunSummary summary = store.run(result.run);
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.traced_samples, 300);
  EXPECT_EQ(summary.name, "run");

  SampleFilter test;
  test.split = "test";
  test.limit = -1;
  EXPECT_EQ(store.samples(result.run, test).size(), 60u);
  SampleFilter fit = test;
  fit.split = "fit";
  SampleFilter validation = test;
  validation.split = "validation";
  EXPECT_EQ(store.samples(result.run, fit).size() + store.samples(result.run, validation).size(), 240u);

  for (int64_t l = 0; l < 2; ++l) {
    EXPECT_EQ(total(store.expert_classes(result.run, l)), 300);
    for (int64_t e = 0; e < 4; ++e) {
      SampleFilter by_expert;
      by_expert.layer = l;
      by_expert.expert = e;
      by_expert.limit = -1;
      int64_t expected = 0;
      for (const CountCell& c : store.expert_layers(result.run))
        if (c.row == e && c.column == l) expected = c.samples;
      EXPECT_EQ(static_cast<int64_t>(store.samples(result.run, by_expert).size()), expected) << "layer " << l << " expert " << e;
    }
    const std::vector<TreeNodeCount> nodes = store.tree_nodes(result.run, l, 0);
    ASSERT_FALSE(nodes.empty());
    EXPECT_EQ(nodes.front().level, 0);
    EXPECT_EQ(nodes.front().samples, 300);
    for (const TreeNodeCount& n : nodes) {
      SampleFilter by_node;
      by_node.layer = l;
      by_node.tree = 0;
      by_node.limit = -1;
      if (n.level == 2) by_node.leaf = n.node;
      else by_node.level = n.level, by_node.node = n.node;
      EXPECT_EQ(static_cast<int64_t>(store.samples(result.run, by_node).size()), n.samples) << "level " << n.level << " node " << n.node;
      if (n.classes.count(1)) {
        by_node.label = 1;  // a node x class cell
        EXPECT_EQ(static_cast<int64_t>(store.samples(result.run, by_node).size()), n.classes.at(1));
      }
    }
  }
  EXPECT_EQ(total(store.expert_layers(result.run)), 600);
  int64_t flow = 0;
  for (const FlowCell& f : store.flow(result.run)) flow += f.samples;
  EXPECT_EQ(flow, 300);

  // Misclassified samples are exactly those whose stored prediction differs from the label.
  SampleFilter wrong;
  wrong.misclassified = true;
  wrong.limit = -1;
  for (int64_t id : store.samples(result.run, wrong)) {
    const SampleTrace s = store.sample(result.run, id);
    EXPECT_NE(static_cast<int64_t>(s.prediction), *s.label);
  }
  const SampleTrace first = store.sample(result.run, 0);
  EXPECT_EQ(first.layers.size(), 2u);
  EXPECT_EQ(first.layers[0].experts.size(), 2u);
  EXPECT_EQ(first.layers[0].decisions.size(), 2u);
  EXPECT_EQ(first.inputs.size(), static_cast<size_t>(run.experiment.preprocessor.encoded_width()));
}

TEST(Tracer, PathFollowsAHandBuiltRouter) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const HandBuiltTrace traced = trace_hand_built_router(dir, store);
  const LoadedRun& run = traced.run;
  const Dataset& data = traced.data;
  const int64_t id = traced.id;
  const RunDescription description = store.description(id);
  const FeatureInfo& f0 = description.features[0];
  const FeatureInfo& f1 = description.features[1];
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  for (int64_t sample : {0, 17, 123}) {
    const DecisionPath path = decision_path(description, store.sample(id, sample));
    const PathLayer& layer = path.layers.at(0);
    ASSERT_EQ(layer.levels.size(), 2u);
    const double u0 = x[sample][0].item<double>(), u1 = x[sample][1].item<double>();
    const PathLevel& l0 = layer.levels[0];
    ASSERT_EQ(l0.selected.size(), 1u);
    EXPECT_EQ(l0.selected[0].input, 0);
    EXPECT_NEAR(l0.value, u0, 1e-5);
    EXPECT_NEAR(l0.threshold, 0.5, 1e-6);
    EXPECT_NEAR(l0.temperature, 2.0, 1e-5);
    EXPECT_EQ(l0.right, u0 > 0.5);
    EXPECT_NEAR(l0.decision, entmoid15(torch::tensor((u0 - 0.5) / 2.0)).item<double>(), 1e-5);
    ASSERT_TRUE(l0.feature);
    EXPECT_EQ(*l0.feature, f0.name);
    EXPECT_NEAR(l0.feature_value, data.features.columns[0].values[static_cast<size_t>(sample)], 1e-4);
    EXPECT_NEAR(l0.feature_threshold, f0.mean + 0.5 * f0.scale, 1e-4);
    const PathLevel& l1 = layer.levels[1];
    EXPECT_EQ(l1.selected.at(0).input, 1);
    EXPECT_EQ(l1.right, u1 > -0.25);
    EXPECT_NEAR(l1.feature_threshold, f1.mean - 0.25 * f1.scale, 1e-4);
    // The top leaf is the crisp path: bit i set when level i went right.
    const int32_t crisp = (l0.right ? 1 : 0) | (l1.right ? 2 : 0);
    EXPECT_EQ(layer.top_leaves.at(0), crisp);
    double sum = 0;
    for (double p : layer.leaf_probs[0]) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-6);
    EXPECT_NEAR(layer.leaf_probs[0][static_cast<size_t>(crisp)], (l0.right ? l0.decision : 1 - l0.decision) * (l1.right ? l1.decision : 1 - l1.decision), 1e-6);
  }
}

TEST(Tracer, ThresholdsOfAQuantileScaledRunAreDrawnInDataUnits) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const HandBuiltTrace traced = trace_hand_built_router(dir, store, [](ExperimentConfig& c) { c.numeric_scaling = NumericScaling::Quantile; });
  const LoadedRun& run = traced.run;
  const Dataset& data = traced.data;
  const int64_t id = traced.id;
  const RunDescription description = store.description(id);
  const FeatureInfo& f0 = description.features[0];
  ASSERT_EQ(f0.quantiles, run.experiment.preprocessor.features()[0].quantiles);
  ASSERT_GT(f0.quantiles.size(), 100u);
  int right = 0;
  for (int64_t sample = 0; sample < 200; ++sample) {
    const PathLevel level = decision_path(description, store.sample(id, sample)).layers.at(0).levels.at(0);  // a copy: the path is a temporary
    const double raw = data.features.columns[0].values[static_cast<size_t>(sample)];
    // The value and the threshold shown are data values, and the side the sample took is the side of
    // the threshold its raw value lies on. A test row beyond the training range reads as the range's
    // end, as the model reads it.
    const double seen = std::clamp(raw, f0.quantiles.front(), f0.quantiles.back());
    EXPECT_NEAR(level.feature_value, seen, 1e-4 * (1 + std::abs(raw)));
    EXPECT_NEAR(to_model_units(f0, level.feature_threshold), 0.5, 1e-4);
    EXPECT_EQ(level.right, raw > level.feature_threshold) << "sample " << sample;
    right += level.right;
  }
  EXPECT_GT(right, 20);
  EXPECT_LT(right, 180);
}

TEST(Tracer, CancelledTraceStaysIncompleteAndResumesWithoutDoubleCounting) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  TraceOptions options;
  options.batch_size = 50;
  std::atomic<bool> cancel{false};
  const TraceResult first = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options,
                                      [&](const TraceProgress& p) { cancel = p.done >= 100; }, &cancel);
  EXPECT_TRUE(first.cancelled);
  RunSummary summary = store.run(first.run);
  EXPECT_EQ(summary.status, "tracing");
  EXPECT_EQ(summary.traced_samples, 100);
  EXPECT_EQ(total(store.expert_layers(first.run)), 200);  // 100 samples x 2 layers
  EXPECT_THROW(store.finish_run(first.run), StoreError);

  const TraceResult resumed = resume_trace(store, first.run, run, data, torch::kCPU, options);
  EXPECT_FALSE(resumed.cancelled);
  summary = store.run(first.run);
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.traced_samples, 300);
  EXPECT_EQ(total(store.expert_layers(first.run)), 600);
  EXPECT_THROW(resume_trace(store, first.run, run, data, torch::kCPU), StoreError);

  const int64_t second = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU).run;
  store.delete_run(first.run);
  ASSERT_EQ(store.runs().size(), 1u);
  EXPECT_EQ(store.runs()[0].id, second);
  Database db(store.path(), Database::Mode::ReadOnly);
  for (const char* table : {"samples", "routing", "tree_leaves", "expert_load", "tree_nodes", "router_levels", "training_steps"})
    EXPECT_EQ(count(db, std::string("SELECT count(*) FROM ") + table + " WHERE run_id = " + std::to_string(first.run)), 0) << table;
  EXPECT_EQ(count(db, "SELECT count(*) FROM samples WHERE run_id = " + std::to_string(second)), 300);
}

TEST(TraceStore, ReaderQueriesWhileAWriterWrites) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const std::string path = dir.path() + "/t.sqlite";
  TraceStore writer(path);
  std::atomic<bool> done{false};
  std::string reader_error;
  int64_t seen_partial = 0, last = 0;
  std::thread reader([&] {
    try {
      TraceStore store(path, TraceStore::Mode::ReadOnly);
      while (!done) {
        for (const RunSummary& r : store.runs()) {
          SampleFilter all;
          all.limit = -1;
          const auto n = static_cast<int64_t>(store.samples(r.id, all).size());
          if (n < last) reader_error = "sample count went back";
          last = n;
          if (n > 0 && n < r.total_samples) ++seen_partial;
        }
      }
    } catch (const std::exception& e) {
      reader_error = e.what();
    }
  });
  TraceOptions options;
  options.batch_size = 4;
  trace_run(writer, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options);
  done = true;
  reader.join();
  EXPECT_EQ(reader_error, "");
  EXPECT_GT(seen_partial, 0) << "the reader never saw the trace in progress";
  EXPECT_GT(last, 0);
  SampleFilter all;
  all.limit = -1;
  EXPECT_EQ(TraceStore(path, TraceStore::Mode::ReadOnly).samples(1, all).size(), 300u);
}

TEST(Tracer, RegressionRunsStoreTargetsAndPredictionsInOriginalUnits) {
  ScratchDir dir;
  const DataDescription description = DataDescription::holdout("builtin:van-der-pol", 200);
  const Dataset data = description.load();
  ASSERT_EQ(data.task, TaskKind::Regression);
  Experiment ex = run_experiment(data, description.split(data), ndtmoe::test::tiny_student_config());
  save_run(dir.path() + "/run", ex, description);
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:van-der-pol", data, torch::kCPU).run;
  EXPECT_EQ(store.run(id).task, "regression");
  const torch::Tensor predicted = run.experiment.preprocessor.restore_target(predict(*run.experiment.student, ex.preprocessor.encode_features(data), torch::kCPU)).flatten();
  for (int64_t sample : {0, 99, 199}) {
    const SampleTrace s = store.sample(id, sample);
    EXPECT_FALSE(s.label);
    EXPECT_DOUBLE_EQ(s.target, data.targets[static_cast<size_t>(sample)]);
    EXPECT_NEAR(s.prediction, predicted[sample].item<double>(), 1e-4 * (1 + std::abs(s.prediction)));
    EXPECT_TRUE(std::isnan(s.confidence));
  }
  EXPECT_TRUE(store.expert_classes(id, 0).empty());
  EXPECT_EQ(store.tree_nodes(id, 0, 0).front().samples, 200);
  EXPECT_TRUE(store.tree_nodes(id, 0, 0).front().classes.empty());
}

TEST(Tracer, WhatIfOnTheStoredInputsReproducesTheStoredTrace) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU).run;
  for (int64_t sample : {0, 150}) {
    const SampleTrace stored = store.sample(id, sample);
    const SampleTrace live = trace_inputs(run, stored, stored.inputs, torch::kCPU);
    EXPECT_EQ(live.prediction, stored.prediction);
    EXPECT_NEAR(live.confidence, stored.confidence, 1e-6);
    ASSERT_EQ(live.layers.size(), stored.layers.size());
    for (size_t l = 0; l < live.layers.size(); ++l) {
      EXPECT_EQ(live.layers[l].experts, stored.layers[l].experts);
      EXPECT_EQ(live.layers[l].leaves, stored.layers[l].leaves);
      for (size_t k = 0; k < live.layers[l].decisions.size(); ++k) EXPECT_NEAR(live.layers[l].decisions[k], stored.layers[l].decisions[k], 1e-6);
    }
    // Moving the input a level reads most crosses that level's threshold the other way.
    std::vector<float> edited = stored.inputs;
    const RunDescription description = store.description(id);
    const RouterLevel& root = description.routers[0].level(0, 0);
    const int64_t input = root.selectors.front().first;
    const bool right = stored.layers[0].split_values[0] > root.threshold;
    edited[static_cast<size_t>(input)] += right ? -50.0f : 50.0f;
    const SampleTrace moved = trace_inputs(run, stored, edited, torch::kCPU);
    EXPECT_NE(moved.layers[0].split_values[0] > root.threshold, right);
  }
}
