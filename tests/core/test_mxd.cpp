// The mxd family: the factorised layer equals the mixture of its explicit expert matrices, gathering K
// modulation vectors equals the dense product, and a student trains and is traced.

#include <gtest/gtest.h>

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/mxd_family.h"
#include "ndtmoe/model/ndt_router.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

// A layer with random (non-zero) decoder and output bias, without residual and norm: its output is the
// mixture itself.
MoELayer random_mxd_layer(int64_t experts, int64_t top_k, int64_t d = 10, int64_t hidden = 24) {
  ModelConfig config;
  config.family = "mxd";
  config.experts = experts;
  config.top_k = top_k;
  normalize_family_config(config);
  MoELayerOptions o{d, d, experts, hidden, top_k, 0.0, "mxd", config.family_options};
  o.residual_norm = false;
  MoELayer layer(o);
  torch::NoGradGuard no_grad;
  for (auto& p : layer->named_parameters()) p.value().normal_(0, 0.5);
  return layer;
}

}  // namespace

TEST(MxD, TheFactorisedLayerIsTheMixtureOfItsExpertMatrices) {
  torch::manual_seed(0);
  const int64_t N = 12, K = 3;
  MoELayer layer = random_mxd_layer(N, K);
  const torch::Tensor x = torch::randn({7, 10});
  const MoELayerOutput out = layer->forward(x, x);
  auto& bank = dynamic_cast<MixtureOfDecodersBank&>(layer->experts());
  auto params = layer->named_parameters();
  // y = Σ_n a_n W_nᵀ z + b_out with W_n = D·diag(c_n / ‖c_n‖) built one by one, and a the ReLU of the
  // top-K gate logits, zero elsewhere.
  const torch::Tensor z = torch::relu(torch::nn::functional::linear(x, params["encoder.weight"], params["encoder.bias"]));
  const torch::Tensor logits = torch::nn::functional::linear(x, params["gate.weight"], params["gate.bias"]);
  const auto [top_values, top_experts] = logits.topk(K, 1);
  const torch::Tensor a = torch::zeros({7, N}).scatter(1, top_experts, torch::relu(top_values));
  torch::Tensor explicit_sum = params["output_bias"].expand({7, 10}).clone();
  for (int64_t n = 0; n < N; ++n) {
    const torch::Tensor c = params["modulations"][n] / params["modulations"][n].norm();
    const torch::Tensor w = torch::matmul(params["decoder"], torch::diag(c));  // [H, d]
    EXPECT_TRUE(torch::allclose(w, bank.expert_weights(n), 1e-6, 1e-6));
    explicit_sum += a.select(1, n).unsqueeze(1) * torch::matmul(z, w);
  }
  EXPECT_TRUE(torch::allclose(out.hidden, explicit_sum, 1e-4, 1e-5)) << (out.hidden - explicit_sum).abs().max().item<double>();
  EXPECT_TRUE(torch::equal(out.routing.top_experts, top_experts));
  EXPECT_TRUE(torch::allclose(out.routing.top_weights, torch::relu(top_values)));
}

TEST(MxD, GatheringTheChosenModulationsEqualsTheDenseProduct) {
  torch::manual_seed(1);
  const int64_t N = 300, K = 5;
  MoELayer layer = random_mxd_layer(N, K);
  auto& bank = dynamic_cast<MixtureOfDecodersBank&>(layer->experts());
  const torch::Tensor x = torch::randn({16, 10});
  const torch::Tensor experts = torch::randperm(N).narrow(0, 0, 16 * K).view({16, K});
  const torch::Tensor weights = torch::rand({16, K});
  RoutingDecision chosen;
  chosen.top_experts = experts;
  chosen.top_weights = weights;
  const torch::Tensor gathered = *bank.mix(x, chosen);
  // The reference: the dense N-vector a, multiplied by all of C.
  const torch::Tensor a = torch::zeros({16, N}).scatter(1, experts, weights);
  const torch::Tensor dense = bank.decoded(x) * torch::matmul(a, bank.modulations());
  EXPECT_TRUE(torch::allclose(gathered, dense, 1e-5, 1e-6)) << (gathered - dense).abs().max().item<double>();
  // Running the chosen experts one by one (the path analyses take) gives the same mixture.
  layer->record_expert_outputs(true);
  const MoELayerOutput watched = layer->forward(x, x);
  layer->record_expert_outputs(false);
  const MoELayerOutput mixed = layer->forward(x, x);
  EXPECT_TRUE(torch::allclose(watched.hidden, mixed.hidden, 1e-5, 1e-6));
}

TEST(MxD, StartsAsTheReferenceAndKeepsUnitModulations) {
  torch::manual_seed(2);
  ModelConfig config;
  config.family = "mxd";
  normalize_family_config(config);
  MoELayer layer(MoELayerOptions{8, 8, 64, 16, 4, 0.0, "mxd", config.family_options});
  auto& bank = dynamic_cast<MixtureOfDecodersBank&>(layer->experts());
  EXPECT_EQ(bank.decoder().abs().sum().item<double>(), 0.0);  // D = 0
  const torch::Tensor raw = layer->named_parameters()["modulations"];
  EXPECT_TRUE(torch::allclose(raw.norm(2, 1), torch::ones({64}), 1e-5, 1e-5));
  EXPECT_LE(raw.abs().max().item<double>(), 1.0);
  {
    torch::NoGradGuard no_grad;
    raw.mul_(7);  // what an optimiser step does to the scale is undone in the forward pass
  }
  EXPECT_TRUE(torch::allclose(bank.modulations().norm(2, 1), torch::ones({64}), 1e-5, 1e-5));
}

TEST(MxD, ThousandsOfExpertsTrainInOneStep) {
  // N = 4096: the gathered path touches K modulation rows per sample, so a step is an ordinary
  // matrix product and the gradient reaches only the chosen rows.
  torch::manual_seed(3);
  MoELayer layer = random_mxd_layer(4096, 8, 16, 32);
  const torch::Tensor x = torch::randn({64, 16});
  const MoELayerOutput out = layer->forward(x, x);
  (out.hidden - torch::randn({64, 16})).pow(2).mean().backward();
  const torch::Tensor grad = layer->named_parameters()["modulations"].grad();
  const torch::Tensor touched = grad.abs().sum(1).gt(0);
  const torch::Tensor chosen = torch::zeros({4096}, torch::kBool).index_fill(0, out.routing.top_experts.reshape({-1}), true);
  EXPECT_TRUE(torch::equal(touched, chosen.logical_and(touched)));  // no row outside the chosen ones
  EXPECT_GT(touched.sum().item<int64_t>(), 0);
}

TEST(MxD, AStudentTrainsAndIsTraced) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = test::traced_family_run(dir, store, "mxd");
  const RunSummary summary = store.run(id);
  EXPECT_EQ(summary.family, "mxd");
  EXPECT_GT(summary.test_score("student"), 0.25);  // four classes
}

TEST(MxD, ATreeGateGivesEachLeafItsDecoderAndIsTracedAsTrees) {
  ModelConfig config;
  config.family = "mxd";
  config.family_options = {{"gate", "tree"}, {"depth", 5}, {"trees", 2}};
  config.top_k = 3;
  normalize_family_config(config);
  EXPECT_EQ(config.experts, 64);  // one decoder per leaf: 2 trees x 2^5
  torch::manual_seed(4);
  MoELayerOptions o{10, 10, config.experts, 24, 3, 0.0, "mxd", config.family_options};
  o.residual_norm = false;
  MoELayer layer(o);
  ASSERT_TRUE(layer->router_as<NDTRouterImpl>());
  const torch::Tensor x = torch::randn({32, 10});
  const MoELayerOutput out = layer->forward(x, x);
  EXPECT_TRUE(out.routing.top_experts.lt(64).all().item<bool>());
  EXPECT_TRUE(out.routing.record("decisions").defined());  // what the store's tree tables keep
  // The same factorised mixture whatever the gate: the chosen decoders weighted by the gate.
  auto& bank = dynamic_cast<MixtureOfDecodersBank&>(layer->experts());
  torch::Tensor expected = layer->named_parameters()["output_bias"].expand({32, 10}).clone();
  for (int64_t k = 0; k < 3; ++k)
    for (int64_t row = 0; row < 32; ++row)
      expected[row] += out.routing.top_weights[row][k] * bank.forward(out.routing.top_experts[row][k].item<int64_t>(), x[row].unsqueeze(0))[0];
  EXPECT_TRUE(torch::allclose(out.hidden, expected, 1e-4, 1e-5));

  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const RunSummary summary = store.run(test::traced_family_run(dir, store, "mxd", {{"gate", "tree"}, {"depth", 2}}));
  EXPECT_TRUE(summary.has_trees());
  EXPECT_GT(summary.test_score("student"), 0.25);
}
