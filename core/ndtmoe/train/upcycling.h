#pragma once
// Sparse up-cycling (Komatsuzaki et al. 2023), MoE-X's best way to train: a student of MLP experts starts
// from a trained dense model — the same stack with one expert per layer (`--experts 1 --top-k 1`), so
// every layer is one dense MLP. Everything but the experts and the router is copied. Each expert gets a
// copy of the dense MLP when their widths are equal (the student then computes exactly the dense model
// at its first step, whatever it routes, since the gate weights sum to one), or its own slice of the
// dense units when the dense MLP is experts x wider (the units of the wide sparse MLP start as the dense
// ones). The router starts fresh.

#include <string>

#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

// Throws std::invalid_argument naming the parameter and both shapes when `dense` does not fit `student`.
void upcycle_from_dense(Predictor& student, Predictor& dense);

// The student of the run in `run_directory`, checked to be dense (one expert per layer).
PredictorPtr dense_model_of_run(const std::string& run_directory);

}  // namespace ndtmoe
