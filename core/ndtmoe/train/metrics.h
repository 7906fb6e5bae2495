#pragma once
// Evaluation metrics over model outputs (CPU tensors).

#include <map>
#include <string>
#include <torch/torch.h>

#include "ndtmoe/data/dataset.h"

namespace ndtmoe {

// Classification: accuracy, macro_f1, log_loss and (binary only) auroc, from logits [n, C] and int64
// labels. Regression: rmse, mae, r2 from outputs [n] or [n, 1] and targets, in the units given.
std::map<std::string, double> compute_metrics(const torch::Tensor& outputs, const torch::Tensor& targets, TaskKind task);

// Classification: "agreement", the share of samples where both predict the same class.
// Regression: "agreement_rmse", the RMSE between the two models' outputs.
std::map<std::string, double> agreement(const torch::Tensor& a, const torch::Tensor& b, TaskKind task);

// Area under the ROC curve for scores of the positive class; ties get half credit.
double auroc(const torch::Tensor& positive_scores, const torch::Tensor& is_positive);

}  // namespace ndtmoe
