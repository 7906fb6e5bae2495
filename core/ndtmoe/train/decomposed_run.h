#pragma once
// A decomposition directory (`ndtmoe decompose --out`) opened as a run: the run it was made from, whose
// student is that run's model with the decomposed layer replaced by the stand-in of the decomposition's
// family (SplicedModel). `ndtmoe trace --run DIR`, a resumed trace, explanations and the workbench's
// what-if read a decomposition as they read a run, so its experts are explored like a student's.

#include <string>

#include "ndtmoe/train/run_directory.h"

namespace ndtmoe {

bool is_decomposition_directory(const std::string& directory);

// The original run's teacher and baselines stay; its student's report is replaced by the spliced model's
// (the decomposition's metric and normalised MSE on the test rows), and the decomposition's other
// measurements join the reports as models: each transcoder by its kind, "original" and "zero_ablated".
// The manifest gains "decomposition" (directory, run, layer, family, k, metric), which a trace keeps in
// its configuration (decomposition_frontier.h reads it). Throws DataError naming
// decomposition.json or the weight file that is missing, damaged or does not fit the run's layer.
LoadedRun load_decomposed_run(const std::string& directory, const std::string& device = "auto");

// A run directory, or a decomposition directory as above.
LoadedRun load_traced_run(const std::string& directory, const std::string& device = "auto");

}  // namespace ndtmoe
