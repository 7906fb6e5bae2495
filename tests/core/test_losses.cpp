#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>

#include "ndtmoe/train/distillation_loss.h"
#include "ndtmoe/train/metrics.h"
#include "ndtmoe/train/trainer.h"

using namespace ndtmoe;

TEST(Distillation, KlLossMatchesHandComputation) {
  // One sample, T = 2: student logits (2, 0), teacher logits (0, 2).
  // p_t = softmax(0, 1) = (1/(1+e), e/(1+e)); p_s = softmax(1, 0) = (e/(1+e), 1/(1+e)).
  const double e = std::exp(1.0);
  const double pt0 = 1 / (1 + e), pt1 = e / (1 + e), ps0 = e / (1 + e), ps1 = 1 / (1 + e);
  const double kl = pt0 * std::log(pt0 / ps0) + pt1 * std::log(pt1 / ps1);
  torch::Tensor loss = kd_kl_loss(torch::tensor({{2.0, 0.0}}, torch::kFloat64), torch::tensor({{0.0, 2.0}}, torch::kFloat64), 2.0);
  EXPECT_NEAR(loss.item<double>(), 4.0 * kl, 1e-12);
  // Identical logits: zero.
  EXPECT_NEAR(kd_kl_loss(torch::tensor({{1.0, 3.0}}), torch::tensor({{1.0, 3.0}}), 3.0).item<float>(), 0.0f, 1e-7);
}

TEST(Distillation, TotalCombinesTheTermsWithTheirWeights) {
  PredictorOutput student;
  student.output = torch::tensor({{2.0, 0.0}, {0.5, 0.5}}, torch::kFloat64);
  student.load_balance = torch::tensor(1.5, torch::kFloat64);
  student.z_loss = torch::tensor(0.25, torch::kFloat64);
  torch::Tensor y = torch::tensor({0L, 1L});
  torch::Tensor teacher = torch::tensor({{0.0, 2.0}, {1.0, 0.0}}, torch::kFloat64);
  LossWeights w;
  w.alpha = 0.3;
  w.temperature = 2.0;
  w.lambda_lb = 0.1;
  w.lambda_z = 0.01;
  LossTerms terms = distillation_loss(student, y, teacher, {}, {}, TaskKind::Classification, w);
  const double task = torch::nn::functional::cross_entropy(student.output, y).item<double>();
  const double kd = kd_kl_loss(student.output, teacher, 2.0).item<double>();
  EXPECT_NEAR(terms.total.item<double>(), 0.3 * task + 0.7 * kd + 0.1 * 1.5 + 0.01 * 0.25, 1e-12);
  EXPECT_NEAR(terms.terms.at("task").item<double>(), task, 1e-12);
  // Without a teacher the task loss carries full weight.
  LossTerms alone = distillation_loss(student, y, {}, {}, {}, TaskKind::Classification, w);
  EXPECT_NEAR(alone.total.item<double>(), task + 0.1 * 1.5 + 0.01 * 0.25, 1e-12);
}

TEST(Distillation, RegressionUsesSquaredErrors) {
  PredictorOutput student;
  student.output = torch::tensor({{1.0}, {3.0}}, torch::kFloat64);
  LossWeights w;
  w.alpha = 0.5;
  LossTerms terms = distillation_loss(student, torch::tensor({0.0, 3.0}, torch::kFloat64), torch::tensor({{2.0}, {3.0}}, torch::kFloat64),
                                      {}, {}, TaskKind::Regression, w);
  // task = (1 + 0) / 2 = 0.5; distill = (1 + 0) / 2 = 0.5.
  EXPECT_NEAR(terms.total.item<double>(), 0.5, 1e-12);
}

TEST(Metrics, ClassificationAndRegressionByHand) {
  torch::Tensor logits = torch::tensor({{2.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 0.0f}, {0.0f, 3.0f}});
  torch::Tensor y = torch::tensor({0L, 1L, 1L, 1L});
  auto m = compute_metrics(logits, y, TaskKind::Classification);
  EXPECT_DOUBLE_EQ(m["accuracy"], 0.75);
  // class 0: tp 1 fp 1 fn 0 -> F1 2/3; class 1: tp 2 fp 0 fn 1 -> 4/5.
  EXPECT_NEAR(m["macro_f1"], (2.0 / 3 + 0.8) / 2, 1e-9);
  // Scores for class 1: sample 3 (neg) lowest... positives {1,2,3}, negative {0}: every positive outranks it.
  EXPECT_NEAR(m["auroc"], 1.0, 1e-9);
  auto r = compute_metrics(torch::tensor({1.0f, 2.0f, 3.0f}), torch::tensor({1.0f, 2.0f, 5.0f}), TaskKind::Regression);
  EXPECT_NEAR(r["rmse"], std::sqrt(4.0 / 3), 1e-6);
  // var(y) = ((1-8/3)^2 + (2-8/3)^2 + (5-8/3)^2) / 3 = 26/9.
  EXPECT_NEAR(r["r2"], 1 - (4.0 / 3) / (26.0 / 9), 1e-6);
}

TEST(Metrics, AurocGivesHalfCreditForTies) {
  EXPECT_NEAR(auroc(torch::tensor({0.5, 0.5}), torch::tensor({true, false})), 0.5, 1e-12);
  EXPECT_NEAR(auroc(torch::tensor({0.1, 0.4, 0.35, 0.8}), torch::tensor({false, false, true, true})), 0.75, 1e-12);
}

namespace {

TrainingSet blobs(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  torch::Tensor y = torch::randint(0, 3, {n}, torch::kLong);
  torch::Tensor x = torch::randn({n, 5}) * 0.5;
  x.select(1, 0).add_(y.to(torch::kFloat32) * 2);
  return TrainingSet{x, y, {}, {}, {}};
}

ModelConfig small_student() {
  ModelConfig c;
  c.in_features = 5;
  c.out_features = 3;
  c.d_model = 16;
  c.experts = 4;
  c.kind = ModelKind::Mixture;
  c.family_options = {{"depth", 2}};
  c.expert_hidden = 16;
  return c;
}

}  // namespace

TEST(Trainer, LearnsSeparableBlobsAndReportsEveryLossTerm) {
  TrainingSet train = blobs(256, 1), val = blobs(64, 2);
  torch::manual_seed(0);
  TrainOptions o;
  o.epochs = 15;
  o.batch_size = 32;
  o.log_every = 4;
  Trainer trainer(make_predictor(small_student()), TaskKind::Classification, o, torch::kCPU, "student");
  std::vector<TrainProgress> seen;
  TrainResult r = trainer.fit(train, val, [&](const TrainProgress& p) { seen.push_back(p); });
  EXPECT_FALSE(seen.empty());
  EXPECT_TRUE(seen.back().epoch_end);
  EXPECT_GT(seen.back().metrics.at("accuracy"), 0.9);
  for (const char* term : {"task", "load_balance", "z_loss", "total"}) EXPECT_TRUE(seen.front().losses.count(term)) << term;
  EXPECT_GT(r.best_epoch, 0);
}

TEST(Trainer, SameSeedSameDeviceGivesIdenticalWeights) {
  TrainingSet train = blobs(128, 1), val = blobs(32, 2);
  auto run = [&] {
    torch::manual_seed(7);
    PredictorPtr model = make_predictor(small_student());
    TrainOptions o;
    o.epochs = 3;
    o.batch_size = 16;
    o.seed = 7;
    Trainer(model, TaskKind::Classification, o, torch::kCPU, "s").fit(train, val);
    return model;
  };
  PredictorPtr a = run(), b = run();
  auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
}

TEST(Trainer, NaNInTheDataStopsWithStepAndTerm) {
  TrainingSet train = blobs(64, 1), val = blobs(16, 2);
  train.x[5][0] = std::nanf("");
  torch::manual_seed(0);
  TrainOptions o;
  o.epochs = 2;
  o.batch_size = 64;
  Trainer trainer(make_predictor(small_student()), TaskKind::Classification, o, torch::kCPU, "student");
  try {
    trainer.fit(train, val);
    FAIL() << "expected TrainingDiverged";
  } catch (const TrainingDiverged& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("step 1"), std::string::npos) << what;
    EXPECT_NE(what.find("NaN"), std::string::npos) << what;
    EXPECT_NE(what.find("'task'"), std::string::npos) << what;
  }
}

TEST(Trainer, CancellationStopsPromptly) {
  TrainingSet train = blobs(256, 1), val = blobs(16, 2);
  torch::manual_seed(0);
  TrainOptions o;
  o.epochs = 1000;
  o.batch_size = 16;
  o.log_every = 1;
  std::atomic<bool> cancel{false};
  Trainer trainer(make_predictor(small_student()), TaskKind::Classification, o, torch::kCPU, "student");
  TrainResult r = trainer.fit(train, val, [&](const TrainProgress& p) { if (p.step >= 5) cancel = true; }, &cancel);
  EXPECT_TRUE(r.cancelled);
  EXPECT_LT(r.epochs_run, 2);
}

TEST(Trainer, EarlyStoppingRestoresTheBestWeights) {
  TrainingSet train = blobs(128, 1), val = blobs(32, 2);
  torch::manual_seed(0);
  TrainOptions o;
  o.epochs = 200;
  o.patience = 3;
  o.lr = 0.05;  // high enough that validation loss turns up and patience runs out
  Trainer trainer(make_predictor(small_student()), TaskKind::Classification, o, torch::kCPU, "student");
  TrainResult r = trainer.fit(train, val);
  EXPECT_TRUE(r.stopped_early);
  EXPECT_LT(r.epochs_run, 200);
  EXPECT_EQ(r.epochs_run - r.best_epoch, 3);
}
