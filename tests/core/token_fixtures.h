#pragma once
// A token-level run built by hand, for tests that need to know where every token went: four words as
// bytes, 2 layers, 4 experts, top-1. Byte 'q' always goes to expert 3; any other token to expert
// (position % 3) in layer 0 and ((position + 1) % 3) in layer 1.

#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"
#include "ndtmoe/trace/trace_batch.h"
#include "ndtmoe/trace/trace_writer.h"
#include "test_support.h"

namespace ndtmoe::test {

inline const std::vector<std::string>& hand_token_words() {
  static const std::vector<std::string> words{"aqb", "qq", "bqa", "a"};
  return words;
}

inline int64_t hand_token_expert(char byte, int64_t position, int64_t layer) {
  return byte == 'q' ? 3 : (position + layer) % 3;
}

inline int64_t hand_token_run(TraceStore& store, const std::string& directory) {
  const auto& words = hand_token_words();
  const int64_t B = static_cast<int64_t>(words.size()), S = 3, layers = 2;
  RunDescription d;
  d.name = "hand tokens";
  d.run_directory = directory;
  d.data_source = "hand";
  d.task = "classification";
  d.router_input = "hidden";
  d.family = "linear";
  d.layers = layers;
  d.experts = 4;
  d.top_k = 1;
  d.tokens = S;
  d.token_kind = "byte";
  d.total_samples = B;
  d.config_json = d.data_json = d.preprocessing_json = "{}";
  d.features = {{"word", false, {}, 0.0, 1.0}};
  d.classes = {"short", "long"};
  const int64_t id = store.begin_run(d);
  TraceBatch batch;
  batch.splits.assign(static_cast<size_t>(B), "test");
  batch.source_lines.assign(static_cast<size_t>(B), 0);
  batch.inputs = torch::zeros({B, S});
  batch.labels = torch::tensor({1, 0, 1, 0}, torch::kLong);
  batch.predictions = batch.labels.clone();
  batch.confidences = torch::ones({B});
  batch.tokens = S;
  batch.token_values = torch::full({B, S}, -1, torch::kLong);
  for (int64_t i = 0; i < B; ++i)
    for (int64_t p = 0; p < static_cast<int64_t>(words[static_cast<size_t>(i)].size()); ++p) {
      batch.token_values[i][p] = static_cast<int64_t>(words[static_cast<size_t>(i)][static_cast<size_t>(p)]);
      batch.inputs[i][p] = static_cast<float>(words[static_cast<size_t>(i)][static_cast<size_t>(p)] + 1);
    }
  for (int64_t l = 0; l < layers; ++l) {
    torch::Tensor experts = torch::full({B * S, 1}, -1, torch::kLong), weights = torch::zeros({B * S, 1});
    for (int64_t i = 0; i < B; ++i)
      for (int64_t p = 0; p < static_cast<int64_t>(words[static_cast<size_t>(i)].size()); ++p) {
        experts[i * S + p][0] = hand_token_expert(words[static_cast<size_t>(i)][static_cast<size_t>(p)], p, l);
        weights[i * S + p][0] = 1.0;
      }
    batch.layers.push_back({experts, weights, torch::zeros({B * S, 0}), torch::zeros({B * S, 0}), torch::zeros({B * S, 0, 1}), {}, {}, {}});
  }
  append_batch(store, id, batch);
  store.finish_run(id);
  return id;
}

}  // namespace ndtmoe::test
