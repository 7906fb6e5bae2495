#pragma once
// The last step of a trace that records neurons: each layer's firings, read back from the store, become
// one summary per neuron (frequency, activation histogram, strongest firings, class selectivity), and
// each live neuron is silenced on the samples of its strongest firings to measure what it does there.

#include <torch/torch.h>

#include "ndtmoe/analysis/neurons.h"
#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

// Neurons per layer whose ablation is measured (the most frequent first); the rest keep NaN, so a
// layer of tens of thousands of neurons does not cost a forward pass each.
inline constexpr int64_t kMaxAblatedNeurons = 4096;

// `inputs` are the traced data's encoded rows (row = sample id); `classification` decides how a changed
// prediction is judged.
void summarize_neurons(TraceStore& store, int64_t run, MixturePredictor& student, const torch::Tensor& inputs, torch::Device device,
                       double threshold, bool classification);

}  // namespace ndtmoe
