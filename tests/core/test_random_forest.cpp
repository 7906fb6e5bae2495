// The forest teacher: out-of-bag probabilities that a row's own label cannot reach, a rule learnt from
// rows it generalizes to, and a saved forest that predicts the same or is refused by field.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <numeric>

#include "ndtmoe/data/table.h"
#include "ndtmoe/train/random_forest.h"
#include "test_support.h"

using namespace ndtmoe;

namespace {

// Three classes from an axis-aligned rule on the first two of four features; the last two are noise.
std::pair<torch::Tensor, torch::Tensor> rule_rows(int64_t rows, uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor x = torch::rand({rows, 4}) * 2 - 1;
  const torch::Tensor y = (x.select(1, 0) > 0).to(torch::kLong) + (x.select(1, 1) > 0.5).to(torch::kLong);
  return {x, y};
}

double accuracy(const torch::Tensor& probabilities, const torch::Tensor& y) {
  return probabilities.argmax(1).eq(y).to(torch::kDouble).mean().item<double>();
}

}  // namespace

TEST(Forest, ARowsOutOfBagProbabilitiesDoNotDependOnItsOwnLabel) {
  auto [x, y] = rule_rows(200, 1);
  const RandomForest forest(x, y, 3, {50, 7});
  const torch::Tensor oob = forest.out_of_bag_probabilities();
  ASSERT_EQ(oob.sizes(), (std::vector<int64_t>{200, 3}));
  EXPECT_TRUE(torch::allclose(oob.sum(1), torch::ones({200}), 1e-5, 1e-5));

  const int64_t row = 17;
  torch::Tensor flipped = y.clone();
  flipped[row] = (y[row].item<int64_t>() + 1) % 3;
  const RandomForest other(x, flipped, 3, {50, 7});
  // The trees that drew the row learnt its new label; the trees that did not are the same trees.
  EXPECT_TRUE(torch::equal(other.out_of_bag_probabilities()[row], oob[row]));
  EXPECT_FALSE(torch::equal(other.probabilities(x.slice(0, row, row + 1)), forest.probabilities(x.slice(0, row, row + 1))));

  // With every tenth label wrong, in-bag probabilities repeat the wrong labels; out-of-bag ones cannot.
  torch::Tensor noisy = y.clone();
  for (int64_t r = 0; r < 200; r += 10) noisy[r] = (y[r].item<int64_t>() + 1) % 3;
  const RandomForest fits(x, noisy, 3, {50, 7});
  EXPECT_GT(accuracy(fits.probabilities(x), noisy), 0.97);
  EXPECT_LT(accuracy(fits.out_of_bag_probabilities(), noisy), 0.92);
}

TEST(Forest, LearnsARuleThatHoldsOnRowsItNeverSaw) {
  auto [x, y] = rule_rows(600, 2);
  auto [test_x, test_y] = rule_rows(400, 3);
  const RandomForest forest(x, y, 3);
  EXPECT_EQ(forest.trees(), 200);
  EXPECT_GT(accuracy(forest.probabilities(test_x), test_y), 0.93);
  EXPECT_GT(accuracy(forest.out_of_bag_probabilities(), y), 0.9);
  EXPECT_THROW(forest.probabilities(torch::zeros({2, 5})), std::invalid_argument);
  EXPECT_THROW(RandomForest(x, y.clamp_max(1) + 2, 3), std::invalid_argument);  // a label past the classes
}

TEST(Forest, CountsEveryTreeItGrowsAndStopsBetweenTreesWhenCancelled) {
  auto [x, y] = rule_rows(100, 5);
  std::vector<int64_t> heard;
  const RandomForest forest(x, y, 3, {12, 0}, [&](int64_t grown) { heard.push_back(grown); });
  std::vector<int64_t> every_tree(12);
  std::iota(every_tree.begin(), every_tree.end(), 1);
  EXPECT_EQ(heard, every_tree);

  std::atomic<bool> cancel{false};
  const RandomForest stopped(x, y, 3, {12, 0}, [&](int64_t grown) { cancel = grown == 5; }, &cancel);
  EXPECT_EQ(stopped.trees(), 5);
}

TEST(Forest, ASavedForestPredictsTheSameAndADamagedOneIsRefusedByField) {
  ndtmoe::test::ScratchDir dir;
  auto [x, y] = rule_rows(150, 4);
  const RandomForest forest(x, y, 3, {20, 0});
  const std::string path = dir.path() + "/teacher.forest.pt";
  forest.save(path);
  const RandomForest loaded = RandomForest::load(path);
  EXPECT_EQ(loaded.trees(), 20);
  EXPECT_TRUE(torch::equal(loaded.probabilities(x), forest.probabilities(x)));

  // A child that points back at its parent would make a walk loop forever.
  torch::serialize::OutputArchive archive;
  archive.write("shape", torch::tensor({int64_t{4}, int64_t{3}}, torch::kLong));
  archive.write("feature", torch::tensor({0, -1, -1}, torch::kInt));
  archive.write("threshold", torch::zeros({3}));
  archive.write("left", torch::tensor({0, -1, -1}, torch::kInt));
  archive.write("right", torch::tensor({2, -1, -1}, torch::kInt));
  archive.write("leaf_offset", torch::tensor({int64_t{-1}, int64_t{0}, int64_t{3}}, torch::kLong));
  archive.write("leaf_shares", torch::tensor({1.f, 0.f, 0.f, 0.f, 1.f, 0.f}));
  archive.write("roots", torch::tensor({0}, torch::kInt));
  const std::string looped = dir.path() + "/looped.pt";
  archive.save_to(looped);
  try {
    RandomForest::load(looped);
    FAIL() << "a looping tree loaded";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(looped + ": forest teacher, left/right: node 0"), std::string::npos) << e.what();
  }
  std::filesystem::resize_file(path, 100);
  try {
    RandomForest::load(path);
    FAIL() << "a truncated forest loaded";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": cannot load the forest teacher"), std::string::npos) << e.what();
  }
}
