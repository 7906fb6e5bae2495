#pragma once
// The one source of the engine's defaults that differ from the structs' own: what `ndtmoe train`, the
// New run dialog and docs/cli.md start from, and the built-in demo run of `ndtmoe demo` and the
// workbench's --demo.

#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/run_directory.h"

namespace ndtmoe {

// Student: the structs' defaults (2 layers, 8 experts, top-2, family ndt of depth 3); AdamW at lr 1e-3
// with weight decay 1e-2, batch 32, up to 200 epochs with patience 50 (small tabular sets need the extra
// steps; measured on the six reference sets, docs/quality.md). Teacher: 60 epochs at lr 1e-3 with
// weight decay 1e-2.
ExperimentConfig default_experiment_config();

// Student epochs when none are given: enough for about 20,000 optimizer steps on the rows that fit the
// weights (the training rows less the validation share), at least 20 and at most 200 — 200 for every
// table of ../shared/data, 20 for Fashion-MNIST's 60,000 images — so small sets get the steps they need
// and large ones do not train for hours. Patience: a quarter of the epochs, at least 10.
inline constexpr int64_t kStudentTargetSteps = 20000;
int64_t default_student_epochs(int64_t training_rows, int64_t batch_size, double validation_fraction);
int64_t default_patience(int64_t epochs);

// Experts per layer when none are given: the structs' 8, or 4 for images. A tree router thresholds single
// inputs, and one pixel says little about an image: with fewer experts each learns from more of the rows
// the router sends it. On digits (8x8) 4 experts gained 0.7 points over 8 on two splits; 2 gained 1.0 but
// leave top-2 routing no choice (docs/quality.md).
int64_t default_experts(const std::vector<int64_t>& image_shape);

// The vision teacher's patch size when none is given: 4, or 2 for images under 16 pixels a side (the
// 8x8 digits then make 16 patches of 2x2), lowered until it divides both sides.
int64_t default_patch(const std::vector<int64_t>& image_shape);

// What the front ends do not ask separately: the student trains with the run's seed and the teacher with
// seed + 1; the teacher shares the student's batch size, patience and dropout.
void tie_teacher_to_student(ExperimentConfig& config);

struct DemoSetup {
  DataDescription data;
  ExperimentConfig config;
};

// 2,000 rows of builtin:rule-tree (labels from a known rule tree), a small teacher and a student whose
// tiny experts make the routers carry the rule tree, so the demo's trees read the informative features
// f0..f2 (96% accuracy; layer 0 splits on f0 and f1).
DemoSetup demo_setup();

}  // namespace ndtmoe
