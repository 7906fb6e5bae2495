#include "ndtmoe_views/run_figures.h"

#include "ndtmoe_views/decision_path_view.h"
#include "ndtmoe_views/decoder_experts_view.h"
#include "ndtmoe_views/embedding_view.h"
#include "ndtmoe_views/expert_gallery_view.h"
#include "ndtmoe_views/expert_tokens_view.h"
#include "ndtmoe_views/neuron_dashboard_view.h"
#include "ndtmoe_views/token_lanes_view.h"
#include "ndtmoe_views/gate_view.h"
#include "ndtmoe_views/importance_view.h"
#include "ndtmoe_views/routing_tree_view.h"
#include "ndtmoe_views/selection.h"
#include "ndtmoe_views/training_view.h"
#include "ndtmoe_views/tuning_view.h"
#include "ndtmoe_views/utilization_view.h"

namespace ndtmoe::views {

QStringList export_run_figures(std::shared_ptr<RunData> data, const QString& dir, const std::vector<FigureFormat>& formats,
                               const ExportOptions& options, const std::vector<int64_t>& samples) {
  // Off-screen views of their own, driven by their own selection, so the user's views stay as they are.
  SelectionModel selection;
  RoutingTreeView tree(selection);
  GateView gate(selection);
  UtilizationView utilization(selection);
  DecisionPathView path(selection);
  tree.resize(1200, 800);
  gate.resize(900, 800);
  utilization.resize(1200, 420);
  path.resize(1000, 600);
  tree.set_icicle(options.tree_layout == ExportOptions::TreeLayout::Icicle ||
                  (options.tree_layout == ExportOptions::TreeLayout::Auto && RoutingTreeView::icicle_suits(data->summary())));
  tree.set_run(data);
  gate.set_run(data);
  utilization.set_run(data);
  utilization.set_panels(UtilizationView::Panels::Layer);
  path.set_run(data);
  QStringList written;
  const RunSummary& s = data->summary();
  for (int64_t layer = 0; layer < s.layers; ++layer) {
    for (int64_t t = 0; t < s.trees; ++t) {
      selection.select_layer(layer, t);
      written << export_figures({&tree}, dir, formats, options);
    }
    if (s.trees == 0 && GateView::can_show(*data)) {  // a linear gate's weights, for the family without trees
      selection.select_layer(layer);
      written << export_figures({&gate}, dir, formats, options);
    }
    written << export_figures({&utilization}, dir, formats, options);
  }
  // Per layer its embedding (t-SNE where stored, else PCA) coloured by top-1 expert, and by class.
  EmbeddingView embedding(selection);
  embedding.resize(embedding.figure_size());
  embedding.set_run(data);
  for (int64_t layer = 0; layer < s.layers; ++layer) {
    selection.select_layer(layer);
    if (!embedding.has_embedding()) continue;
    embedding.set_colouring(EmbeddingView::Colouring::Expert);
    written << export_figures({&embedding}, dir, formats, options);
    if (data->classification()) {
      embedding.set_colouring(EmbeddingView::Colouring::Class);
      written << export_figures({&embedding}, dir, formats, options);
    }
  }
  utilization.set_panels(UtilizationView::Panels::ExpertByLayer);
  written << export_figures({&utilization}, dir, formats, options);
  // imoie: the expert gallery, then with each sample's local explanation.
  ExpertGalleryView gallery(selection);
  const bool with_gallery = ExpertGalleryView::can_show(*data);
  if (with_gallery) {
    gallery.set_run(data);
    selection.select_layer(0);
    written << export_figures({&gallery}, dir, formats, options);
  }
  // mxd: each layer's decoder experts, then each sample's experts in layer 0.
  DecoderExpertsView decoders(selection);
  decoders.set_run(data);
  const bool with_decoders = decoders.has_experts();
  if (with_decoders) {
    for (int64_t layer = 0; layer < s.layers; ++layer) {
      selection.select_layer(layer);
      written << export_figures({&decoders}, dir, formats, options);
    }
    selection.select_layer(0);
  }
  for (int64_t sample : samples) {
    selection.select_sample(sample);
    written << export_figures({&path}, dir, formats, options);
    if (with_gallery) written << export_figures({&gallery}, dir, formats, options);
    if (with_decoders) written << export_figures({&decoders}, dir, formats, options);
  }
  NeuronDashboardView neurons(selection);
  neurons.resize(1100, 760);
  neurons.set_run(data);
  if (neurons.has_neurons()) {  // per layer its most frequent neuron, then each sample's strongest in layer 0
    selection.clear_group();
    for (int64_t layer = 0; layer < s.layers; ++layer) {
      selection.select_layer(layer);
      written << export_figures({&neurons}, dir, formats, options);
    }
    selection.select_layer(0);
    for (int64_t sample : samples) {
      selection.select_sample(sample);
      written << export_figures({&neurons}, dir, formats, options);
    }
  }
  if (s.token_level()) {  // per layer the token heatmaps, then the dashboard of the expert with most tokens; lanes per sample
    ExpertTokensView expert_tokens(selection);
    expert_tokens.resize(900, 820);
    expert_tokens.set_run(data);
    for (int64_t layer = 0; layer < s.layers; ++layer) {
      selection.select_layer(layer);
      written << export_figures({&expert_tokens}, dir, formats, options);
      const std::vector<CountCell> loads = data->store().expert_tokens(data->run(), layer, TokenAxis::Position);
      std::vector<int64_t> per_expert(static_cast<size_t>(s.experts), 0);
      for (const CountCell& cell : loads)
        if (cell.row >= 0 && cell.row < s.experts) per_expert[static_cast<size_t>(cell.row)] += cell.samples;
      selection.select_expert(layer, std::max_element(per_expert.begin(), per_expert.end()) - per_expert.begin());
      written << export_figures({&expert_tokens}, dir, formats, options);
    }
    TokenLanesView lanes(selection);
    lanes.set_run(data);
    for (int64_t sample : samples) {
      selection.select_sample(sample);
      lanes.resize(lanes.figure_size());
      written << export_figures({&lanes}, dir, formats, options);
    }
  }
  ImportanceView importance(selection);
  importance.resize(760, 480);
  importance.set_run(data);
  for (const QString method : {"permutation", "integrated-gradients"}) {
    importance.show(method, {});
    for (const QString& target : importance.targets())
      if (importance.show(method, target)) written << export_figures({&importance}, dir, formats, options);
  }
  TuningView tuning;
  tuning.resize(tuning.figure_size());
  tuning.set_run(data);
  if (tuning.record()) written << export_figures({&tuning}, dir, formats, options);
  TrainingView training;
  training.resize(1000, 380);
  training.show_history(*data);
  if (training.graph_count() > 0) written << export_figures({&training}, dir, formats, options);
  return written;
}

}  // namespace ndtmoe::views
