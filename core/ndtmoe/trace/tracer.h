#pragma once
// Tracing: runs a trained run's student over a data set in batches and records every sample's
// prediction and routing in a trace store, with the run's description (configuration, data, training
// curves, metrics, router parameters). Each batch commits on its own; a cancelled or killed trace stays
// 'tracing' and can be resumed.

#include <atomic>
#include <functional>
#include <optional>

#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/store/shard.h"
#include "ndtmoe/store/trace_store.h"
#include "ndtmoe/trace/layer_embeddings.h"

namespace ndtmoe {

struct TraceOptions {
  std::string name;            // run name in the store; empty: the run directory's name
  int64_t batch_size = 8192;   // samples per inference batch and per transaction
  bool teacher = true;         // record the teacher's predictions (a transformer teacher dominates the time)
  bool baselines = true;       // record the MLP's and the linear-gate MoE's predictions (model_predictions)
  // Record the neurons of MLP experts (their firings per position, then a summary per neuron); unset:
  // when the family records them by default (moe-x).
  std::optional<bool> neurons;
  double neuron_threshold = 0.0;  // an activation above it counts as firing
  // Map each layer's hidden states to 2-D once every sample is traced (models that route whole samples;
  // a shard records none, since the maps need every sample).
  bool embeddings = true;
  EmbeddingOptions embedding;
  // The slice of the data's rows to trace; neuron summaries need every sample, so a shard records none.
  Shard shard;
};

struct TraceProgress {
  int64_t done = 0, total = 0;  // samples; or the stage's steps
  std::string stage;            // empty while tracing samples; then e.g. "layer 1 of 2: t-SNE"
};
using TraceCallback = std::function<void(const TraceProgress&)>;

struct TraceResult {
  int64_t run = 0;
  bool cancelled = false;
  int64_t records = 0;  // routing records written: (sample or real token) x layer
};

// What a trace of `data` records about `run`, before any sample. `data_source` names the traced data:
// when it is the run's own data, samples are labelled fit / validation / test, otherwise 'traced'.
RunDescription describe_run(LoadedRun& run, const std::string& run_directory, const std::string& data_source,
                            const Dataset& data, const TraceOptions& options = {});

TraceResult trace_run(TraceStore& store, LoadedRun& run, const std::string& run_directory, const std::string& data_source,
                      const Dataset& data, torch::Device device, const TraceOptions& options = {},
                      const TraceCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Continues an incomplete trace from its first untraced sample (the data must be the one it began with;
// a shard continues its own slice).
TraceResult resume_trace(TraceStore& store, int64_t run_id, LoadedRun& run, const Dataset& data, torch::Device device,
                         const TraceOptions& options = {}, const TraceCallback& progress = {},
                         const std::atomic<bool>* cancel = nullptr);

// What-if: the student's prediction and routing for edited encoded inputs, as a trace like `like`
// (same sample id, split and label; no teacher). One forward pass of one row.
SampleTrace trace_inputs(LoadedRun& run, const SampleTrace& like, const std::vector<float>& inputs, torch::Device device);

// The router parameters of every layer of an ndt-family model, as the store and the analyses read them;
// empty for a family without trees.
std::vector<RouterParameters> router_parameters(MixturePredictor& model);
// Each layer's router parameters the family keeps in the store beyond the trees (RouterImpl::traced_parameters).
std::vector<std::map<std::string, StoredTensor>> router_tensors(MixturePredictor& model);

}  // namespace ndtmoe
