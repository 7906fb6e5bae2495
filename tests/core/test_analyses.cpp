#include <gtest/gtest.h>

#include <random>

#include "ndtmoe/explain/counterfactual.h"
#include "ndtmoe/explain/integrated_gradients.h"
#include "ndtmoe/explain/permutation_importance.h"
#include "ndtmoe/analysis/rules.h"
#include "ndtmoe/explain/router_alone_check.h"
#include "ndtmoe/analysis/specialization.h"
#include "ndtmoe/trace/trace_writer.h"
#include "ndtmoe/trace/tracer.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::tiny_run;

namespace {

MixturePredictor& student_of(LoadedRun& run) { return dynamic_cast<MixturePredictor&>(*run.experiment.student); }

// A store run whose routing is given: `experts[i]` is sample i's top-1 expert (second choice the next
// expert), `labels[i]` its class.
int64_t hand_made_run(TraceStore& store, const std::vector<int64_t>& experts, const std::vector<int64_t>& labels, int64_t num_experts) {
  RunDescription d;
  d.name = "hand-made";
  d.run_directory = "/nonexistent";
  d.data_source = "none";
  d.task = "classification";
  d.router_input = "input";
  d.layers = 1;
  d.experts = num_experts;
  d.top_k = 2;
  d.depth = 1;
  d.trees = 1;
  d.total_samples = static_cast<int64_t>(experts.size());
  d.config_json = d.data_json = d.preprocessing_json = "{}";
  d.features = {{"x", false, {}, 0, 1}};
  d.router_inputs = {{"x", 0, ""}};
  d.classes = {"a", "b", "c", "d"};
  d.routers.push_back({1, 1, num_experts, {{0.0, 1.0, {{0, 1.0}}}}, std::vector<float>(static_cast<size_t>(2 * num_experts), 0.5f)});
  const int64_t run = store.begin_run(d);
  const auto n = static_cast<int64_t>(experts.size());
  TraceBatch batch;
  batch.splits.assign(experts.size(), "test");
  batch.source_lines.assign(experts.size(), 0);
  batch.inputs = torch::zeros({n, 1});
  batch.labels = torch::tensor(labels, torch::kLong);
  batch.predictions = batch.labels.clone();
  batch.confidences = torch::ones({n});
  const torch::Tensor top = torch::tensor(experts, torch::kLong);
  batch.layers.push_back({torch::stack({top, (top + 1) % num_experts}, 1), torch::full({n, 2}, 0.5), torch::full({n, 1, 1}, 0.25),
                          torch::zeros({n, 1, 1}), torch::tensor({0.75f, 0.25f}).repeat({n, 1, 1}), {}, {}, {}});
  append_batch(store, run, batch);
  store.finish_run(run);
  return run;
}

}  // namespace

TEST(Specialization, MatchesHandComputedContingencies) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  // Perfect specialization: expert e takes exactly class e; experts 4..7 are never used.
  std::vector<int64_t> experts, labels;
  for (int i = 0; i < 400; ++i) experts.push_back(i % 4), labels.push_back(i % 4);
  const int64_t perfect = hand_made_run(store, experts, labels, 8);
  const LayerSpecialization s = specialization(store, perfect).at(0);
  EXPECT_NEAR(s.nmi, 1.0, 1e-12);
  EXPECT_NEAR(s.effective_experts, 4.0 / 8.0, 1e-12);   // exp(ln 4) / 8
  EXPECT_NEAR(s.dead_fraction, 3.0 / 8.0, 1e-12);      // expert 4 is still some sample's second choice
  EXPECT_NEAR(s.load_cv, 1.0, 1e-12);                  // loads 100,100,100,100,0,0,0,0: sd 50, mean 50
  EXPECT_EQ(s.experts[2].dominant_class, 2);
  EXPECT_DOUBLE_EQ(s.experts[2].purity, 1.0);
  EXPECT_DOUBLE_EQ(s.experts[2].entropy_bits, 0.0);

  // No specialization: every expert sees every class equally.
  experts.clear();
  labels.clear();
  for (int i = 0; i < 400; ++i) experts.push_back(i % 4), labels.push_back((i / 4) % 4);
  const LayerSpecialization mixed = specialization(store, hand_made_run(store, experts, labels, 4)).at(0);
  EXPECT_NEAR(mixed.nmi, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(mixed.experts[0].purity, 0.25);
  EXPECT_NEAR(mixed.experts[0].entropy_bits, 2.0, 1e-12);
  EXPECT_NEAR(mixed.effective_experts, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(mixed.load_cv, 0.0);
}

TEST(IntegratedGradients, AttributionsAddUpToTheOutputChangeAt64Steps) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 300, [](ExperimentConfig& c) { c.student_training.epochs = 5; });
  MixturePredictor& model = student_of(run);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data).slice(0, 0, 64);
  const torch::Tensor baseline = torch::zeros({x.size(1)});
  for (int64_t layer : {-1, 0, 1}) {
    const IntegratedGradients ig = integrated_gradients(model, x, baseline, 64, layer, torch::kCPU);
    ASSERT_EQ(ig.attributions.sizes(), x.sizes());
    const torch::Tensor difference = ig.at_input - ig.at_baseline;
    const torch::Tensor error = (ig.attributions.sum(1) - difference).abs();
    // Within 1% of the change, or of the typical change for samples whose output barely moves.
    const torch::Tensor allowed = 0.01 * torch::max(difference.abs(), difference.abs().mean().expand_as(difference));
    EXPECT_TRUE((error <= allowed).all().item<bool>()) << "layer " << layer << ": worst error " << (error / allowed).max().item<double>()
                                                        << " of the allowance";
  }
  // f(x) is the model's own output at x: the routing held along the path is the one x selects.
  const torch::Tensor logits = predict(model, x, torch::kCPU);
  const IntegratedGradients output = integrated_gradients(model, x, baseline, 8, -1, torch::kCPU);
  EXPECT_TRUE(torch::allclose(output.at_input, logits.gather(1, logits.argmax(1, true)).squeeze(1), 1e-4, 1e-5));
}

TEST(PermutationImportance, FindsTheOnlyInformativeFeature) {
  ScratchDir dir;
  // Five features, the class is the sign of the third; the others are noise.
  Table table;
  table.source = "synthetic";
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  for (int f = 0; f < 5; ++f) table.columns.push_back({"x" + std::to_string(f), false, {}, {}});
  table.columns.push_back({"class", true, {"neg", "pos"}, {}});
  for (int r = 0; r < 600; ++r) {
    double informative = 0;
    for (int f = 0; f < 5; ++f) {
      const double v = normal(rng);
      table.columns[static_cast<size_t>(f)].values.push_back(v);
      if (f == 2) informative = v;
    }
    table.columns[5].values.push_back(informative > 0 ? 1 : 0);
    table.source_lines.push_back(r + 2);
  }
  const Dataset data = make_dataset(table, "class");
  ExperimentConfig c = ndtmoe::test::tiny_student_config();
  c.student_training.epochs = 10;
  Split rows;
  for (int64_t r = 0; r < 600; ++r) (r < 480 ? rows.train : rows.test).push_back(r);
  Experiment ex = run_experiment(data, rows, c);
  auto& model = dynamic_cast<MixturePredictor&>(*ex.student);
  const torch::Tensor x = ex.preprocessor.encode_features(data), truth = ex.preprocessor.encode_targets(data);
  const PermutationImportance p = permutation_importance(model, ex.preprocessor, x, truth, 5, 0, torch::kCPU);
  ASSERT_EQ(p.features.size(), 5u);
  EXPECT_GT(p.baseline_score, 0.9);
  EXPECT_GT(p.output[2].mean, 0.3);  // shuffling the sign feature makes the model guess
  for (size_t f : {0u, 1u, 3u, 4u}) EXPECT_LT(p.output[f].mean, 0.05) << p.features[f];
  EXPECT_EQ(p.routing.size(), 2u);
  // Same seed, same shuffles.
  const PermutationImportance again = permutation_importance(model, ex.preprocessor, x, truth, 5, 0, torch::kCPU);
  EXPECT_EQ(again.output[2].mean, p.output[2].mean);
}

TEST(Counterfactual, FindsTheThresholdOfAHandBuiltRouter) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 200, [](ExperimentConfig& c) {
    c.student.family_options["leaf_mode"] = "identity";  // expert = most probable leaf
    c.student.top_k = 1;
  });
  MixturePredictor& model = student_of(run);
  ndtmoe::test::hand_build_router(NDTRouter(model.moe_layer(0)->router_as<NDTRouterImpl>()));
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const Preprocessor& pre = run.experiment.preprocessor;
  const torch::Tensor x = pre.encode_features(data);
  const FeatureEncoding& f0 = pre.features()[0];
  const FeatureEncoding& f1 = pre.features()[1];
  for (int64_t sample : {3, 42}) {
    const std::vector<Counterfactual> found = expert_counterfactuals(model, pre, x[sample], 0, torch::kCPU);
    // Only inputs 0 and 1 are read by layer 0, and crossing their thresholds flips a leaf bit.
    ASSERT_EQ(found.size(), 2u);
    const double u0 = x[sample][0].item<double>(), u1 = x[sample][1].item<double>();
    const Counterfactual& first = found[0];
    const bool f0_closer = std::abs(u0 - 0.5) < std::abs(u1 + 0.25);
    EXPECT_EQ(first.feature, f0_closer ? "f0" : "f1");
    for (const Counterfactual& cf : found) {
      const double threshold = cf.feature == "f0" ? f0.mean + 0.5 * f0.scale : f1.mean - 0.25 * f1.scale;
      const double scale = cf.feature == "f0" ? f0.scale : f1.scale;
      EXPECT_NEAR(cf.to_value, threshold, 1e-3 * scale) << cf.feature;
      EXPECT_EQ(cf.from_expert ^ cf.to_expert, cf.feature == "f0" ? 1 : 2) << "crossing flips that level's bit";
    }
  }
}

TEST(Rules, CrispRulesOfASmallExpertRouterRecoverTheKnownSplits) {
  ScratchDir dir;
  // Experts too small to solve the task alone make the router carry the rule tree (IMoIE's point in
  // reverse); a depth-2 oblivious tree can hold the root split on f0 and one of the second-level splits.
  LoadedRun run = tiny_run(dir, 2000, [](ExperimentConfig& c) {
    c.student.layers = 1;
    c.student.d_model = 8;
    c.student.expert_hidden = 8;
    c.student_training.epochs = 60;
  });
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU).run;
  const std::vector<TreeRules> rules = crisp_rules(store, id);
  ASSERT_EQ(rules.size(), 1u);
  const TreeRules& tree = rules[0];
  EXPECT_GT(tree.fidelity, 0.85);
  ASSERT_EQ(tree.rules.size(), 4u);
  std::map<std::string, double> thresholds;  // feature -> threshold in original units, from the leaf-0 rule
  for (const CrispCondition& c : tree.rules[0].conditions) {
    ASSERT_TRUE(c.threshold_original);
    thresholds[c.subject] = *c.threshold_original;
  }
  std::map<std::string, double> known;
  for (const RuleSplit& s : rule_tree_splits()) known["f" + std::to_string(s.feature)] = s.threshold;
  ASSERT_TRUE(thresholds.count("f0")) << "the root split's feature is not used";
  for (const auto& [feature, threshold] : thresholds) {
    ASSERT_TRUE(known.count(feature)) << feature << " is noise";
    // The root split is recovered closely; the second level of an oblivious tree serves both branches
    // (f1 < 0.3 on the left, f2 < -0.2 on the right), so its threshold is a compromise.
    EXPECT_NEAR(threshold, known[feature], feature == "f0" ? 0.05 : 0.25) << feature;
  }
  double coverage = 0;
  for (const CrispRule& r : tree.rules) coverage += r.coverage;
  EXPECT_NEAR(coverage, 1.0, 1e-9);
}

TEST(Rules, AOneInputTestIsExactAndAgreesWithEveryRoutingAMixedTestIsMarkedApproximate) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 300);
  auto& student = dynamic_cast<MixturePredictor&>(*run.experiment.student);
  NDTRouter router(student.moe_layer(0)->router_as<NDTRouterImpl>());
  ndtmoe::test::hand_build_router(router);
  {
    torch::NoGradGuard no_grad;  // level 1 now weighs inputs 1 and 2 equally: no one-input test is exact
    router->named_parameters()["selector_logits"][0][1][2] = 10;
  }
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU).run;
  const RunDescription d = store.description(id);
  const RouterParameters& layer0 = d.routers.at(0);
  const CrispCondition exact = crisp_condition(d, layer0.level(0, 0), 0, true);
  const CrispCondition mixed = crisp_condition(d, layer0.level(0, 1), 1, true);
  ASSERT_TRUE(exact.exact);
  ASSERT_TRUE(exact.threshold_original);
  EXPECT_EQ(exact.text.rfind("f0 > ", 0), 0u) << exact.text;
  EXPECT_FALSE(mixed.exact);
  EXPECT_EQ(mixed.text.rfind("≈ ", 0), 0u) << mixed.text;
  EXPECT_NE(linear_test_text(d, layer0.level(0, 1)).find("·f2"), std::string::npos) << linear_test_text(d, layer0.level(0, 1));
  // The threshold drawn is the routing every sample took: right exactly when the feature exceeds it.
  int64_t right = 0;
  for (int64_t sample = 0; sample < 300; ++sample) {
    const SampleTrace s = store.sample(id, sample);
    const double value = data.features.columns[0].values[static_cast<size_t>(sample)];
    if (std::abs(value - *exact.threshold_original) < 1e-4) continue;  // float rounding at the boundary
    const bool went_right = s.layers.at(0).decisions.at(0) > 0.5f;
    EXPECT_EQ(went_right, value > *exact.threshold_original) << "sample " << sample << " f0 = " << value;
    right += went_right;
  }
  EXPECT_GT(right, 0);
  EXPECT_LT(right, 300);
}

TEST(Rules, TestsOnOneInputMergeIntoAnIntervalAndContradictionsAreNamed) {
  const auto numeric = [](const std::string& subject, double threshold, bool above) {
    CrispCondition c;
    c.subject = subject;
    c.shown_threshold = threshold;
    c.above = above;
    c.text = subject + (above ? " > " : " <= ") + std::to_string(threshold);
    return c;
  };
  CrispRule narrowed;
  narrowed.conditions = {numeric("f1", -2.308, false), numeric("f1", -0.6664, false)};
  EXPECT_TRUE(narrowed.satisfiable());
  EXPECT_EQ(narrowed.condition_text(), "f1 <= -2.308");
  CrispRule between;
  between.conditions = {numeric("f1", -2.308, true), numeric("f0", 1.5, true), numeric("f1", -0.6664, false)};
  EXPECT_EQ(between.condition_text(), "-2.308 < f1 <= -0.6664 AND f0 > 1.5");
  CrispRule impossible;
  impossible.conditions = {numeric("sepal width", 3.776, true), numeric("sepal width", 3.564, false)};
  EXPECT_FALSE(impossible.satisfiable());
  EXPECT_EQ(impossible.condition_text().rfind("(no input passes: ", 0), 0u) << impossible.condition_text();
}
