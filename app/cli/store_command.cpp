#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "interrupt.h"
#include "ndtmoe/store/store_merge.h"
#include "progress_line.h"

namespace ndtmoe::cli {

namespace {

struct MergeFlags {
  std::vector<std::string> inputs;
  std::string out;
  bool json = false;
};

void merge(const MergeFlags& flags) {
  ProgressLine line;
  const std::vector<MergedRun> runs = merge_stores(
      flags.inputs, flags.out,
      [&](int64_t done, int64_t total) {
        line.show("[merge] " + std::to_string(done) + "/" + std::to_string(total) + " runs and shards copied", done == total);
      },
      &cancel_on_interrupt());
  line.finish();
  if (flags.json) {
    nlohmann::json report{{"store", flags.out}, {"runs", nlohmann::json::array()}};
    for (const MergedRun& run : runs)
      report["runs"].push_back({{"run", run.run}, {"name", run.name}, {"samples", run.samples}, {"sources", run.sources},
                                {"explanations", run.explanations}, {"explanations_left", run.explanations_left}});
    std::cout << report.dump() << std::endl;
    return;
  }
  std::cout << "Wrote " << flags.out << " with " << runs.size() << (runs.size() == 1 ? " run" : " runs") << ":\n";
  for (const MergedRun& run : runs) {
    std::cout << "  run " << run.run << " " << run.name << ": " << run.samples << " samples from " << run.sources.front();
    for (size_t s = 1; s < run.sources.size(); ++s) std::cout << ", " << run.sources[s];
    if (run.explanations_left > 0)
      std::cout << " (" << run.explanations_left << " explanations of single shards left behind: run ndtmoe explain on the merged run)";
    std::cout << "\n";
  }
}

}  // namespace

void add_store_command(CLI::App& app) {
  CLI::App* store = app.add_subcommand("store", "Work on trace stores as files: merge the shards of a trace or whole stores");
  store->require_subcommand(1);
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd = store->add_subcommand(
      "merge", "Join trace stores into a new one: the shards of a trace (ndtmoe trace --shard i/n) become one run, whole runs are "
               "copied, run ids are given anew");
  cmd->add_option("stores", flags->inputs, "The trace stores to merge, in the order their runs get ids")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", flags->out, "The merged store (a new file)")->required();
  cmd->add_flag("--json", flags->json, "Print one JSON object: each merged run's id, samples and sources");
  cmd->callback([flags] { merge(*flags); });
}

}  // namespace ndtmoe::cli
