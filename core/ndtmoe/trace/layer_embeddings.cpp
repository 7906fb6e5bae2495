#include "ndtmoe/trace/layer_embeddings.h"

#include <stdexcept>

namespace ndtmoe {

namespace {

// Turns on every layer's input recording (kLayerInputRecord) for its lifetime.
class InputRecording {
 public:
  explicit InputRecording(MixturePredictor& model) : model_(model) { set(true); }
  ~InputRecording() { set(false); }
  InputRecording(const InputRecording&) = delete;
  InputRecording& operator=(const InputRecording&) = delete;

 private:
  void set(bool on) {
    for (int64_t l = 0; l < model_.moe_layer_count(); ++l) model_.moe_layer(l)->record_inputs(on);
  }
  MixturePredictor& model_;
};

struct LayerStates {
  torch::Tensor hidden;   // [N, d] float32 on the CPU
  torch::Tensor experts;  // [N] int64, top-1
};

// Every layer's hidden states and top-1 experts over all rows; a layer whose family does not pass its
// rows through the experts (no record) is left out.
std::map<int64_t, LayerStates> layer_states(MixturePredictor& student, const torch::Tensor& inputs, torch::Device device, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  InputRecording recording(student);
  std::map<int64_t, std::vector<torch::Tensor>> hidden, experts;
  for (int64_t begin = 0; begin < inputs.size(0); begin += batch_size) {
    const PredictorOutput out = student.run(inputs.slice(0, begin, std::min(inputs.size(0), begin + batch_size)).to(device));
    for (size_t l = 0; l < out.routing.size(); ++l) {
      const torch::Tensor states = out.routing[l].decision.record(kLayerInputRecord);
      if (!states.defined()) continue;
      hidden[static_cast<int64_t>(l)].push_back(states.to(torch::kCPU, torch::kFloat).reshape({states.size(0), -1}));
      experts[static_cast<int64_t>(l)].push_back(out.routing[l].decision.top_experts.select(1, 0).to(torch::kCPU, torch::kLong));
    }
  }
  std::map<int64_t, LayerStates> layers;
  for (auto& [layer, parts] : hidden) layers[layer] = {torch::cat(parts), torch::cat(experts[layer])};
  return layers;
}

LayerEmbedding as_embedding(int64_t layer, const std::string& method, const torch::Tensor& rows, const Projection2d& projection) {
  LayerEmbedding e;
  e.layer = layer;
  e.method = method;
  e.details = projection.details;
  const torch::Tensor points = projection.points.to(torch::kFloat).contiguous();
  const torch::Tensor ids = rows.to(torch::kLong).contiguous();
  const int64_t* id = ids.data_ptr<int64_t>();
  const float* xy = points.data_ptr<float>();
  for (int64_t i = 0; i < ids.size(0); ++i) {
    e.samples.push_back(id[i]);
    e.x.push_back(xy[2 * i]);
    e.y.push_back(xy[2 * i + 1]);
  }
  return e;
}

}  // namespace

bool store_layer_embeddings(TraceStore& store, int64_t run, MixturePredictor& student, const torch::Tensor& inputs, torch::Device device,
                            const EmbeddingOptions& options, const EmbeddingProgress& progress, const std::atomic<bool>* cancel) {
  if (options.samples < 0 || options.neighbours < 1 || options.batch_size < 1)
    throw std::invalid_argument("embeddings need a non-negative sample limit, at least one neighbour and a positive batch size");
  if (student.routed_tokens() != 1)
    throw std::invalid_argument("embeddings map whole samples; the " + student.config().family + " student routes tokens");
  const int64_t n = inputs.size(0);
  if (n < 2) return true;  // nothing to map
  const std::map<int64_t, LayerStates> layers = layer_states(student, inputs, device, options.batch_size);
  const torch::Tensor first = torch::arange(n, torch::kLong);
  // Steps over all layers, so the progress never goes back: one for PCA, then t-SNE's iterations.
  const int64_t per_layer = 1 + (options.samples > 0 ? options.tsne.iterations : 0);
  const int64_t total = per_layer * static_cast<int64_t>(layers.size());
  int64_t done = 0;
  for (const auto& [layer, states] : layers) {
    if (cancel && cancel->load()) return false;
    const std::string name = "layer " + std::to_string(layer + 1) + " of " + std::to_string(layers.size());
    if (progress) progress(name + ": PCA", done, total);
    store.store_embedding(run, as_embedding(layer, "pca", first, pca_projection(states.hidden)));
    ++done;
    if (options.samples == 0) continue;
    const torch::Tensor rows = evenly_spaced_rows(n, options.samples);
    const torch::Tensor hidden = states.hidden.index_select(0, rows);
    const NeighbourAgreement agreement = expert_neighbour_agreement(hidden, states.experts.index_select(0, rows), options.neighbours);
    store.store_expert_neighbours(run, {layer, agreement.k, agreement.rows, agreement.agreement, agreement.majority_share});
    const auto tsne = tsne_projection(
        hidden, options.tsne, [&](int64_t iteration, int64_t) { if (progress) progress(name + ": t-SNE", done + iteration, total); }, cancel);
    if (!tsne) return false;
    store.store_embedding(run, as_embedding(layer, "tsne", rows, *tsne));
    done += options.tsne.iterations;
  }
  if (progress) progress(kEmbeddingsDone, total, total);
  return true;
}

}  // namespace ndtmoe
