#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "ndtmoe/data/quantile_scale.h"
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

TEST(QuantileScale, MapsTrainingRanksOntoAStandardNormalAndBack) {
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) values.push_back(std::exp(0.002 * i));  // heavily skewed
  const std::vector<double> q = fit_quantiles(values, kMaxQuantiles);
  ASSERT_EQ(q.size(), 1000u);
  ASSERT_TRUE(valid_quantiles(q));
  double sum = 0, sum_sq = 0, last = -INFINITY;
  for (double v : values) {
    const double z = quantile_encode(q, v);
    ASSERT_GE(z, last);  // monotone
    last = z;
    sum += z, sum_sq += z * z;
    EXPECT_NEAR(quantile_decode(q, z), v, 1e-6 * v);
  }
  EXPECT_NEAR(sum / 5000, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sum_sq / 5000), 1.0, 0.1);
  EXPECT_NEAR(quantile_encode(q, values[2500]), 0.0, 0.01);  // the median
  // Outside the training range: the ends, never infinite.
  EXPECT_NEAR(quantile_encode(q, -1e9), quantile_encode(q, values.front()), 1e-9);
  EXPECT_NEAR(quantile_encode(q, 1e300), quantile_encode(q, values.back()), 1e-9);
  EXPECT_LT(quantile_encode(q, values.back()), 3.3);
  // Tied training values share the middle of their ranks.
  const std::vector<double> tied = fit_quantiles({1, 2, 2, 2, 3}, 1000);
  EXPECT_NEAR(quantile_encode(tied, 2), 0.0, 1e-9);
  EXPECT_FALSE(valid_quantiles({1.0}));
  EXPECT_FALSE(valid_quantiles({2.0, 1.0}));
  EXPECT_FALSE(valid_quantiles({1.0, NAN}));
}

TEST(Preprocessor, QuantileScalingIsLearnedOnTrainingRowsAndSavedWithTheRun) {
  Dataset wine = make_dataset(read_csv(ndtmoe::test::shared_data("wine.csv")), "");
  const Preprocessor p = Preprocessor::fit(wine, kDefaultMaxCategories, NumericScaling::Quantile);
  const torch::Tensor x = p.encode_features(wine);
  for (int64_t c = 0; c < x.size(1); ++c) {
    EXPECT_NEAR(x.select(1, c).mean().item<double>(), 0.0, 0.05) << p.encoded_names()[c];
    EXPECT_NEAR(x.select(1, c).std().item<double>(), 1.0, 0.1) << p.encoded_names()[c];
  }
  const Preprocessor loaded = Preprocessor::from_json(p.to_json());
  EXPECT_TRUE(torch::equal(loaded.encode_features(wine), x));
  // A damaged file's quantiles are refused with the feature named.
  nlohmann::json j = p.to_json();
  j["features"][2]["quantiles"] = {3.0, 1.0};
  try {
    Preprocessor::from_json(j);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("features[2]"), std::string::npos) << e.what();
  }
  // Images stay standardized: per-pixel quantiles would break them apart.
  Dataset digits = make_dataset(read_csv(ndtmoe::test::shared_data("digits.csv")), "");
  declare_image(digits, {1, 8, 8});
  EXPECT_FALSE(Preprocessor::fit(digits, kDefaultMaxCategories, NumericScaling::Quantile).features()[10].quantile_scaled());
}

TEST(Dataset, ColumnNamesDeclareImagesOnlyOverACompleteGrid) {
  const Table digits = read_csv(ndtmoe::test::shared_data("digits.csv"));
  Dataset d = make_dataset(digits, "");
  EXPECT_EQ(image_shape_from_column_names(d.features), (std::vector<int64_t>{1, 8, 8}));
  auto named = [](std::vector<std::string> names) {
    Table t;
    for (auto& n : names) t.columns.push_back(Column{n, false, {}, {0.0}, false});
    return t;
  };
  std::vector<std::string> grid;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 5; ++c) grid.push_back("pixel_" + std::to_string(r) + "_" + std::to_string(c));
  EXPECT_EQ(image_shape_from_column_names(named(grid)), (std::vector<int64_t>{1, 4, 5}));
  std::vector<std::string> swapped = grid;
  std::swap(swapped[3], swapped[4]);
  EXPECT_TRUE(image_shape_from_column_names(named(swapped)).empty());
  std::vector<std::string> short_row(grid.begin(), grid.end() - 1);
  EXPECT_TRUE(image_shape_from_column_names(named(short_row)).empty());
  std::vector<std::string> mixed = grid;
  mixed[7] = "px_1_2";
  EXPECT_TRUE(image_shape_from_column_names(named(mixed)).empty());
  EXPECT_TRUE(image_shape_from_column_names(read_csv(ndtmoe::test::shared_data("wine.csv"))).empty());
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
