#pragma once
// Training-throughput benchmarks of the engine (forward + backward + optimizer step), the same
// configurations as bench/python_reference.py so the two can be compared on one machine.

#include <functional>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace ndtmoe {

struct ThroughputResult {
  std::string name;
  std::string device;
  int64_t batch = 0;
  double samples_per_s = 0;    // median over the timed repeats
  std::vector<double> repeats; // samples/s of each timed repeat
};

struct ThroughputOptions {
  int warmup_steps = 3;
  int repeats = 7;
  int steps_per_repeat = 5;
  double min_seconds = 0.5;  // each timed repeat lasts at least this long
  std::vector<int64_t> batches{256, 4096};
  std::string filter;  // substring of the configuration name; empty runs all
};

// Runs (a) NDTRouter alone: 64 inputs, depth 6, 1 and 16 trees, entmax15 selection, entmoid15 decisions,
// 16 experts top-2, Adam; (b) one Mixture of Decoders layer, d=64, hidden 256, K=32 of N = 1024, 4096 and
// 16384 experts; (c) the full model: d=64, depth 6, 16 experts, top-2, 4 layers, 10 classes; (d) the
// tabular transformer teacher on 64 features, training and inference.
// `report` receives each result as soon as it is measured.
void run_throughput_benchmarks(torch::Device device, const ThroughputOptions& options,
                               const std::function<void(const ThroughputResult&)>& report);

}  // namespace ndtmoe
