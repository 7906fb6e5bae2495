#pragma once
// Joins trace stores into one (`ndtmoe store merge`): the shards of a trace (`ndtmoe trace --shard i/n`,
// each slice traced on its own machine) become one run, as if traced whole, and whole runs are copied.
// Run ids are given anew in the order of the inputs, so they stay unique.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ndtmoe {

struct MergedRun {
  int64_t run = 0;  // id in the merged store
  std::string name;
  int64_t samples = 0;
  std::vector<std::string> sources;  // "STORE run ID" of each part, in sample order
  int64_t explanations = 0;       // stored explanations carried over (of a whole run)
  int64_t explanations_left = 0;  // a shard's explanations, which describe its slice alone and stay behind
};

// Parts (whole runs and shards) copied so far, of how many.
using MergeProgress = std::function<void(int64_t done, int64_t total)>;

// Writes `output`, which must not exist, from every run of `inputs`; nothing is written unless all of it
// is. Refused, with the store and the run named: an incomplete run, a trace whose shards are missing,
// repeated or of different trainings, shards holding neuron summaries, and an unreadable store. Once
// `cancel` is set it stops after the part being copied, removes what it wrote and throws StoreError.
std::vector<MergedRun> merge_stores(const std::vector<std::string>& inputs, const std::string& output,
                                    const MergeProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ndtmoe
