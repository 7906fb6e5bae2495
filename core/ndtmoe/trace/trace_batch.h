#pragma once
// The unit of writing to the trace store, filled by the tracer from the model's outputs.

#include <map>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace ndtmoe {

// Consecutive samples, column by column (CPU tensors). Classification: labels / predictions int64 and
// confidences float; regression: targets / predictions float in original units, no confidences.
struct TraceBatch {
  int64_t first_sample = 0;
  std::vector<std::string> splits;    // fit, validation, test or traced
  std::vector<int64_t> source_lines;
  torch::Tensor inputs;               // [B, in] encoded features (float32)
  torch::Tensor labels, predictions, confidences, teacher_predictions, teacher_confidences;
  // Token-level students: positions per sample and each position's value [B, tokens] (int64: byte,
  // patch or feature index; -1 for padding). Whole-sample students: tokens 1, token_values undefined.
  int64_t tokens = 1;
  torch::Tensor token_values;
  // Per layer, one row per (sample, position), sample-major (R = B * tokens): top experts [R, K] (-1 for
  // padding), their weights [R, K], decisions and split values [R, T, D], leaf probabilities [R, T, 2^D],
  // and, when the trace records neurons, the firing neurons per row (NeuronRows: offsets [R + 1], ids, activations).
  struct Layer {
    torch::Tensor experts, weights, decisions, split_values, leaf_probs;
    torch::Tensor neuron_offsets, neurons, neuron_activations;
  };
  std::vector<Layer> layers;
  // The run's other models ("mlp", "moe"): predictions (and confidences for classification), like the student's.
  struct Predictions {
    torch::Tensor predictions, confidences;
  };
  std::map<std::string, Predictions> other_models;
  int64_t size() const { return static_cast<int64_t>(splits.size()); }
};

}  // namespace ndtmoe
