#pragma once
// The last step of a whole trace of a model that routes whole samples: each MoE layer's hidden states
// (the rows its experts read) are mapped to 2-D with PCA (every sample) and t-SNE (an evenly spaced
// subset), and the neighbour agreement of the top-1 expert is measured on that subset (projection.h);
// the store keeps all three per layer (schema version 7).

#include <atomic>
#include <functional>
#include <string>
#include <torch/torch.h>

#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/store/trace_store.h"
#include "ndtmoe/trace/projection.h"

namespace ndtmoe {

struct EmbeddingOptions {
  // t-SNE and the neighbour agreement use at most this many samples, evenly spaced in sample order;
  // t-SNE's cost grows with its square (on 2 cores a minute per layer at 10,000, docs/cli.md);
  // 0: PCA only.
  int64_t samples = 5000;
  int64_t neighbours = 10;  // k of the neighbour agreement
  int64_t batch_size = 8192;
  TsneOptions tsne;
};

// `stage` names the layer and method, and is kEmbeddingsDone at the end; done / total count the steps of
// all layers (never going back).
inline constexpr const char* kEmbeddingsDone = "done";
using EmbeddingProgress = std::function<void(const std::string& stage, int64_t done, int64_t total)>;

// `inputs` are the traced data's encoded rows (row = sample id). Returns false when cancelled; every
// layer's rows already stored stay (each is replaced whole when computed again).
bool store_layer_embeddings(TraceStore& store, int64_t run, MixturePredictor& student, const torch::Tensor& inputs, torch::Device device,
                            const EmbeddingOptions& options = {}, const EmbeddingProgress& progress = {},
                            const std::atomic<bool>* cancel = nullptr);

}  // namespace ndtmoe
