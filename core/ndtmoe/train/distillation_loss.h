#pragma once
// The student objective of DESIGN.md:
//   alpha * task(y) + (1 - alpha) * T^2 * KL(softmax(teacher/T) || softmax(student/T))
//   + lambda_lb * load_balance + lambda_z * z_loss + lambda_h * hidden_match
// Regression replaces the task and KD terms by MSE to the targets and to the teacher's outputs. A family
// may weigh the task and KD terms (output_weight) and add terms of its own: the student's family_losses
// as they are, and the task loss of each of its extra_outputs, weighted (PredictorOutput).

#include <map>
#include <string>
#include <torch/torch.h>

#include "ndtmoe/data/dataset.h"
#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

struct LossWeights {
  double alpha = 0.5;         // weight of the task loss; 1 - alpha goes to distillation
  double temperature = 2.0;
  double lambda_lb = 0.01;
  double lambda_z = 0.0;
  double lambda_h = 0.0;
};

struct LossTerms {
  torch::Tensor total;
  std::map<std::string, torch::Tensor> terms;  // "task", "distill", "load_balance", "z_loss", "hidden", and the family's
};

// T^2 * KL(p_teacher || p_student) at temperature T, averaged over the batch.
torch::Tensor kd_kl_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits, double temperature);

torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, TaskKind task);

// `teacher_output` undefined: no distillation (alpha is taken as 1). `hidden_target` undefined or
// lambda_h = 0: no hidden matching; otherwise `projected_hidden` is the student's hidden state mapped
// to the teacher's width.
LossTerms distillation_loss(const PredictorOutput& student, const torch::Tensor& target, const torch::Tensor& teacher_output,
                            const torch::Tensor& projected_hidden, const torch::Tensor& hidden_target, TaskKind task,
                            const LossWeights& weights);

}  // namespace ndtmoe
