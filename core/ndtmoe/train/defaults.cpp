#include "ndtmoe/train/defaults.h"

#include <algorithm>
#include <cmath>

namespace ndtmoe {

ExperimentConfig default_experiment_config() {
  ExperimentConfig config;
  config.teacher_training.epochs = 60;
  config.teacher_training.lr = 1e-3;
  config.teacher_training.weight_decay = 1e-2;
  config.student_training.epochs = 200;  // default_student_epochs of a small table; the front ends apply the rule to the data
  config.student_training.patience = default_patience(200);
  config.student_training.lr = 1e-3;
  config.student_training.weight_decay = 1e-2;
  config.student_training.batch_size = 32;
  return config;
}

int64_t default_student_epochs(int64_t training_rows, int64_t batch_size, double validation_fraction) {
  const auto fit_rows = static_cast<double>(training_rows) * (1.0 - validation_fraction);
  const double steps_per_epoch = std::max(1.0, std::ceil(fit_rows / static_cast<double>(std::max<int64_t>(1, batch_size))));
  return std::clamp(static_cast<int64_t>(std::ceil(static_cast<double>(kStudentTargetSteps) / steps_per_epoch)), int64_t{20}, int64_t{200});
}

int64_t default_patience(int64_t epochs) { return std::max<int64_t>(10, epochs / 4); }

int64_t default_experts(const std::vector<int64_t>& image_shape) { return image_shape.empty() ? ModelConfig{}.experts : 4; }

int64_t default_patch(const std::vector<int64_t>& image_shape) {
  if (image_shape.size() != 3) return ExperimentConfig{}.teacher.patch;
  const int64_t height = image_shape[1], width = image_shape[2];
  int64_t patch = std::min(height, width) >= 16 ? 4 : 2;
  while (patch > 1 && (height % patch != 0 || width % patch != 0)) --patch;
  return patch;
}

void tie_teacher_to_student(ExperimentConfig& config) {
  config.student_training.seed = config.seed;
  config.teacher_training.seed = config.seed + 1;
  config.teacher_training.batch_size = config.student_training.batch_size;
  config.teacher_training.patience = config.student_training.patience;
  config.teacher.dropout = config.student.dropout;
}

DemoSetup demo_setup() {
  // The structs' own defaults underneath (teacher lr 3e-3, batch 64): the demo was tuned on them.
  DemoSetup demo{DataDescription::holdout("builtin:rule-tree", 2000), ExperimentConfig{}};
  ExperimentConfig& config = demo.config;
  config.student.layers = 2;
  config.student.experts = 4;
  config.student.family = "ndt";
  config.student.family_options = {{"depth", 2}};
  config.student.d_model = 8;
  config.student.expert_hidden = 8;
  config.student_training.epochs = 60;
  config.teacher.d_token = 32;
  config.teacher.blocks = 2;
  config.teacher_training.epochs = 15;
  config.baselines = false;
  return demo;
}

}  // namespace ndtmoe
