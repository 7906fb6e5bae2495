#include "ndtmoe/train/distillation_loss.h"

namespace ndtmoe {

torch::Tensor kd_kl_loss(const torch::Tensor& student_logits, const torch::Tensor& teacher_logits, double temperature) {
  torch::Tensor log_p_student = torch::log_softmax(student_logits / temperature, -1);
  torch::Tensor log_p_teacher = torch::log_softmax(teacher_logits / temperature, -1);
  torch::Tensor kl = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(-1).mean();
  return temperature * temperature * kl;
}

torch::Tensor task_loss(const torch::Tensor& output, const torch::Tensor& target, TaskKind task) {
  if (task == TaskKind::Classification) return torch::nn::functional::cross_entropy(output, target);
  return torch::mse_loss(output.squeeze(-1), target);
}

LossTerms distillation_loss(const PredictorOutput& student, const torch::Tensor& target, const torch::Tensor& teacher_output,
                            const torch::Tensor& projected_hidden, const torch::Tensor& hidden_target, TaskKind task,
                            const LossWeights& w) {
  LossTerms out;
  torch::Tensor task_term = task_loss(student.output, target, task);
  out.terms["task"] = task_term;
  if (teacher_output.defined()) {
    torch::Tensor distill = task == TaskKind::Classification ? kd_kl_loss(student.output, teacher_output, w.temperature)
                                                             : torch::mse_loss(student.output, teacher_output);
    out.terms["distill"] = distill;
    out.total = w.alpha * task_term + (1.0 - w.alpha) * distill;
  } else {
    out.total = task_term;
  }
  if (student.output_weight != 1.0) out.total = student.output_weight * out.total;
  for (const auto& [name, term] : student.family_losses) {
    out.terms[name] = term;
    out.total = out.total + term;
  }
  for (const PredictorOutput::WeightedOutput& extra : student.extra_outputs) {
    const torch::Tensor term = task_loss(extra.output, target, task);
    out.terms[extra.name] = term;
    if (extra.weight != 0.0) out.total = out.total + extra.weight * term;
  }
  if (student.load_balance.defined()) {
    out.terms["load_balance"] = student.load_balance;
    out.terms["z_loss"] = student.z_loss;
    if (w.lambda_lb != 0.0) out.total = out.total + w.lambda_lb * student.load_balance;
    if (w.lambda_z != 0.0) out.total = out.total + w.lambda_z * student.z_loss;
  }
  if (w.lambda_h != 0.0 && hidden_target.defined() && projected_hidden.defined()) {
    torch::Tensor hidden = torch::mse_loss(projected_hidden, hidden_target);
    out.terms["hidden"] = hidden;
    out.total = out.total + w.lambda_h * hidden;
  }
  return out;
}

}  // namespace ndtmoe
