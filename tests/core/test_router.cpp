#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ndtmoe/model/moe_layer.h"
#include "ndtmoe/model/ndt_family.h"
#include "ndtmoe/model/predictor.h"

using namespace ndtmoe;

namespace {

NDTRouter tree_router(MoELayer layer) { return NDTRouter(layer->router_as<NDTRouterImpl>()); }
FeedForwardExpert expert_of(MoELayer layer, int64_t j) { return dynamic_cast<FeedForwardExpertBank&>(layer->experts()).expert(j); }

}  // namespace

TEST(NDTRouter, LeafProbabilitiesSumToOnePerTree) {
  torch::manual_seed(0);
  for (auto mode : {LeafExpertMode::Linear, LeafExpertMode::Sparse}) {
    NDTRouter router(NDTRouterOptions(10, 6).depth(4).trees(3).top_k(2).leaf_mode(mode));
    router->train();
    RoutingDecision r = router->forward(torch::randn({64, 10}));
    EXPECT_EQ(r.record(kLeafProbsRecord).sizes(), (std::vector<int64_t>{64, 3, 16}));
    EXPECT_TRUE(torch::allclose(r.record(kLeafProbsRecord).sum(-1), torch::ones({64, 3}), 1e-5, 1e-5));
    EXPECT_TRUE(torch::allclose(r.probs.sum(-1), torch::ones({64}), 1e-4, 1e-4));
    EXPECT_TRUE(torch::allclose(r.top_weights.sum(-1), torch::ones({64}), 1e-5, 1e-5));
  }
}

TEST(NDTRouter, LeafIndexBitsFollowTheLevelDecisions) {
  // A hand-built depth-2 tree: level 0 looks only at feature 0 (threshold 0), level 1 only at feature 1
  // (threshold 1); cold temperatures make the decisions crisp.
  torch::manual_seed(0);
  NDTRouter router(NDTRouterOptions(2, 4).depth(2).trees(1).top_k(1).leaf_mode(LeafExpertMode::Identity));
  {
    torch::NoGradGuard no_grad;
    auto params = router->named_parameters();
    params["selector_logits"].copy_(torch::tensor({{{50.0f, 0.0f}, {0.0f, 50.0f}}}));
    params["thresholds"].copy_(torch::tensor({{0.0f, 1.0f}}));
    params["log_temperatures"].fill_(-3.0f);
    router->named_buffers()["initialized"].fill_(true);
  }
  router->eval();
  // Sample (x0, x1): bit0 = x0 > 0, bit1 = x1 > 1; leaf = bit0 + 2 * bit1.
  torch::Tensor x = torch::tensor({{-1.0f, 0.0f}, {1.0f, 0.0f}, {-1.0f, 2.0f}, {1.0f, 2.0f}});
  RoutingDecision r = router->forward(x);
  EXPECT_TRUE(torch::equal(r.top_experts.squeeze(1), torch::arange(4)));
  EXPECT_TRUE(torch::allclose(r.record(kLeafProbsRecord).squeeze(1), torch::eye(4), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(r.record(kSplitValuesRecord).squeeze(1), x, 1e-5, 1e-5));
}

TEST(NDTRouter, DataAwareInitialisationKeepsSplitsAlive) {
  torch::manual_seed(3);
  NDTRouter router(NDTRouterOptions(8, 4).depth(3).trees(2).top_k(2));
  router->train();
  torch::Tensor x = torch::randn({512, 8}) * 5 + 2;  // far from the zero thresholds of a fresh router
  EXPECT_FALSE(router->initialized());
  RoutingDecision r = router->forward(x);
  EXPECT_TRUE(router->initialized());
  // Every level splits the batch: neither all-left nor all-right, and decisions are not all saturated.
  torch::Tensor right_share = (r.record(kDecisionsRecord) > 0.5).to(torch::kFloat32).mean(0);
  EXPECT_GT(right_share.min().item<float>(), 0.0f);
  EXPECT_LT(right_share.max().item<float>(), 1.0f);
  torch::Tensor soft = ((r.record(kDecisionsRecord) > 0) & (r.record(kDecisionsRecord) < 1)).to(torch::kFloat32).mean();
  EXPECT_GT(soft.item<float>(), 0.5f);
}

TEST(NDTRouter, IdentityModeNeedsOneExpertPerLeaf) {
  EXPECT_THROW(NDTRouter(NDTRouterOptions(4, 5).depth(2).leaf_mode(LeafExpertMode::Identity)), std::invalid_argument);
  EXPECT_THROW(NDTRouter(NDTRouterOptions(4, 4).depth(2).top_k(5)), std::invalid_argument);
}

TEST(MoELayer, UnselectedExpertsGetNoSamplesAndNoComputation) {
  torch::manual_seed(0);
  // Identity mode with crisp routing by the sign of feature 0: only experts 0 and 1 can be chosen at top-1.
  MoELayerOptions options{8, 8, 4, 128, 1, 0.0, "ndt", {{"depth", 2}, {"trees", 1}, {"leaf_mode", "identity"}}};
  MoELayer layer(options);
  {
    torch::NoGradGuard no_grad;
    auto params = tree_router(layer)->named_parameters();
    torch::Tensor logits = torch::zeros({1, 2, 8});
    logits[0][0][0] = 50;  // level 0 reads feature 0
    logits[0][1][1] = 50;  // level 1 reads feature 1
    params["selector_logits"].copy_(logits);
    params["thresholds"].copy_(torch::tensor({{0.0f, 100.0f}}));  // level 1 always goes left
    params["log_temperatures"].fill_(-3.0f);
    tree_router(layer)->named_buffers()["initialized"].fill_(true);
  }
  torch::Tensor x = torch::randn({32, 8});
  MoELayerOutput out = layer->forward(x, x);
  const torch::Tensor counts = out.expert_counts;
  EXPECT_EQ(counts[2].item<int64_t>(), 0);
  EXPECT_EQ(counts[3].item<int64_t>(), 0);
  EXPECT_EQ((counts[0] + counts[1]).item<int64_t>(), 32);
  EXPECT_EQ(counts[1].item<int64_t>(), (x.select(1, 0) > 0).sum().item<int64_t>());
  out.hidden.sum().backward();
  // Experts that never ran have no gradient at all: they were not part of the graph.
  for (int64_t j : {2, 3})
    for (auto& p : expert_of(layer, j)->parameters()) EXPECT_FALSE(p.grad().defined()) << "expert " << j;
  for (int64_t j : {0, 1})
    for (auto& p : expert_of(layer, j)->parameters()) EXPECT_TRUE(p.grad().defined()) << "expert " << j;
}

TEST(MoELayer, SparseDispatchEqualsDenseMixture) {
  torch::manual_seed(5);
  MoELayerOptions options{6, 6, 5, 128, 2, 0.0, "ndt", {{"depth", 3}, {"trees", 1}, {"leaf_mode", "linear"}}};
  MoELayer layer(options);
  layer->eval();
  torch::Tensor x = torch::randn({40, 6});
  tree_router(layer)->initialize_from(x);
  MoELayerOutput out = layer->forward(x, x);
  // Reference: every expert densely, combined with the routing weights of the selected experts.
  torch::Tensor dense = torch::zeros_like(x);
  for (int64_t b = 0; b < 40; ++b)
    for (int64_t k = 0; k < 2; ++k) {
      const int64_t j = out.routing.top_experts[b][k].item<int64_t>();
      dense[b] += out.routing.top_weights[b][k] * expert_of(layer, j)->forward(x[b].unsqueeze(0)).squeeze(0);
    }
  torch::Tensor expected = torch::layer_norm(x + dense, {6});
  EXPECT_TRUE(torch::allclose(out.hidden, expected, 1e-4, 1e-5));
}

TEST(Losses, SwitchLoadBalanceMatchesHandComputation) {
  // 4 samples, 2 experts. Top-1: experts 0, 0, 0, 1 -> f = (0.75, 0.25).
  torch::Tensor probs = torch::tensor({{0.9f, 0.1f}, {0.6f, 0.4f}, {0.7f, 0.3f}, {0.2f, 0.8f}});
  torch::Tensor top = torch::tensor({{0L}, {0L}, {0L}, {1L}});
  // P = (0.6, 0.4); loss = 2 * (0.75 * 0.6 + 0.25 * 0.4) = 1.1
  EXPECT_NEAR(switch_load_balance_loss(probs, top).item<float>(), 1.1f, 1e-6);
  // Perfect balance gives exactly 1.
  torch::Tensor uniform = torch::full({4, 2}, 0.5f);
  EXPECT_NEAR(switch_load_balance_loss(uniform, torch::tensor({{0L}, {1L}, {0L}, {1L}})).item<float>(), 1.0f, 1e-6);
}

TEST(Losses, RouterZLossMatchesHandComputation) {
  torch::Tensor logits = torch::tensor({{0.0f, 0.0f}, {std::log(3.0f), 0.0f}});
  // logsumexp = log 2 and log 4.
  const double expected = (std::pow(std::log(2.0), 2) + std::pow(std::log(4.0), 2)) / 2;
  EXPECT_NEAR(router_z_loss(logits).item<float>(), expected, 1e-5);
}

TEST(MoEModel, AllRouterInputsDenseConnectionsAndHeads) {
  torch::manual_seed(0);
  for (auto input : {RouterInput::Input, RouterInput::Hidden, RouterInput::Both})
    for (bool dense : {false, true})
      for (bool mean_head : {false, true}) {
        ModelConfig c;
        c.in_features = 7;
        c.out_features = 3;
        c.layers = 3;
        c.experts = 4;
        c.router_input = input;
        c.dense_connections = dense;
        c.head_on_mean = mean_head;
        PredictorPtr model = make_predictor(c);
        PredictorOutput out = model->run(torch::randn({16, 7}));
        EXPECT_EQ(out.output.sizes(), (std::vector<int64_t>{16, 3}));
        EXPECT_EQ(out.routing.size(), 3u);
        out.output.sum().backward();
      }
}

#include "ndtmoe/model/leaf_probabilities.h"

TEST(LeafProbabilities, FusedCpuKernelMatchesTensorOpsInValueAndGradient) {
  torch::manual_seed(4);
  for (int64_t depth : {1, 3, 6}) {
    // Include exactly saturated decisions, as entmoid15 produces them.
    torch::Tensor c = torch::rand({5, 3, depth}, torch::kFloat64);
    c[0][0][0] = 0.0;
    c[1][1][depth - 1] = 1.0;
    torch::Tensor a = c.clone().requires_grad_(true), b = c.clone().requires_grad_(true);
    torch::Tensor fused = leaf_probabilities(a), reference = leaf_probabilities_reference(b);
    EXPECT_TRUE(torch::allclose(fused, reference, 1e-12, 1e-12)) << "depth " << depth;
    torch::Tensor weights = torch::randn(fused.sizes(), torch::kFloat64);
    (fused * weights).sum().backward();
    (reference * weights).sum().backward();
    EXPECT_TRUE(torch::allclose(a.grad(), b.grad(), 1e-10, 1e-12)) << "depth " << depth;
  }
  // float32 goes through the same kernel.
  torch::Tensor c32 = torch::rand({4, 2, 4});
  EXPECT_TRUE(torch::allclose(leaf_probabilities(c32), leaf_probabilities_reference(c32), 1e-6, 1e-6));
}
