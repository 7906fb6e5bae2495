#pragma once
// Batched, gradient-free evaluation of an NDT-MoE model that keeps what the analyses compare: the
// outputs and every layer's top-1 expert.

#include <torch/torch.h>

#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/train/preprocessing.h"

namespace ndtmoe {

struct ProbeResult {
  torch::Tensor output;  // [n, out] on the CPU
  torch::Tensor top1;    // [layers, n] int64 on the CPU
};

ProbeResult probe(MixturePredictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size = 4096);

// Accuracy (classification, truth = class index) or RMSE in original units (regression).
double task_score(const Preprocessor& pre, const torch::Tensor& output, const torch::Tensor& truth);

// The encoded columns of each source feature (a nominal feature owns its one-hot slots).
struct FeatureColumns {
  std::string name;
  std::vector<int64_t> columns;
};
std::vector<FeatureColumns> feature_columns(const Preprocessor& pre);

}  // namespace ndtmoe
