#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ndtmoe/train/preprocessing.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/data/splits.h"
#include "test_support.h"

using namespace ndtmoe;

TEST(Preprocessor, ImputesOneHotEncodesAndStandardizesWithTrainingStatistics) {
  Dataset train = make_dataset(parse_csv("x,c,y\n1,red,a\n3,blue,b\n?,red,a\n5,?,b\n", "train.csv"), "y");
  Preprocessor p = Preprocessor::fit(train);
  EXPECT_EQ(p.encoded_names(), (std::vector<std::string>{"x", "c=blue", "c=red"}));
  torch::Tensor x = p.encode_features(train);
  // x: median of {1,3,5} = 3 fills the gap -> {1,3,3,5}, mean 3, sd sqrt(2).
  const float s = std::sqrt(2.0f);
  EXPECT_TRUE(torch::allclose(x.select(1, 0), torch::tensor({-2 / s, 0.0f, 0.0f, 2 / s}), 1e-6, 1e-6));
  // c: most frequent "red" fills the gap.
  EXPECT_TRUE(torch::equal(x.slice(1, 1, 3), torch::tensor({{0.0f, 1.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}, {0.0f, 1.0f}})));

  // Categories are matched by name: another file listing them in another order encodes the same.
  Dataset other = make_dataset(parse_csv("c,x,y\nred,3,b\nblue,1,a\n", "other.csv"), "y");
  torch::Tensor o = p.encode_features(other);
  EXPECT_TRUE(torch::equal(o.slice(1, 1, 3), torch::tensor({{0.0f, 1.0f}, {1.0f, 0.0f}})));
  EXPECT_TRUE(torch::equal(p.encode_targets(other), torch::tensor({1L, 0L})));

  Dataset unknown = make_dataset(parse_csv("x,c,y\n1,red,a\n1,green,b\n", "new.csv"), "y");
  try {
    p.encode_features(unknown);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("new.csv:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'green'"), std::string::npos) << e.what();
  }
  // Statistics survive JSON.
  Preprocessor q = Preprocessor::from_json(p.to_json());
  EXPECT_TRUE(torch::equal(q.encode_features(train), x));
}

TEST(Preprocessor, StandardizesRegressionTargetsAndRestoresThem) {
  Dataset d = make_dataset(parse_csv("x,y\n1,10.5\n2,20.25\n3,30.125\n4,41.75\n5,52.5\n", "r.csv"), "", TaskChoice::Regression);
  Preprocessor p = Preprocessor::fit(d);
  torch::Tensor y = p.encode_targets(d);
  EXPECT_NEAR(y.mean().item<float>(), 0.0f, 1e-6);
  EXPECT_TRUE(torch::allclose(p.restore_target(y), torch::tensor({10.5f, 20.25f, 30.125f, 41.75f, 52.5f}), 1e-4, 1e-5));
}

TEST(Splits, StratifiedKFoldPartitionsRowsAndKeepsClassShares) {
  std::vector<int64_t> labels;
  for (int i = 0; i < 100; ++i) labels.push_back(i < 70 ? 0 : (i < 90 ? 1 : 2));
  auto folds = stratified_kfold(labels, 100, 5, 0);
  std::multiset<int64_t> tested;
  for (const auto& f : folds) {
    EXPECT_EQ(f.test.size(), 20u);
    EXPECT_EQ(f.train.size() + f.test.size(), 100u);
    tested.insert(f.test.begin(), f.test.end());
    int per_class[3] = {0, 0, 0};
    for (int64_t r : f.test) ++per_class[labels[r]];
    EXPECT_EQ(per_class[0], 14);
    EXPECT_EQ(per_class[1], 4);
    EXPECT_EQ(per_class[2], 2);
  }
  EXPECT_EQ(tested.size(), 100u);
  EXPECT_EQ(std::set<int64_t>(tested.begin(), tested.end()).size(), 100u);
  // Same seed, same folds; another seed, other folds.
  EXPECT_EQ(stratified_kfold(labels, 100, 5, 0)[2].test, folds[2].test);
  EXPECT_NE(stratified_kfold(labels, 100, 5, 1)[2].test, folds[2].test);
  EXPECT_THROW(stratified_kfold(labels, 100, 1, 0), std::invalid_argument);
}

TEST(Splits, HoldoutIsStratifiedAndSized) {
  std::vector<int64_t> labels(200, 0);
  for (int i = 0; i < 50; ++i) labels[i] = 1;
  Split s = stratified_holdout(labels, 200, 0.2, 3);
  EXPECT_EQ(s.test.size(), 40u);
  int positives = 0;
  for (int64_t r : s.test) positives += labels[r];
  EXPECT_EQ(positives, 10);
}

TEST(Preprocessor, NominalColumnWithoutAnyValueEncodesToNothing) {
  Dataset d = make_dataset(parse_csv("x,c,y\n1,?,a\n2,?,b\n3,?,a\n", "gap.csv"), "y");
  Preprocessor p = Preprocessor::fit(d);
  EXPECT_EQ(p.encoded_width(), 1);
  torch::Tensor x = p.encode_features(d);
  EXPECT_EQ(x.size(1), 1);
  EXPECT_FALSE(torch::isnan(x).any().item<bool>());
}

TEST(Preprocessor, ANominalFeatureWiderThanTheCategoryLimitIsRefusedByName) {
  std::string csv = "id,x,y\n";
  for (int r = 0; r < 30; ++r) csv += "v" + std::to_string(r) + "," + std::to_string(r) + "," + (r % 2 ? "a" : "b") + "\n";
  const Dataset data = make_dataset(parse_csv(csv, "ids.csv"), "y");
  try {
    Preprocessor::fit(data, 20);
    FAIL() << "30 categories passed a limit of 20";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ids.csv: nominal feature 'id' has 30 categories, more than --max-categories 20"), std::string::npos) << what;
    EXPECT_NE(what.find("--text id"), std::string::npos) << what;
  }
  EXPECT_EQ(Preprocessor::fit(data, 30).encoded_width(), 31);  // at the limit: 30 one-hot columns and x
}
