// The moe-x family: ReLU experts as one wide sparse MLP, and the router that estimates each expert's
// active units from its weights.

#include <gtest/gtest.h>

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/moe_x_family.h"
#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/upcycling.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

MoELayerOptions moe_x_layer(nlohmann::json options = nlohmann::json::object(), bool residual_norm = true) {
  ModelConfig config;
  config.family = "moe-x";
  config.family_options = std::move(options);
  config.experts = 6;
  config.top_k = 2;
  normalize_family_config(config);
  MoELayerOptions o{12, 12, 6, 16, 2, 0.0, "moe-x", config.family_options};
  o.residual_norm = residual_norm;
  return o;
}

double correlation(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.to(torch::kDouble) - a.to(torch::kDouble).mean(), y = b.to(torch::kDouble) - b.to(torch::kDouble).mean();
  return ((x * y).sum() / (x.norm() * y.norm())).item<double>();
}

}  // namespace

TEST(MoEX, TheEstimateTracksTheUnitsThatReallyFire) {
  // 16 experts whose weights and biases are shifted by different amounts: some fire on most inputs,
  // some on few. Across experts the estimate follows the direct count, so the router's score
  // (its negative) correlates negatively with the real L0, as the paper's Figure 9 reports.
  torch::manual_seed(3);
  const int64_t N = 16, H = 64, d = 10;
  const torch::Tensor shift = torch::linspace(-0.3, 0.3, N);
  const torch::Tensor weights = torch::randn({N, H, d}) * 0.3 + shift.view({N, 1, 1});
  const torch::Tensor biases = torch::randn({N, H}) * 0.1 + shift.view({N, 1});
  const torch::Tensor x = torch::rand({256, d});  // non-negative, like the output of a ReLU layer
  const torch::Tensor estimate = expected_active_units(x, weights, biases);                                // [B, N]
  const torch::Tensor active = (torch::einsum("bd,nhd->bnh", {x, weights}) + biases.unsqueeze(0)).gt(0).sum(-1);  // [B, N]
  EXPECT_GT(correlation(estimate.mean(0), active.to(torch::kFloat).mean(0)), 0.95);
  EXPECT_LT(correlation(-estimate.mean(0), active.to(torch::kFloat).mean(0)), -0.95);
  // Per sample too: the expert estimated to fire least is among the two that fire least.
  const torch::Tensor chosen = estimate.argmin(1);
  const torch::Tensor two_least = std::get<1>(active.to(torch::kFloat).topk(2, 1, /*largest=*/false));
  EXPECT_GT((two_least == chosen.unsqueeze(1)).any(1).to(torch::kFloat).mean().item<double>(), 0.9);
}

TEST(MoEX, TheLayerIsOneWideMlpMaskedAndScaledByTheGate) {
  torch::manual_seed(0);
  MoELayer layer(moe_x_layer(nlohmann::json::object(), /*residual_norm=*/false));
  layer->eval();
  const torch::Tensor x = torch::randn({9, 12});
  MoELayerOutput out = layer->forward(x, x);
  auto& bank = dynamic_cast<FeedForwardExpertBank&>(layer->experts());
  // Wide MLP: hidden units of all 6 experts side by side (6 x 16), zero outside the selected experts and
  // scaled by their gate weights inside; the output biases weighted the same way.
  std::vector<torch::Tensor> w_in, b_in, w_out, b_out;
  for (int64_t j = 0; j < 6; ++j) {
    w_in.push_back(bank.expert(j)->fc_in()->weight);
    b_in.push_back(bank.expert(j)->fc_in()->bias);
    w_out.push_back(bank.expert(j)->fc_out()->weight);
    b_out.push_back(bank.expert(j)->fc_out()->bias);
  }
  const torch::Tensor gate = torch::zeros({9, 6}).scatter(1, out.routing.top_experts, out.routing.top_weights);  // [B, N]
  const torch::Tensor hidden = torch::relu(torch::nn::functional::linear(x, torch::cat(w_in), torch::cat(b_in)));  // [B, N*H]
  const torch::Tensor scaled = hidden * gate.repeat_interleave(16, 1);
  const torch::Tensor wide = torch::nn::functional::linear(scaled, torch::cat(w_out, 1)) + torch::matmul(gate, torch::stack(b_out));
  EXPECT_TRUE(torch::allclose(out.hidden, wide, 1e-5, 1e-5)) << (out.hidden - wide).abs().max().item<double>();
  // The units that can fire are those of the selected experts: every other unit is exactly zero.
  EXPECT_EQ(scaled.ne(0).sum(1).le(2 * 16).all().item<bool>(), true);
}

TEST(MoEX, TheRouterPrefersTheExpertThatFiresLeast) {
  torch::manual_seed(1);
  MoELayer layer(moe_x_layer());
  auto& bank = dynamic_cast<FeedForwardExpertBank&>(layer->experts());
  {
    torch::NoGradGuard no_grad;
    bank.expert(4)->fc_in()->bias.fill_(-5);  // expert 4's units almost never fire
    bank.expert(1)->fc_in()->bias.fill_(5);   // expert 1's almost always do
  }
  const torch::Tensor x = torch::rand({32, 12});
  const RoutingDecision r = layer->forward(x, x).routing;
  EXPECT_TRUE(r.top_experts.select(1, 0).eq(4).all().item<bool>());
  EXPECT_FALSE(r.top_experts.eq(1).any().item<bool>());
}

TEST(MoEX, OptionsForThePapersAblation) {
  ModelConfig config;
  config.family = "moe-x";
  config.family_options = {{"sparsity_router", false}, {"gate_term", false}};
  EXPECT_THROW(normalize_family_config(config), std::invalid_argument);  // nothing would score the experts
  config.family_options = {{"sparsity_router", false}, {"gate_term", true}, {"activation", "gelu"}};
  normalize_family_config(config);
  MoELayer gated(MoELayerOptions{12, 12, 6, 16, 2, 0.0, "moe-x", config.family_options});
  EXPECT_EQ(gated->router()->traced_parameters().count("gate_weight"), 1u);  // the gate panel can show it
  const torch::Tensor x = torch::randn({4, 12});
  auto& bank = dynamic_cast<FeedForwardExpertBank&>(gated->experts());
  const torch::Tensor pre = bank.expert(0)->fc_in()->forward(x);
  EXPECT_TRUE(torch::allclose(bank.expert(0)->hidden(x), torch::gelu(pre)));
}

TEST(MoEX, AStudentTrainsAndIsTraced) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = test::traced_family_run(dir, store, "moe-x");
  const RunSummary summary = store.run(id);
  EXPECT_EQ(summary.family, "moe-x");
  EXPECT_EQ(summary.router_input, "hidden");  // the estimate reads the experts' own input
  EXPECT_GT(summary.test_score("student"), 0.25);  // four classes
}

namespace {

ModelConfig moe_x_stack(int64_t experts, int64_t top_k, int64_t expert_hidden) {
  ModelConfig c;
  c.kind = ModelKind::Mixture;
  c.family = "moe-x";
  c.in_features = 5;
  c.out_features = 3;
  c.d_model = 8;
  c.layers = 2;
  c.experts = experts;
  c.top_k = top_k;
  c.expert_hidden = expert_hidden;
  normalize_family_config(c);
  return c;
}

}  // namespace

TEST(MoEX, UpcyclingCopiesTheDenseMlpIntoEveryExpertAndComputesTheDenseModel) {
  torch::manual_seed(4);
  PredictorPtr dense = make_predictor(moe_x_stack(1, 1, 16));
  PredictorPtr student = make_predictor(moe_x_stack(4, 2, 16));
  upcycle_from_dense(*student, *dense);
  dense->eval();
  student->eval();
  const torch::Tensor x = torch::randn({10, 5});
  // Identical experts weighted by gates that sum to one: the dense model's outputs exactly.
  EXPECT_TRUE(torch::allclose(student->run(x).output, dense->run(x).output, 1e-5, 1e-5));
}

TEST(MoEX, UpcyclingSlicesADenseMlpAsWideAsAllExperts) {
  torch::manual_seed(5);
  PredictorPtr dense = make_predictor(moe_x_stack(1, 1, 64));
  PredictorPtr student = make_predictor(moe_x_stack(4, 2, 16));
  upcycle_from_dense(*student, *dense);
  auto d = dense->named_parameters();
  auto s = student->named_parameters();
  for (int64_t j = 0; j < 4; ++j) {
    const std::string e = "layer1.expert" + std::to_string(j);
    EXPECT_TRUE(torch::equal(s[e + ".fc_in.weight"], d["layer1.expert0.fc_in.weight"].narrow(0, j * 16, 16)));
    EXPECT_TRUE(torch::equal(s[e + ".fc_in.bias"], d["layer1.expert0.fc_in.bias"].narrow(0, j * 16, 16)));
    EXPECT_TRUE(torch::equal(s[e + ".fc_out.weight"], d["layer1.expert0.fc_out.weight"].narrow(1, j * 16, 16)));
    EXPECT_TRUE(torch::equal(s[e + ".fc_out.bias"], d["layer1.expert0.fc_out.bias"]));
  }
  EXPECT_TRUE(torch::equal(s["encoder.weight"], d["encoder.weight"]));
  EXPECT_TRUE(torch::equal(s["head.weight"], d["head.weight"]));
  // Neither a copy nor a slice: refused by name.
  PredictorPtr odd = make_predictor(moe_x_stack(1, 1, 24));
  try {
    upcycle_from_dense(*student, *odd);
    FAIL() << "a 24-unit dense MLP cannot start 16-unit experts";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("layer0.expert0.fc_in.weight is [16, 8] but the dense model's is [24, 8]"), std::string::npos) << e.what();
  }
}

TEST(MoEX, AStudentTrainsUpcycledFromADenseRun) {
  test::ScratchDir dense_dir, dir;
  test::tiny_run(dense_dir, 300, [](ExperimentConfig& c) {
    c.student.family = "moe-x";
    c.student.family_options = nlohmann::json::object();
    c.student.experts = 1;
    c.student.top_k = 1;
  });
  LoadedRun run = test::tiny_run(dir, 300, [&](ExperimentConfig& c) {
    c.student.family = "moe-x";
    c.student.family_options = nlohmann::json::object();
    c.upcycle_from = dense_dir.path() + "/run";
  });
  EXPECT_EQ(run.experiment.config.upcycle_from, dense_dir.path() + "/run");
  EXPECT_GT(run.experiment.reports.back().metrics.at("accuracy"), 0.25);
  test::ScratchDir sparse_dir;
  test::tiny_run(sparse_dir, 300, [](ExperimentConfig& c) {
    c.student.family = "moe-x";
    c.student.family_options = nlohmann::json::object();
  });
  EXPECT_THROW(dense_model_of_run(sparse_dir.path() + "/run"), std::invalid_argument);  // 4 experts: not dense
}
