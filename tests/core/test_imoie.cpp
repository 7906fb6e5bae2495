// The imoie family: the straight-through binariser, expert codes, the routing loss on a hand-built
// batch, explicit mode against the implicit model, the materialised experts, and a trained, traced run
// that reports its explicit-mode accuracy.

#include <gtest/gtest.h>

#include "ndtmoe/analysis/generated_experts.h"
#include "ndtmoe/explain/router_alone_check.h"
#include "ndtmoe/model/imoie_model.h"
#include "ndtmoe/data/table.h"
#include "ndtmoe/data/file_text.h"
#include "ndtmoe/train/explicit_model.h"
#include "ndtmoe/train/trainer.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

ModelConfig imoie_config(int64_t inputs, int64_t classes, int64_t code_length, std::vector<int64_t> image_shape = {}) {
  ModelConfig c;
  c.family = "imoie";
  c.in_features = inputs;
  c.out_features = classes;
  c.image_shape = std::move(image_shape);
  c.family_options = {{"code-length", code_length}, {"width", 16}, {"channels", 4}};
  return c;
}

std::shared_ptr<ImoieModel> imoie_model(const ModelConfig& config) {
  auto model = std::dynamic_pointer_cast<ImoieModel>(make_predictor(config));
  EXPECT_TRUE(model) << "the imoie family builds an ImoieModel";
  return model;
}

}  // namespace

TEST(Imoie, TheBinariserIsTheSignForwardAndTheIdentityBackward) {
  const torch::Tensor z = torch::tensor({-1.5, -0.2, 0.0, 0.3, 2.0}).requires_grad_();
  const torch::Tensor c = binarize_straight_through(z);
  EXPECT_TRUE(torch::equal(c.detach(), torch::tensor({-1.0, -1.0, 1.0, 1.0, 1.0})));
  const torch::Tensor upstream = torch::tensor({0.1, -2.0, 3.0, 0.5, -0.7});
  (c * upstream).sum().backward();
  EXPECT_TRUE(torch::allclose(z.grad(), upstream));
}

TEST(Imoie, ExpertIndicesAndCodesAreInverse) {
  const torch::Tensor z = torch::tensor({{0.5, -1.0, 2.0}, {-0.1, -0.1, -0.1}, {1.0, 1.0, 1.0}});
  const torch::Tensor experts = expert_of_code(z);
  EXPECT_TRUE(torch::equal(experts, torch::tensor({5, 0, 7}, torch::kLong)));  // bit l set where z_l >= 0
  EXPECT_TRUE(torch::equal(code_of_expert(experts, 3), binarize_straight_through(z).detach()));
}

TEST(Imoie, RoutingLossOnAHandBuiltBatch) {
  // Two inputs, three rows; rows 0 and 1 share expert 2, row 2 has expert 1. Routers [w0, w1, bias].
  const torch::Tensor x = torch::tensor({{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}});
  const torch::Tensor routers = torch::tensor({{2.0, 0.0, 0.0}, {0.0, -1.0, 1.0}, {1.0, 1.0, -3.0}});
  const torch::Tensor experts = torch::tensor({2, 2, 1}, torch::kLong);
  const auto bce = [](double logit, double target) {
    const double p = 1.0 / (1.0 + std::exp(-logit));
    return -(target * std::log(p) + (1 - target) * std::log(1 - p));
  };
  // Own rows: 2·1 = 2, −1 + 1 = 0, 1 + 1 − 3 = −1 → target 1. Neighbours (x1, x2, x0): 0 (same code: 1),
  // −1 + 1 = 0 (other code: 0), 1 − 3 = −2 (other code: 0).
  const double own = (bce(2, 1) + bce(0, 1) + bce(-1, 1)) / 3;
  const double neighbour = (bce(0, 1) + bce(0, 0) + bce(-2, 0)) / 3;
  EXPECT_NEAR(imoie_routing_loss(routers, x, experts).item<double>(), own + neighbour, 1e-6);
}

TEST(Imoie, MaterialisesEveryExpertAsTheImplicitModelGeneratesIt) {
  torch::manual_seed(3);
  auto model = imoie_model(imoie_config(5, 3, 4));
  model->eval();
  const torch::Tensor table = model->explicit_table();
  ASSERT_EQ(table.sizes(), (std::vector<int64_t>{16, 4, 6}));
  const torch::Tensor x = torch::randn({9, 5});
  torch::NoGradGuard no_grad;
  const PredictorOutput out = model->run(x);
  const torch::Tensor experts = out.routing[0].decision.top_experts.select(1, 0);
  EXPECT_TRUE(torch::equal(experts, expert_of_code(model->router().code_scores(x))));
  for (int64_t b = 0; b < 9; ++b) {
    // The implicit prediction is the chosen expert's row of the table applied to the input, and the
    // per-expert path (the one analyses take) agrees.
    const torch::Tensor maps = table[experts[b].item<int64_t>()];
    const torch::Tensor expected = torch::matmul(maps.narrow(0, 0, 3), with_bias_column(x[b].unsqueeze(0))[0]);
    EXPECT_TRUE(torch::allclose(out.output[b], expected, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(model->bank().forward(experts[b].item<int64_t>(), x[b].unsqueeze(0))[0], expected, 1e-5, 1e-6));
  }
}

TEST(Imoie, ExplicitModeEqualsTheImplicitModelWhenTheRouterPicksTheEncodersCode) {
  torch::manual_seed(4);
  auto model = imoie_model(imoie_config(6, 3, 3, {}));
  model->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({7, 6});
  const torch::Tensor implicit = model->run(x).output;
  const torch::Tensor experts = expert_of_code(model->router().code_scores(x));
  for (int64_t b = 0; b < 7; ++b) {
    // The router of the encoder's code outscores every other by far (its bias): explicit mode then
    // weighs that expert alone.
    torch::Tensor table = model->explicit_table().clone();
    table[experts[b].item<int64_t>()][3][6] = 1e4;
    const ExplicitPrediction p = explicit_mixture(table, x[b].unsqueeze(0), 8);
    EXPECT_EQ(p.top_experts[0][0].item<int64_t>(), experts[b].item<int64_t>());
    EXPECT_TRUE(torch::allclose(p.output[0], implicit[b], 1e-5, 1e-6)) << b;
  }
  // And explicit mode as a prediction mode is the mixture over the whole table.
  model->set_prediction_mode("explicit");
  const PredictorOutput out = model->run(x);
  model->set_prediction_mode("");
  EXPECT_TRUE(torch::allclose(out.output, explicit_mixture(model->explicit_table(), x, 8).output));
  EXPECT_EQ(out.routing[0].decision.top_experts.size(1), 8);
  EXPECT_THROW(model->set_prediction_mode("dense"), std::invalid_argument);
}

TEST(Imoie, ImagesGetConvolutionalNetworksAndOneWeightImagePerClass) {
  torch::manual_seed(5);
  auto model = imoie_model(imoie_config(64, 10, 2, {1, 8, 8}));
  model->train();
  const torch::Tensor x = torch::randn({12, 64});
  const PredictorOutput out = model->run(x);
  EXPECT_EQ(out.output.sizes(), (std::vector<int64_t>{12, 10}));
  EXPECT_EQ(model->bank().last_generated().sizes(), (std::vector<int64_t>{12, 11, 65}));
  // Training adds the routing and L1 terms and the explicit prediction; the code's gradient reaches the
  // encoder through the binariser.
  EXPECT_TRUE(out.family_losses.count("routing") && out.family_losses.count("l1"));
  ASSERT_EQ(out.extra_outputs.size(), 1u);
  EXPECT_DOUBLE_EQ(out.output_weight, 0.5);
  out.output.sum().backward();
  double encoder_gradient = 0;
  for (const auto& p : model->router().parameters()) encoder_gradient += p.grad().defined() ? p.grad().abs().sum().item<double>() : 0;
  EXPECT_GT(encoder_gradient, 0);
}

TEST(Imoie, AStudentTrainsReportsItsExplicitAccuracyAndIsTraced) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const RunSummary summary = store.run(test::traced_family_run(dir, store, "imoie", {{"code-length", 3}, {"width", 16}}));
  EXPECT_EQ(summary.family, "imoie");
  EXPECT_GT(summary.test_score("student"), 0.25);
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  const auto report = std::find_if(run.experiment.reports.begin(), run.experiment.reports.end(),
                                   [](const ModelReport& r) { return r.name == "student_explicit"; });
  ASSERT_NE(report, run.experiment.reports.end());
  EXPECT_GT(report->metrics.at("accuracy"), 0.25);
  EXPECT_LE(report->metrics.at("accuracy"), 1.0);

  // The store keeps every expert's generated maps, the most used first; with all 8 stored, the explicit
  // routing read from the store is the model's explicit routing.
  const StoredExperts stored = stored_experts(store.description(summary.id));
  ASSERT_FALSE(stored.empty());
  std::vector<int64_t> samples_of(8, 0);
  for (const CountCell& cell : store.expert_layers(summary.id)) samples_of[static_cast<size_t>(cell.row)] = cell.samples;
  for (size_t slot = 1; slot < stored.ids.size(); ++slot)
    EXPECT_GE(samples_of[static_cast<size_t>(stored.ids[slot - 1])], samples_of[static_cast<size_t>(stored.ids[slot])]);
  auto& model = dynamic_cast<ImoieModel&>(*run.experiment.student);
  model.eval();
  ASSERT_EQ(stored.ids.size(), 8u);
  const torch::Tensor table = model.explicit_table();
  for (size_t slot = 0; slot < stored.ids.size(); ++slot)
    EXPECT_NEAR(stored.weight(static_cast<int64_t>(slot), 1, 2), table[stored.ids[slot]][1][2].item<float>(), 1e-6);
  const SampleTrace sample = store.sample(summary.id, 5);
  torch::NoGradGuard no_grad;
  model.set_prediction_mode("explicit");
  const PredictorOutput explicit_out = model.run(torch::tensor(sample.inputs).unsqueeze(0));
  model.set_prediction_mode("");
  const std::vector<ExplicitRoute> routes = explicit_routes(stored, sample.inputs, 8);
  ASSERT_EQ(routes.size(), 8u);
  for (size_t k = 0; k < 8; ++k) {
    EXPECT_EQ(routes[k].expert, explicit_out.routing[0].decision.top_experts[0][static_cast<int64_t>(k)].item<int64_t>());
    EXPECT_NEAR(routes[k].weight, explicit_out.routing[0].decision.top_weights[0][static_cast<int64_t>(k)].item<double>(), 1e-5);
  }
}

TEST(Imoie, TheExportedExplicitModelPredictsAsTheStudentDoesWithoutItsNetworks) {
  test::ScratchDir dir;
  LoadedRun run = test::tiny_run(dir, 300, [](ExperimentConfig& c) {
    c.student.family = "imoie";
    c.student.family_options = {{"code-length", 3}, {"width", 16}, {"explicit-top", 4}};
  });
  const ExplicitModel model = explicit_model_of(run.experiment);
  write_explicit_model(model, dir.path() + "/experts.csv");
  const ExplicitModel read = read_explicit_model(dir.path() + "/experts.csv", 4);
  EXPECT_EQ(read.code_length, 3);
  EXPECT_EQ(read.classes, model.classes);
  EXPECT_EQ(read.features, model.features);
  EXPECT_TRUE(torch::allclose(read.maps, model.maps, 1e-6, 1e-6));
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  const torch::Tensor student = predict_in_mode(*run.experiment.student, "explicit", x, torch::kCPU);
  EXPECT_TRUE(torch::allclose(read.predict(x), student, 1e-4, 1e-5));

  // A damaged table names the line and the cause.
  std::vector<std::string> lines = split_lines(read_file_bytes(dir.path() + "/experts.csv"));
  const auto first_of_expert_1 = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("1,+--,", 0) == 0; });
  ASSERT_NE(first_of_expert_1, lines.end());
  first_of_expert_1->replace(0, 6, "1,--+,");
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  const std::string line_number = std::to_string(first_of_expert_1 - lines.begin() + 1);
  try {
    read_explicit_model(dir.file("broken.csv", text));
    FAIL() << "a wrong code was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.csv:" + line_number + ":"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("expert 1 has code +--"), std::string::npos) << e.what();
  }
  LoadedRun ndt = test::tiny_run(dir);
  EXPECT_THROW(explicit_model_of(ndt.experiment), std::invalid_argument);
}

TEST(Imoie, TheRouterAloneCheckSeesExpertsThatAreConstantFunctions) {
  // The paper's failure mode made by hand: the decoder's weight maps zeroed, so each code's expert is its
  // bias alone, a constant. Replacing every expert by its mean output then changes nothing.
  test::ScratchDir dir;
  LoadedRun run = test::tiny_run(dir, 300, [](ExperimentConfig& c) {
    c.student.family = "imoie";
    c.student.family_options = {{"code-length", 3}, {"width", 16}};
  });
  auto& model = dynamic_cast<ImoieModel&>(*run.experiment.student);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const torch::Tensor x = run.experiment.preprocessor.encode_features(data);
  const torch::Tensor truth = torch::tensor(data.labels, torch::kDouble);
  const RouterAloneCheck trained = router_alone_check(model, run.experiment.preprocessor, x, truth, torch::kCPU);
  EXPECT_LT(trained.mean_experts_score, trained.full_score);  // trained experts depend on the input
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model.named_parameters())
      if (p.key().find("decoder.4.") != std::string::npos) p.value().zero_();
  }
  const RouterAloneCheck constant = router_alone_check(model, run.experiment.preprocessor, x, truth, torch::kCPU);
  EXPECT_EQ(constant.score_name, "accuracy");
  EXPECT_DOUBLE_EQ(constant.mean_experts_score, constant.full_score);
}
