// Token-level routing: the transformer student whose feed-forward blocks are MoE layers, text as data
// (byte tokens, builtin:words).

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/data/builtin_words.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/transformer.h"
#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/run_directory.h"
#include "run_fixtures.h"
#include "token_fixtures.h"
#include "test_support.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

namespace {

ModelConfig token_student(const std::string& family, int64_t features = 6) {
  ModelConfig c;
  c.kind = ModelKind::TransformerMixture;
  c.in_features = features;
  c.out_features = 3;
  c.d_token = 16;
  c.heads = 2;
  c.blocks = 2;
  c.experts = 4;
  c.top_k = 2;
  c.expert_hidden = 16;
  c.family = family;
  if (family == "ndt") c.family_options = {{"depth", 2}};
  return c;
}

ExperimentConfig token_experiment() {
  ExperimentConfig c = test::tiny_student_config();
  test::use_token_student(c);
  c.student.patch = 7;
  return c;
}

}  // namespace

TEST(TokenStudent, EveryFamilyRoutesEachTokenAndTrains) {
  for (const Family* family : registered_families()) {
    SCOPED_TRACE(family->name);
    if (family->make_model) {  // a whole model of its own (imoie): no transformer block can hold it
      EXPECT_THROW(make_predictor(token_student(family->name)), std::invalid_argument);
      continue;
    }
    torch::manual_seed(0);
    auto model = std::dynamic_pointer_cast<TransformerModel>(make_predictor(token_student(family->name)));
    ASSERT_TRUE(model);
    EXPECT_EQ(model->moe_layer_count(), 2);
    EXPECT_EQ(model->routed_tokens(), 6);
    const torch::Tensor x = torch::randn({5, 6});
    PredictorOutput out = model->run(x);
    ASSERT_EQ(out.routing.size(), 2u);
    EXPECT_EQ(out.routing[0].decision.top_experts.sizes(), (std::vector<int64_t>{30, 2}));  // 5 samples x 6 tokens
    EXPECT_TRUE(out.routing[0].decision.top_experts.ge(0).all().item<bool>());
    const RoutingDecision& decision = out.routing[0].decision;  // weights as the family weighs its choice
    EXPECT_TRUE(torch::allclose(decision.top_weights, model->moe_layer(0)->router()->weigh_selected(decision.logits.gather(1, decision.top_experts))));
    // The routing losses reach what the router scores with (its own parameters, or for moe-x the
    // experts' weights it reads): load balancing is per token.
    (torch::nn::functional::cross_entropy(out.output, torch::tensor({0, 1, 2, 0, 1})) + out.load_balance).backward();
    const auto router_parameters = model->moe_layer(0)->router()->parameters();
    const torch::Tensor scored = router_parameters.empty() ? model->moe_layer(0)->named_parameters()["expert0.fc_in.weight"]
                                                           : router_parameters.front();
    ASSERT_TRUE(scored.grad().defined());
    EXPECT_GT(scored.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST(TokenStudent, MoeEveryOtherBlockAsInSwitch) {
  ModelConfig c = token_student("linear");
  c.blocks = 4;
  c.moe_every = 2;
  auto model = std::dynamic_pointer_cast<TransformerModel>(make_predictor(c));
  EXPECT_EQ(model->moe_layer_count(), 2);
  EXPECT_EQ(model->config().layers, 2);
  const auto names = model->named_parameters().keys();
  const auto has = [&](const std::string& prefix) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("block0.ffn_in"));
  EXPECT_TRUE(has("block1.moe."));
  EXPECT_TRUE(has("block2.ffn_in"));
  EXPECT_TRUE(has("block3.moe."));
  c.moe_every = 5;
  EXPECT_THROW(make_predictor(c), std::invalid_argument);  // no block would be MoE
}

TEST(TokenStudent, PaddingBytesAreMaskedAndNotRouted) {
  ModelConfig c = token_student("ndt", 4);
  c.text_length = 4;
  auto model = std::dynamic_pointer_cast<TransformerModel>(make_predictor(c));
  // "ab" and "abcd" as byte codes (byte + 1; 0 pads).
  const torch::Tensor x = torch::tensor({98.f, 99.f, 0.f, 0.f, 98.f, 99.f, 100.f, 101.f}).view({2, 4});
  const torch::Tensor values = model->token_values(x);
  EXPECT_TRUE(values.equal(torch::tensor({97, 98, -1, -1, 97, 98, 99, 100}, torch::kLong).view({2, 4})));
  model->eval();
  PredictorOutput out = model->run(x);
  const torch::Tensor experts = out.routing[0].decision.top_experts.select(1, 0).view({2, 4});
  EXPECT_TRUE(experts.lt(0).equal(values.lt(0)));
  // What follows the text does not change the prediction: padding is masked out of attention and pooling.
  const torch::Tensor longer = torch::tensor({98.f, 99.f, 0.f, 0.f}).view({1, 4});
  EXPECT_TRUE(torch::allclose(model->run(longer).output[0], out.output[0], 1e-5, 1e-6));
}

TEST(TokenStudent, TrainsOnTabularImageAndTextData) {
  for (const std::string source : {"builtin:rule-tree", "builtin:fashion-mnist-test", "builtin:words"}) {
    SCOPED_TRACE(source);
    const DataDescription description = DataDescription::holdout(source, 300);
    const Dataset data = description.load();
    Experiment ex = run_experiment(data, description.split(data), token_experiment());
    ASSERT_TRUE(ex.student);
    EXPECT_EQ(ex.student->config().kind, ModelKind::TransformerMixture);
    const auto& student = *std::dynamic_pointer_cast<MixturePredictor>(ex.student);
    const int64_t expected_tokens = source == "builtin:rule-tree" ? 8 : source == "builtin:words" ? 16 : 16;
    EXPECT_EQ(student.routed_tokens(), expected_tokens);
    const double accuracy = ex.reports.back().metrics.at("accuracy");
    EXPECT_GT(accuracy, source == "builtin:fashion-mnist-test" ? 0.1 : 1.0 / 6);  // above chance after two epochs
  }
}

TEST(TokenStudent, SavedRunLoadsWithTheSamePredictions) {
  ScratchDir dir;
  const DataDescription description = DataDescription::holdout("builtin:words", 120);
  const Dataset data = description.load();
  Experiment ex = run_experiment(data, description.split(data), token_experiment());
  save_run(dir.path() + "/run", ex, description);
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  const torch::Tensor x = ex.preprocessor.encode_features(data);
  ex.student->eval();
  run.experiment.student->eval();
  EXPECT_TRUE(torch::allclose(ex.student->run(x).output, run.experiment.student->run(x).output));
}

TEST(TextData, WordsAreBalancedDeduplicatedAndSeeded) {
  const Table a = load_builtin("words", 7, 600), b = load_builtin("words", 7, 600), other = load_builtin("words", 8, 600);
  ASSERT_EQ(a.rows(), 600);
  ASSERT_TRUE(a.columns[0].text);
  std::vector<int64_t> per_language(word_lists().size(), 0);
  std::set<std::string> seen;
  for (int64_t r = 0; r < a.rows(); ++r) {
    ++per_language[static_cast<size_t>(a.columns[1].values[r])];
    const std::string& word = a.columns[0].categories[static_cast<size_t>(a.columns[0].values[r])];
    EXPECT_TRUE(seen.insert(word).second) << word << " drawn twice";
    EXPECT_LE(word.size(), 16u);
  }
  for (int64_t count : per_language) EXPECT_EQ(count, 100);
  EXPECT_EQ(a.columns[0].categories, b.columns[0].categories);
  EXPECT_NE(a.columns[0].categories, other.columns[0].categories);
}

TEST(TextData, TextIsEncodedAsBytesAndMustBeTheOnlyFeature) {
  Dataset words = make_dataset(load_builtin("words", 0, 60), "");
  const Preprocessor pre = Preprocessor::fit(words);
  EXPECT_GE(pre.text_length(), 2);
  EXPECT_LE(pre.text_length(), 16);
  const torch::Tensor x = pre.encode_features(words);
  const std::string& first = words.features.columns[0].categories[static_cast<size_t>(words.features.columns[0].values[0])];
  for (size_t b = 0; b < first.size(); ++b) EXPECT_EQ(x[0][static_cast<int64_t>(b)].item<float>(), static_cast<unsigned char>(first[b]) + 1.0f);
  if (static_cast<int64_t>(first.size()) < pre.text_length()) {
    EXPECT_EQ(x[0][static_cast<int64_t>(first.size())].item<float>(), 0.0f);
  }

  Table table;
  table.source = "mixed.csv";
  table.columns = {Column{"note", true, {"hello", "bye"}, {0, 1}, /*text=*/true}, Column{"x", false, {}, {1.0, 2.0}},
                   Column{"y", true, {"a", "b"}, {0, 1}}};
  table.source_lines = {2, 3};
  try {
    Preprocessor::fit(make_dataset(table, "y", TaskChoice::Classification));
    FAIL() << "a text column beside other features was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("mixed.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'note' must be the only feature"), std::string::npos) << e.what();
  }
}

TEST(TokenTrace, AByteThatAlwaysTakesOneExpertShowsInTheExpertByValueQuery) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = test::hand_token_run(store, dir.path());
  const RunSummary summary = store.run(id);
  EXPECT_TRUE(summary.token_level());
  EXPECT_EQ(summary.tokens, 3);
  EXPECT_EQ(summary.token_kind, "byte");
  for (int64_t layer = 0; layer < 2; ++layer) {
    int64_t q_tokens = 0, all_tokens = 0;
    for (const CountCell& cell : store.expert_tokens(id, layer, TokenAxis::Value)) {
      all_tokens += cell.samples;
      if (cell.column == 'q') {
        EXPECT_EQ(cell.row, 3) << "a 'q' went elsewhere";
        q_tokens += cell.samples;
      }
    }
    EXPECT_EQ(q_tokens, 4);     // aqb, qq, bqa
    EXPECT_EQ(all_tokens, 9);   // padding is not counted
    // Positions: expert (position + layer) % 3 for every token but 'q'.
    for (const CountCell& cell : store.expert_tokens(id, layer, TokenAxis::Position))
      if (cell.row != 3) {
        EXPECT_EQ(cell.row, (cell.column + layer) % 3);
      }
    // The tokens behind the ('q', expert 3) cell, in sample order.
    const auto hits = store.expert_token_hits(id, layer, 3, TokenAxis::Value, 'q');
    ASSERT_EQ(hits.size(), 4u);
    EXPECT_EQ(hits[0].sample, 0);
    EXPECT_EQ(hits[0].position, 1);
    EXPECT_EQ(hits[1].sample, 1);
    EXPECT_EQ(hits[2].position, 1);
    EXPECT_EQ(hits[3].sample, 2);
    // Samples with a 'q' routed to expert 3 count once each.
    SampleFilter filter;
    filter.layer = layer;
    filter.expert = 3;
    filter.token_value = 'q';
    EXPECT_EQ(store.samples(id, filter), (std::vector<int64_t>{0, 1, 2}));
  }
  // A sample's lanes: its real tokens with their values and per-layer routing.
  const SampleTrace sample = store.sample(id, 0);
  ASSERT_EQ(sample.tokens.size(), 3u);
  for (int64_t p = 0; p < 3; ++p) {
    EXPECT_EQ(sample.tokens[static_cast<size_t>(p)].value, "aqb"[p]);
    ASSERT_EQ(sample.tokens[static_cast<size_t>(p)].layers.size(), 2u);
    for (int64_t l = 0; l < 2; ++l) EXPECT_EQ(sample.tokens[static_cast<size_t>(p)].layers[static_cast<size_t>(l)].expert, test::hand_token_expert("aqb"[p], p, l));
  }
  EXPECT_EQ(sample.with_token(1).layers[0].expert, 3);
  EXPECT_EQ(store.sample(id, 3).tokens.size(), 1u);  // "a": padding has no rows
  // The whole-run aggregates count tokens.
  int64_t loaded = 0;
  for (const CountCell& cell : store.expert_layers(id)) if (cell.column == 0) loaded += cell.samples;
  EXPECT_EQ(loaded, 9);
}

TEST(TokenTrace, ATracedTokenStudentStoresWhatTheModelRoutes) {
  ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  LoadedRun run = test::tiny_run(dir, 120, [](ExperimentConfig& c) { test::use_token_student(c); }, "builtin:words");
  const Dataset data = load_data_for_run(run, "builtin:words");
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:words", data, torch::kCPU, TraceOptions{}).run;
  const RunSummary summary = store.run(id);
  EXPECT_EQ(summary.token_kind, "byte");
  EXPECT_EQ(summary.layers, 2);
  const Column& words = data.features.columns[0];
  int64_t bytes = 0;
  for (int64_t r = 0; r < data.rows(); ++r)
    bytes += std::min<int64_t>(summary.tokens, static_cast<int64_t>(words.categories[static_cast<size_t>(words.values[r])].size()));
  for (int64_t layer = 0; layer < 2; ++layer) {
    int64_t counted = 0;
    for (const CountCell& cell : store.expert_tokens(id, layer, TokenAxis::Position)) counted += cell.samples;
    EXPECT_EQ(counted, bytes);
  }
  for (int64_t s : {0, 7, 55}) {
    const SampleTrace stored = store.sample(id, s);
    const std::string& word = words.categories[static_cast<size_t>(words.values[s])];
    ASSERT_EQ(stored.tokens.size(), std::min<size_t>(word.size(), static_cast<size_t>(summary.tokens)));
    for (size_t p = 0; p < stored.tokens.size(); ++p) EXPECT_EQ(stored.tokens[p].value, static_cast<unsigned char>(word[p]));
    // The live model routes the stored inputs the same way.
    const SampleTrace live = trace_inputs(run, stored, stored.inputs, torch::kCPU);
    ASSERT_EQ(live.tokens.size(), stored.tokens.size());
    for (size_t p = 0; p < stored.tokens.size(); ++p)
      for (size_t l = 0; l < 2; ++l) EXPECT_EQ(live.tokens[p].layers[l].experts, stored.tokens[p].layers[l].experts);
  }
}

TEST(TextData, AnArffStringAttributeIsTextAndACsvColumnIsDeclaredSo) {
  ScratchDir dir;
  const std::string arff = dir.path() + "/notes.arff";
  std::ofstream(arff) << "@relation notes\n@attribute note string\n@attribute mood {up,down}\n@data\n"
                         "'a fine day',up\n'rain again',down\n'sunny',up\n'grey and cold',down\n";
  Dataset notes = make_dataset(read_table(arff), "mood");
  ASSERT_TRUE(notes.features.columns[0].text);
  const Preprocessor pre = Preprocessor::fit(notes);
  EXPECT_EQ(pre.text_length(), 13);  // "grey and cold"
  EXPECT_EQ(pre.encode_features(notes)[1][0].item<float>(), static_cast<float>('r' + 1));

  const std::string csv = dir.path() + "/notes.csv";
  std::ofstream(csv) << "note,mood\na fine day,up\nrain again,down\n";
  DataDescription description = DataDescription::holdout(csv);
  description.target = "mood";
  EXPECT_FALSE(description.load().features.columns[0].text);
  description.text_column = "note";
  EXPECT_TRUE(description.load().features.columns[0].text);
  // The declaration is part of the run's description, so a saved run reads its data the same way.
  EXPECT_EQ(DataDescription::from_json(description.to_json()).text_column, "note");
}
