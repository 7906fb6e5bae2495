#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ndtmoe/model/entmax.h"
#include "test_support.h"

using namespace ndtmoe;

namespace {

torch::Tensor f64(std::initializer_list<double> v) { return torch::tensor(std::vector<double>(v), torch::kFloat64); }

// Central finite differences of sum(weights * f(x)) against autograd, in float64.
void expect_gradient_matches(const std::function<torch::Tensor(const torch::Tensor&)>& f, torch::Tensor x) {
  x = x.to(torch::kFloat64).detach().requires_grad_(true);
  torch::Tensor weights = torch::randn(f(x).sizes(), torch::kFloat64);
  torch::Tensor analytic = torch::autograd::grad({(f(x) * weights).sum()}, {x})[0];
  torch::Tensor numeric = torch::zeros_like(x);
  const double eps = 1e-6;
  auto flat = x.detach().reshape({-1});
  for (int64_t i = 0; i < flat.numel(); ++i) {
    torch::Tensor plus = flat.clone(), minus = flat.clone();
    plus[i] += eps;
    minus[i] -= eps;
    const double fp = (f(plus.view(x.sizes())) * weights).sum().item<double>();
    const double fm = (f(minus.view(x.sizes())) * weights).sum().item<double>();
    numeric.view({-1})[i] = (fp - fm) / (2 * eps);
  }
  EXPECT_TRUE(torch::allclose(analytic, numeric, 1e-5, 1e-6)) << "analytic\n" << analytic << "\nnumeric\n" << numeric;
}

}  // namespace

TEST(Sparsemax, MatchesHandComputedProjection) {
  // z = (1.0, 0.5, -1.0): support {0, 1}, tau = (1.5 - 1) / 2 = 0.25 -> (0.75, 0.25, 0).
  EXPECT_TRUE(torch::allclose(sparsemax(f64({1.0, 0.5, -1.0})), f64({0.75, 0.25, 0.0})));
  // A dominant score takes all the mass.
  EXPECT_TRUE(torch::allclose(sparsemax(f64({3.0, 0.0, 0.0})), f64({1.0, 0.0, 0.0})));
  // Ties share equally.
  EXPECT_TRUE(torch::allclose(sparsemax(f64({0.0, 0.0})), f64({0.5, 0.5})));
}

TEST(Entmax15, MatchesHandComputedCases) {
  // Two equal scores: (0.5, 0.5). z = (0, -10): only the first survives.
  EXPECT_TRUE(torch::allclose(entmax15(f64({0.0, 0.0})), f64({0.5, 0.5})));
  EXPECT_TRUE(torch::allclose(entmax15(f64({0.0, -10.0})), f64({1.0, 0.0})));
  // z = (1, 0): solve [(1/2 - tau)]^2 + [(0 - tau)]^2 = 1 with both in support:
  // tau = (0.5 - sqrt(2 - 0.25)) / 2 = (0.5 - 1.3229) / 2 = -0.41144; p = (0.91144^2, 0.41144^2).
  const double tau = (0.5 - std::sqrt(1.75)) / 2;
  EXPECT_TRUE(torch::allclose(entmax15(f64({1.0, 0.0})), f64({std::pow(0.5 - tau, 2), std::pow(tau, 2)}), 1e-9, 1e-9));
}

TEST(Entmax, OutputsAreDistributionsAndSparseAlongAnyDim) {
  torch::manual_seed(0);
  torch::Tensor z = torch::randn({4, 7, 5}) * 3;
  for (int64_t dim : {0, 1, 2, -1}) {
    for (const auto& p : {sparsemax(z, dim), entmax15(z, dim), entmax_bisect(z, 1.5, dim), entmax_bisect(z, 1.25, dim)}) {
      EXPECT_TRUE(torch::allclose(p.sum(dim), torch::ones({}), 1e-5, 1e-5)) << "dim " << dim;
      EXPECT_GE(p.min().item<float>(), 0.0f);
    }
  }
  // With a wide spread of scores sparsemax and entmax15 zero out the tail; softmax never does.
  torch::Tensor wide = torch::linspace(-5, 5, 11);
  EXPECT_GT((sparsemax(wide) == 0).sum().item<int64_t>(), 5);
  EXPECT_GT((entmax15(wide) == 0).sum().item<int64_t>(), 3);
}

TEST(Entmax, BisectionAgreesWithSortBasedSolutions) {
  torch::manual_seed(1);
  torch::Tensor z = torch::randn({16, 9}, torch::kFloat64) * 2;
  EXPECT_TRUE(torch::allclose(entmax_bisect(z, 1.5, -1, 60), entmax15(z), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(entmax_bisect(z, 2.0, -1, 60), sparsemax(z), 1e-6, 1e-6));
}

TEST(Entmax, WorksInFloat32AndFloat64) {
  torch::Tensor z = torch::randn({3, 6});
  EXPECT_EQ(entmax15(z).scalar_type(), torch::kFloat32);
  EXPECT_EQ(entmax15(z.to(torch::kFloat64)).scalar_type(), torch::kFloat64);
  EXPECT_TRUE(torch::allclose(entmax15(z).to(torch::kFloat64), entmax15(z.to(torch::kFloat64)), 1e-5, 1e-6));
}

TEST(Entmax, GradientsMatchFiniteDifferences) {
  torch::manual_seed(2);
  torch::Tensor z = torch::randn({3, 5}, torch::kFloat64);
  expect_gradient_matches([](const torch::Tensor& x) { return sparsemax(x, -1); }, z);
  expect_gradient_matches([](const torch::Tensor& x) { return entmax15(x, -1); }, z);
  expect_gradient_matches([](const torch::Tensor& x) { return entmax15(x, 0); }, z);
  expect_gradient_matches([](const torch::Tensor& x) { return entmax_bisect(x, 1.5, -1, 80); }, z);
  expect_gradient_matches([](const torch::Tensor& x) { return entmax_bisect(x, 1.3, -1, 80); }, z);
  expect_gradient_matches([](const torch::Tensor& x) { return entmoid15(x); }, torch::linspace(-2.5, 2.5, 9, torch::kFloat64));
}

TEST(Entmoid15, IsTheTwoClassEntmax15) {
  torch::Tensor x = torch::linspace(-4, 4, 33, torch::kFloat64);
  torch::Tensor pair = torch::stack({torch::zeros_like(x), x}, -1);
  EXPECT_TRUE(torch::allclose(entmoid15(x), entmax15(pair, -1).select(-1, 1), 1e-9, 1e-9));
  // Saturates exactly: entmoid15(x) = 1 for x >= 2 and 0 for x <= -2, and 1/2 at 0.
  EXPECT_EQ(entmoid15(f64({2.5})).item<double>(), 1.0);
  EXPECT_EQ(entmoid15(f64({-2.5})).item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(entmoid15(f64({0.0})).item<double>(), 0.5);
}

TEST(Entmax, RejectsBadArguments) {
  EXPECT_THROW(entmax_bisect(torch::randn({3}), 1.0), std::invalid_argument);
  EXPECT_THROW(entmax15(torch::tensor(1.0)), std::exception);
}

#include <fstream>
#include <nlohmann/json.hpp>

// Outputs and gradients recorded from the public deep-spin `entmax` package (see docs/entmax.md for how
// tests/data/entmax_reference.json was produced), on random float64 inputs along several dims.
TEST(Entmax, AgreesWithTheDeepSpinReferencePackage) {
  std::ifstream in(ndtmoe::test::test_data("entmax_reference.json"));
  ASSERT_TRUE(in) << "tests/data/entmax_reference.json missing";
  const nlohmann::json reference = nlohmann::json::parse(in);
  ASSERT_EQ(reference.at("cases").size(), 8u);
  for (const auto& c : reference.at("cases")) {
    const auto shape = c.at("shape").get<std::vector<int64_t>>();
    const int64_t dim = c.at("dim");
    auto tensor = [&](const char* key) { return torch::tensor(c.at(key).get<std::vector<double>>(), torch::kFloat64).view(shape); };
    torch::Tensor x = tensor("input").requires_grad_(true);
    const std::string fn = c.at("function");
    torch::Tensor y = fn == "sparsemax" ? sparsemax(x, dim) : entmax15(x, dim);
    (y * tensor("output_weights")).sum().backward();
    EXPECT_TRUE(torch::allclose(y, tensor("output"), 1e-4, 1e-6)) << fn << " dim " << dim;
    EXPECT_TRUE(torch::allclose(x.grad(), tensor("grad"), 1e-4, 1e-6)) << fn << " gradient, dim " << dim;
    // float32 stays within the same tolerance of the float64 reference.
    torch::Tensor y32 = fn == "sparsemax" ? sparsemax(tensor("input").to(torch::kFloat32), dim) : entmax15(tensor("input").to(torch::kFloat32), dim);
    EXPECT_TRUE(torch::allclose(y32.to(torch::kFloat64), tensor("output"), 1e-4, 1e-6)) << fn << " float32, dim " << dim;
  }
}
