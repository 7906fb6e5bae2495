#pragma once
// The README's main job: a built-in demo run (rule-tree data, a transformer teacher, the distilled
// NDT-MoE student) trained and traced into a store, so a new user sees every view populated.

#include <atomic>
#include <functional>
#include <string>

namespace ndtmoe::workbench {

struct DemoProgress {
  std::string stage;   // what is running
  double fraction = 0; // of the whole job
};

// Trains and traces into `store_path` (replacing an incomplete demo). Runs on a worker thread.
// Returns false when cancelled.
bool build_demo_store(const std::string& directory, const std::string& store_path, const std::function<void(const DemoProgress&)>& progress,
                      const std::atomic<bool>& cancel);

}  // namespace ndtmoe::workbench
