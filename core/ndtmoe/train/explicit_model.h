#pragma once
// An IMoIE student's explicit mode as a table of weights, readable without the network that generated
// it: every expert's linear map to the classes and its linear router, one CSV row per (expert, output):
//   expert,code,output,bias,<feature>,...
//   5,+-+-,T-shirt/top,0.12,...      (code: bit l of the expert index as '+' or '-', l = 0 first)
//   5,+-+-,router,-0.40,...
// The weights apply to the model's encoded inputs (standardised as run.json's preprocessing says).
// Explicit(x) = Σ_n softmax(top-k of R(x))_n E_n(x).

#include <string>
#include <torch/torch.h>
#include <vector>

#include "ndtmoe/train/experiment.h"

namespace ndtmoe {

struct ExplicitModel {
  int64_t code_length = 0;
  std::vector<std::string> classes, features;
  torch::Tensor maps;  // [2^L, classes + 1, features + 1]: the experts' rows, then the router's; the bias last
  int64_t top = 8;     // softmax over this many largest router scores

  torch::Tensor predict(const torch::Tensor& x) const;  // [B, features] → [B, classes] logits
};

// Throws std::invalid_argument when the run's student is not an imoie model with a binary code.
ExplicitModel explicit_model_of(Experiment& experiment);

// Written atomically: a failed write leaves no half-written file.
void write_explicit_model(const ExplicitModel& model, const std::string& path);
// Reads a table write_explicit_model wrote; a malformed one is a DataError naming the file, the line
// and the cause (a missing expert or output row, a code that does not match its expert, ...).
ExplicitModel read_explicit_model(const std::string& path, int64_t top = 8);

}  // namespace ndtmoe
