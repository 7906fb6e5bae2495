// The embeddings of hidden states: PCA finds the main axis, t-SNE keeps clusters apart, the neighbour
// agreement measures what it says, and a trace stores all three per layer with the samples it names.

#include <gtest/gtest.h>

#include "ndtmoe/trace/layer_embeddings.h"
#include "ndtmoe/trace/projection.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using namespace ndtmoe::test;

namespace {

// `per_cluster` points around each of `clusters` far-apart centres in `dims` dimensions, cluster-major,
// and each point's cluster.
std::pair<torch::Tensor, torch::Tensor> clusters(int64_t clusters, int64_t per_cluster, int64_t dims, uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor centres = torch::randn({clusters, dims}) * 10;
  const torch::Tensor label = torch::arange(clusters, torch::kLong).repeat_interleave(per_cluster);
  return {centres.index_select(0, label) + torch::randn({clusters * per_cluster, dims}), label};
}

// The share of points whose nearest other point in `points` [N, 2] has the same label.
double nearest_same_label(const torch::Tensor& points, const torch::Tensor& label) {
  torch::Tensor d = torch::cdist(points, points);
  d.fill_diagonal_(std::numeric_limits<float>::infinity());
  return label.index_select(0, d.argmin(1)).eq(label).to(torch::kDouble).mean().item<double>();
}

}  // namespace

TEST(Projection, PcaFindsTheMainAxisWithAFixedSign) {
  torch::manual_seed(0);
  const torch::Tensor t = torch::randn({500, 1}) * 5;
  const torch::Tensor direction = torch::tensor({3.0f, 4.0f, 0.0f}) / 5;
  const torch::Tensor x = t * direction + 0.1 * torch::randn({500, 3}) + 7;
  const Projection2d p = pca_projection(x);
  ASSERT_EQ(p.points.sizes(), (std::vector<int64_t>{500, 2}));
  EXPECT_GT(p.details.at("variance_1"), 0.99);
  EXPECT_LT(p.details.at("variance_2"), 0.01);
  // The first coordinate is the position along the direction (the largest loading, y's 0.8, positive).
  const torch::Tensor centred_t = (t.squeeze(1) - t.mean());
  EXPECT_LT((p.points.select(1, 0) - centred_t).abs().max().item<double>(), 0.5);
  // Negating the data flips no axis: the sign follows the loadings, so the points are mirrored.
  EXPECT_LT((pca_projection(-x).points.select(1, 0) + centred_t).abs().max().item<double>(), 0.5);
}

TEST(Projection, TsneKeepsSeparateClustersApart) {
  const auto [x, label] = clusters(4, 60, 20, 1);
  const std::optional<Projection2d> p = tsne_projection(x, {10, 400, 100, 12});
  ASSERT_TRUE(p);
  ASSERT_EQ(p->points.sizes(), (std::vector<int64_t>{240, 2}));
  EXPECT_FALSE(p->points.isnan().any().item<bool>());
  EXPECT_EQ(nearest_same_label(p->points, label), 1.0);
  // Each cluster's points lie closer to their own centre than to any other cluster's.
  std::vector<torch::Tensor> centres;
  for (int64_t c = 0; c < 4; ++c) centres.push_back(p->points.index_select(0, label.eq(c).nonzero().squeeze(1)).mean(0));
  const torch::Tensor nearest_centre = torch::cdist(p->points, torch::stack(centres)).argmin(1);
  EXPECT_TRUE(nearest_centre.eq(label).all().item<bool>());
  EXPECT_GT(p->details.at("kl_divergence"), 0.0);
  EXPECT_EQ(p->details.at("perplexity"), 10.0);
}

TEST(Projection, TsneReportsProgressAndCanBeCancelled) {
  const auto [x, label] = clusters(2, 30, 5, 2);
  std::atomic<bool> cancel{false};
  int64_t last = 0;
  const auto p = tsne_projection(x, {5, 200, 50, 12}, [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 200);
    last = done;
    cancel = done >= 50;
  }, &cancel);
  EXPECT_FALSE(p);
  EXPECT_EQ(last, 50);
  EXPECT_THROW(tsne_projection(x.slice(0, 0, 1)), std::invalid_argument);
}

TEST(Projection, NeighbourAgreementIsTheShareOfRowsWhoseNeighboursNameTheirExpert) {
  const auto [x, label] = clusters(3, 40, 8, 3);
  const NeighbourAgreement by_cluster = expert_neighbour_agreement(x, label, 5);
  EXPECT_EQ(by_cluster.agreement, 1.0);
  EXPECT_NEAR(by_cluster.majority_share, 1.0 / 3, 1e-12);
  EXPECT_EQ(by_cluster.k, 5);
  EXPECT_EQ(by_cluster.rows, 120);

  // A hand-counted case on a line: rows 0..5 at 0, 1, 2.5, 10, 11, 12.5 with experts 0, 0, 1, 1, 1, 0; k = 2.
  // Row 0's neighbours (rows 1, 2) vote 0 and 1, a tie the nearest (row 1, expert 0) breaks: agrees.
  // Row 1 (0, 2): the same tie, nearest row 0: agrees. Row 2 (1, 0): both 0, disagrees.
  // Row 3 (4, 5): 1 and 0, nearest row 4: 1, agrees. Row 4 (3, 5): likewise. Row 5 (4, 3): both 1, disagrees.
  const torch::Tensor line = torch::tensor({0.0f, 1.0f, 2.5f, 10.0f, 11.0f, 12.5f}).unsqueeze(1);
  const NeighbourAgreement counted = expert_neighbour_agreement(line, torch::tensor({0, 0, 1, 1, 1, 0}, torch::kLong), 2);
  EXPECT_NEAR(counted.agreement, 4.0 / 6, 1e-12);
  EXPECT_NEAR(counted.majority_share, 0.5, 1e-12);
}

TEST(Projection, EvenlySpacedRowsSpanTheRows) {
  EXPECT_TRUE(torch::equal(evenly_spaced_rows(10, 4), torch::tensor({0, 2, 5, 7}, torch::kLong)));
  EXPECT_TRUE(torch::equal(evenly_spaced_rows(3, 5), torch::tensor({0, 1, 2}, torch::kLong)));
}

TEST(Embeddings, ATraceStoresEachLayersMapsAndTheNeighbourAgreementOfTheStoredExperts) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 300);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/trace.sqlite");
  TraceOptions options;
  options.embedding.samples = 120;
  options.embedding.tsne.iterations = 150;
  options.embedding.tsne.exaggeration_iterations = 50;
  std::vector<std::string> stages;
  int64_t last_step = -1;
  const int64_t id = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options, [&](const TraceProgress& p) {
                       if (p.stage.empty()) return;
                       if (stages.empty() || stages.back() != p.stage) stages.push_back(p.stage);
                       EXPECT_GE(p.done, last_step) << p.stage;  // the bar never goes back
                       EXPECT_LE(p.done, p.total);
                       last_step = p.done;
                     }).run;
  EXPECT_EQ(store.run(id).status, "complete");
  auto& student = dynamic_cast<MixturePredictor&>(*run.experiment.student);
  const int64_t layers = student.moe_layer_count();
  ASSERT_EQ(store.embeddings(id).size(), static_cast<size_t>(2 * layers));
  ASSERT_EQ(stages.size(), static_cast<size_t>(2 * layers + 1));  // "layer l of L: PCA", then "...: t-SNE"; "done"
  EXPECT_EQ(stages.front(), "layer 1 of " + std::to_string(layers) + ": PCA");
  EXPECT_EQ(stages.back(), "done");
  const int64_t n = data.rows();

  // The hidden states each layer's experts read, recomputed directly.
  student.eval();
  torch::NoGradGuard no_grad;
  for (int64_t l = 0; l < layers; ++l) student.moe_layer(l)->record_inputs(true);
  const PredictorOutput out = student.run(run.experiment.preprocessor.encode_features(data));
  for (int64_t l = 0; l < layers; ++l) student.moe_layer(l)->record_inputs(false);

  for (int64_t l = 0; l < layers; ++l) {
    const LayerEmbedding pca = store.embedding(id, l, "pca");
    ASSERT_EQ(pca.samples.size(), static_cast<size_t>(n));
    EXPECT_EQ(pca.samples.back(), n - 1);
    const torch::Tensor hidden = out.routing[static_cast<size_t>(l)].decision.record(kLayerInputRecord);
    const torch::Tensor expected = pca_projection(hidden).points;
    EXPECT_TRUE(torch::allclose(torch::tensor(pca.x), expected.select(1, 0), 1e-3, 1e-3)) << "layer " << l;
    EXPECT_TRUE(torch::allclose(torch::tensor(pca.y), expected.select(1, 1), 1e-3, 1e-3)) << "layer " << l;

    const LayerEmbedding tsne = store.embedding(id, l, "tsne");
    const torch::Tensor rows = evenly_spaced_rows(n, 120);
    ASSERT_EQ(tsne.samples, std::vector<int64_t>(rows.data_ptr<int64_t>(), rows.data_ptr<int64_t>() + rows.numel()));
    EXPECT_EQ(tsne.details.at("iterations"), 150);

    // The agreement is measured against the experts the store shows for those samples.
    const std::vector<int32_t> stored = store.top_experts(id, l);
    std::vector<int64_t> subset_experts;
    for (int64_t s : tsne.samples) subset_experts.push_back(stored[static_cast<size_t>(s)]);
    const NeighbourAgreement recomputed = expert_neighbour_agreement(hidden.index_select(0, rows), torch::tensor(subset_experts), 10);
    const ExpertNeighbours neighbours = store.expert_neighbours(id).at(static_cast<size_t>(l));
    EXPECT_EQ(neighbours.layer, l);
    EXPECT_EQ(neighbours.samples, 120);
    EXPECT_NEAR(neighbours.agreement, recomputed.agreement, 1e-9);
    EXPECT_NEAR(neighbours.majority_share, recomputed.majority_share, 1e-9);
  }
  EXPECT_THROW(store.embedding(id, layers, "pca"), StoreError);
}

TEST(Embeddings, NoneForAShardOrWhenTurnedOffAndATokenStudentIsRefused) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 200);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/trace.sqlite");
  TraceOptions off;
  off.embeddings = false;
  EXPECT_TRUE(store.embeddings(trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, off).run).empty());
  TraceOptions shard;
  shard.shard = parse_shard("1/2");
  EXPECT_TRUE(store.embeddings(trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, shard).run).empty());

  LoadedRun tokens = tiny_run(dir, 100, [](ExperimentConfig& c) { use_token_student(c, 1); });
  const int64_t id = trace_run(store, tokens, dir.path() + "/run", "builtin:rule-tree", load_data_for_run(tokens, "builtin:rule-tree"), torch::kCPU).run;
  EXPECT_TRUE(store.embeddings(id).empty());
  auto& token_student = dynamic_cast<MixturePredictor&>(*tokens.experiment.student);
  EXPECT_THROW(store_layer_embeddings(store, id, token_student, torch::zeros({4, 8}), torch::kCPU), std::invalid_argument);
}

TEST(Embeddings, ATraceCancelledWhileMappingStaysIncompleteAndItsResumeMapsAgain) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 200);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  TraceStore store(dir.path() + "/trace.sqlite");
  TraceOptions options;
  options.embedding.tsne.iterations = 100;
  options.embedding.tsne.exaggeration_iterations = 20;
  std::atomic<bool> cancel{false};
  const TraceResult first = trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options,
                                      [&](const TraceProgress& p) { cancel = p.stage.find("t-SNE") != std::string::npos; }, &cancel);
  EXPECT_TRUE(first.cancelled);
  EXPECT_EQ(store.run(first.run).status, "tracing");  // every sample is in, the maps are not
  EXPECT_EQ(store.run(first.run).traced_samples, 200);
  const TraceResult resumed = resume_trace(store, first.run, run, data, torch::kCPU, options);
  EXPECT_FALSE(resumed.cancelled);
  EXPECT_EQ(store.run(first.run).status, "complete");
  auto& student = dynamic_cast<MixturePredictor&>(*run.experiment.student);
  EXPECT_EQ(store.embeddings(first.run).size(), static_cast<size_t>(2 * student.moe_layer_count()));
}
