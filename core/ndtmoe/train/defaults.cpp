#include "ndtmoe/train/defaults.h"

namespace ndtmoe {

ExperimentConfig default_experiment_config() {
  ExperimentConfig config;
  config.teacher_training.epochs = 60;
  config.teacher_training.lr = 1e-3;
  config.teacher_training.weight_decay = 1e-2;
  config.student_training.epochs = 100;
  config.student_training.batch_size = 32;
  return config;
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
