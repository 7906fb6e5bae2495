// Neurons of MLP experts (MoE-X's unit of interpretation): the layer's recording equals the wide
// sparse MLP's hidden units, the sparse rows round-trip through the store, and the per-neuron summaries,
// measures and ablations agree with direct recomputation.

#include <gtest/gtest.h>

#include <set>

#include "ndtmoe/analysis/neurons.h"
#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/neuron_records.h"
#include "ndtmoe/trace/neuron_summaries.h"
#include "run_fixtures.h"

using namespace ndtmoe;

TEST(Neurons, TheRecordIsTheWideMlpsHiddenUnitsOfTheChosenExperts) {
  torch::manual_seed(2);
  ModelConfig config;
  config.family = "moe-x";
  normalize_family_config(config);
  MoELayer layer(MoELayerOptions{12, 12, 6, 16, 2, 0.0, "moe-x", config.family_options});
  layer->eval();
  layer->record_neurons(true);
  const torch::Tensor x = torch::randn({9, 12});
  const RoutingDecision r = layer->forward(x, x).routing;
  const torch::Tensor record = r.record(kNeuronActivationsRecord);  // [B, K, H]
  ASSERT_TRUE(record.defined());
  ASSERT_EQ(record.sizes(), (std::vector<int64_t>{9, 2, 16}));
  auto& bank = dynamic_cast<FeedForwardExpertBank&>(layer->experts());
  for (int64_t b = 0; b < 9; ++b)
    for (int64_t k = 0; k < 2; ++k) {
      const int64_t e = r.top_experts[b][k].item<int64_t>();
      const torch::Tensor expected = bank.expert(e)->hidden(x[b].unsqueeze(0)).squeeze(0) * r.top_weights[b][k];
      EXPECT_TRUE(torch::allclose(record[b][k], expected, 1e-6, 1e-6)) << "row " << b << " slot " << k;
    }
  // The sparse rows list exactly the entries above the threshold, numbered expert * units + unit.
  const NeuronRows rows = sparse_neurons(record, r.top_experts, 0.05);
  const auto* offsets = rows.offsets.data_ptr<int64_t>();
  for (int64_t b = 0; b < 9; ++b) {
    std::set<int64_t> listed, expected;
    for (int64_t i = offsets[b]; i < offsets[b + 1]; ++i) {
      const int64_t id = rows.neurons[i].item<int32_t>();
      listed.insert(id);
      EXPECT_FLOAT_EQ(rows.activations[i].item<float>(), record[b][id / 16 == r.top_experts[b][0].item<int64_t>() ? 0 : 1][id % 16].item<float>());
    }
    for (int64_t k = 0; k < 2; ++k)
      for (int64_t u = 0; u < 16; ++u)
        if (record[b][k][u].item<float>() > 0.05) expected.insert(r.top_experts[b][k].item<int64_t>() * 16 + u);
    EXPECT_EQ(listed, expected) << "row " << b;
  }
  // A padding position (expert -1) lists nothing, whatever its values.
  const NeuronRows padded = sparse_neurons(torch::ones({1, 2, 16}), torch::full({1, 2}, -1, torch::kLong), 0.0);
  EXPECT_EQ(padded.neurons.numel(), 0);
}

TEST(Neurons, StatisticsCountRankAndJudgeSelectivity) {
  NeuronStatistics s(3);
  // Neuron 0 fires on 60 samples, 55 of class 1; neuron 1 on 60 samples split evenly; neuron 2 never.
  for (int64_t i = 0; i < 60; ++i) {
    const int32_t ids[] = {0, 1};
    const float values[] = {static_cast<float>(i + 1), 1.0f};
    s.add(i, 0, i < 55 ? 1 : 2, ids, values, 2);
  }
  s.add(60, 0, 0, nullptr, nullptr, 0);  // a position where nothing fired
  const std::vector<NeuronSummary> n = s.summaries(0.0);
  ASSERT_EQ(n.size(), 3u);
  EXPECT_EQ(n[0].active, 60);
  EXPECT_DOUBLE_EQ(n[0].max_activation, 60.0);
  EXPECT_DOUBLE_EQ(n[0].mean_activation(), 30.5);
  // Strongest first: samples 59, 58, ... so the top 50 are samples 10..59, of which 45 are class 1.
  EXPECT_EQ(n[0].top.front().sample, 59);
  EXPECT_EQ(n[0].top.size(), 60u);
  EXPECT_EQ(n[0].top_class, 1);
  EXPECT_DOUBLE_EQ(n[0].top_class_share, 45.0 / 50.0);
  // The histogram holds every firing; the largest lands in the last bin.
  int64_t total = 0;
  for (int64_t c : n[0].histogram) total += c;
  EXPECT_EQ(total, 60);
  EXPECT_GE(n[0].histogram.back(), 1);
  // Equal activations rank by sample: neuron 1's top 50 are samples 0..49, all of class 1.
  EXPECT_EQ(n[1].top.front().sample, 0);
  EXPECT_DOUBLE_EQ(n[1].top_class_share, 1.0);
  EXPECT_EQ(n[2].active, 0);
  const NeuronLayer layer{0, 1, 3, s.positions(), 0.0};
  const NeuronMeasures m = neuron_measures({layer}, {n});
  EXPECT_DOUBLE_EQ(m.l0, 120.0 / 61.0);
  EXPECT_DOUBLE_EQ(m.dead_share, 1.0 / 3.0);
  ASSERT_TRUE(m.class_selectivity.has_value());
  EXPECT_DOUBLE_EQ(*m.class_selectivity, 1.0);  // both live neurons' top 50 are >= 90% class 1
  const int32_t bad[] = {7};
  const float value[] = {1.0f};
  EXPECT_THROW(s.add(61, 0, 0, bad, value, 1), std::out_of_range);
}

TEST(Neurons, ATracedMoeXRunStoresItsNeuronsAndWhatSilencingThemDoes) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t id = test::traced_family_run(dir, store, "moe-x");
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  auto& student = dynamic_cast<MixturePredictor&>(*run.experiment.student);
  student.eval();
  const std::vector<NeuronLayer> layers = store.neuron_layers(id);
  ASSERT_EQ(layers.size(), static_cast<size_t>(student.moe_layer_count()));
  const RunSummary summary = store.run(id);
  EXPECT_EQ(layers[0].positions, summary.total_samples);
  EXPECT_EQ(layers[0].units_per_expert, 16);
  // A sample's stored neurons are what the model fires on its inputs.
  const SampleTrace sample = store.sample(id, 7);
  {
    NeuronRecording recording(student);
    torch::NoGradGuard no_grad;
    const PredictorOutput out = student.run(torch::tensor(sample.inputs).unsqueeze(0));
    const RoutingDecision& r = out.routing[0].decision;
    const NeuronRows rows = sparse_neurons(r.record(kNeuronActivationsRecord), r.top_experts, 0.0);
    ASSERT_EQ(static_cast<int64_t>(sample.layers[0].neurons.size()), rows.neurons.numel());
    for (size_t i = 0; i < sample.layers[0].neurons.size(); ++i) {
      EXPECT_EQ(sample.layers[0].neurons[i], rows.neurons[static_cast<int64_t>(i)].item<int32_t>());
      EXPECT_NEAR(sample.layers[0].neuron_activations[i], rows.activations[static_cast<int64_t>(i)].item<float>(), 1e-5);
    }
  }
  // Layer 0's neurons read the inputs through the encoder: their stored weights over the inputs are W1's
  // rows composed with it, so each neuron's pre-activation on the sample is that weight times its inputs
  // plus a constant.
  const RunDescription description = store.description(id);
  ASSERT_FALSE(description.router_tensors.empty());
  const StoredTensor& input_weights = description.router_tensors[0].at(kNeuronInputWeights);
  ASSERT_EQ(input_weights.shape, (std::vector<int64_t>{layers[0].neurons(), static_cast<int64_t>(sample.inputs.size())}));
  {
    torch::NoGradGuard no_grad;
    auto& bank = dynamic_cast<FeedForwardExpertBank&>(student.moe_layer(0)->experts());
    const torch::Tensor encoder = student.first_layer_input_map();
    const int64_t neuron = 2 * 16 + 5;  // expert 2, unit 5
    const torch::Tensor expected = torch::matmul(bank.expert(2)->fc_in()->weight[5], encoder);
    const torch::Tensor stored = torch::tensor(input_weights.values).view({layers[0].neurons(), -1})[neuron];
    EXPECT_TRUE(torch::allclose(stored, expected, 1e-5, 1e-5));
  }
  // Each neuron's count is the number of samples that list it.
  std::vector<int64_t> counted(static_cast<size_t>(layers[0].neurons()), 0);
  int64_t firings = 0;
  store.for_each_neuron_position(id, 0, [&](int64_t, int64_t, int64_t, const int32_t* ids, const float*, size_t count) {
    for (size_t i = 0; i < count; ++i) ++counted[static_cast<size_t>(ids[i])];
    firings += static_cast<int64_t>(count);
  });
  const std::vector<NeuronSummary> neurons = store.neurons(id, 0);
  ASSERT_EQ(static_cast<int64_t>(neurons.size()), layers[0].neurons());
  for (const NeuronSummary& n : neurons) EXPECT_EQ(n.active, counted[static_cast<size_t>(n.neuron)]) << "neuron " << n.neuron;
  const NeuronMeasures m = neuron_measures(layers, {neurons, store.neurons(id, 1)});
  EXPECT_GT(m.l0, 0.0);
  EXPECT_NEAR(m.l0, static_cast<double>(firings) / static_cast<double>(summary.total_samples) +
                        [&] {
                          int64_t second = 0;
                          for (const NeuronSummary& n : store.neurons(id, 1)) second += n.active;
                          return static_cast<double>(second) / static_cast<double>(summary.total_samples);
                        }(),
              1e-9);
  // The busiest neuron's ablation, recomputed: its top-50 samples with and without it.
  const NeuronSummary busiest = *std::max_element(neurons.begin(), neurons.end(), [](const auto& a, const auto& b) { return a.active < b.active; });
  ASSERT_FALSE(std::isnan(busiest.ablation_drop));
  std::vector<int64_t> rows;
  for (size_t i = 0; i < busiest.top.size() && i < kSelectivityTop; ++i)
    if (std::find(rows.begin(), rows.end(), busiest.top[i].sample) == rows.end()) rows.push_back(busiest.top[i].sample);
  torch::Tensor x = torch::empty({static_cast<int64_t>(rows.size()), static_cast<int64_t>(sample.inputs.size())});
  for (size_t i = 0; i < rows.size(); ++i) x[static_cast<int64_t>(i)] = torch::tensor(store.sample(id, rows[i]).inputs);
  torch::NoGradGuard no_grad;
  const torch::Tensor before = torch::softmax(student.run(x).output, -1);
  // Silencing is the unit never firing: the same as zeroing its column of W2 by hand.
  const int64_t units = layers[0].units_per_expert;
  auto& bank = dynamic_cast<FeedForwardExpertBank&>(student.moe_layer(0)->experts());
  torch::Tensor column = bank.expert(busiest.neuron / units)->fc_out()->weight.select(1, busiest.neuron % units);
  const torch::Tensor saved = column.clone();
  column.zero_();
  const torch::Tensor by_hand = torch::softmax(student.run(x).output, -1);
  column.copy_(saved);
  const torch::Tensor after =
      torch::softmax(outputs_with_silenced_neurons(student, 0, torch::full({x.size(0)}, busiest.neuron, torch::kLong), x), -1);
  EXPECT_TRUE(torch::allclose(after, by_hand, 1e-6, 1e-6));
  const torch::Tensor predicted = before.argmax(-1, true);
  EXPECT_NEAR(busiest.ablation_drop, (before.gather(1, predicted) - after.gather(1, predicted)).mean().item<double>(), 1e-5);
  EXPECT_NEAR(busiest.ablation_changed, after.argmax(-1, true).ne(predicted).to(torch::kDouble).mean().item<double>(), 1e-9);
  // Rows silence their own neurons: a row with none is the intact model's.
  torch::Tensor mixed = torch::full({x.size(0)}, -1, torch::kLong);
  mixed[0] = busiest.neuron;
  const torch::Tensor partly = torch::softmax(outputs_with_silenced_neurons(student, 0, mixed, x), -1);
  EXPECT_TRUE(torch::allclose(partly[0], after[0], 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(partly.narrow(0, 1, x.size(0) - 1), before.narrow(0, 1, x.size(0) - 1), 1e-6, 1e-6));
  EXPECT_TRUE(torch::allclose(torch::softmax(student.run(x).output, -1), before));
}

TEST(Neurons, OtherFamiliesRecordThemOnlyWhenAsked) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/t.sqlite");
  const int64_t plain = test::traced_family_run(dir, store, "linear");
  EXPECT_TRUE(store.neuron_layers(plain).empty());
  EXPECT_TRUE(store.sample(plain, 0).layers[0].neurons.empty());
  LoadedRun run = load_run(dir.path() + "/run", "cpu");
  TraceOptions options;
  options.neurons = true;
  options.neuron_threshold = 0.1;
  const int64_t asked = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", load_data_for_run(run, "builtin:rule-tree"), torch::kCPU, options).run;
  const std::vector<NeuronLayer> layers = store.neuron_layers(asked);
  ASSERT_FALSE(layers.empty());
  EXPECT_DOUBLE_EQ(layers[0].threshold, 0.1);
  const SampleTrace t = store.sample(asked, 3);
  EXPECT_FALSE(t.layers[0].neurons.empty());
  for (float a : t.layers[0].neuron_activations) EXPECT_GT(a, 0.1f);
}
