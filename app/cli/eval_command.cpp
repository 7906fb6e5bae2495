#include <filesystem>
#include <iostream>

#include "commands.h"
#include "ndtmoe/train/run_directory.h"
#include "report.h"

namespace ndtmoe::cli {

namespace {

bool same_source(const std::string& a, const std::string& b) {
  if (a.rfind("builtin:", 0) == 0 || b.rfind("builtin:", 0) == 0) return a == b;
  std::error_code error;
  return std::filesystem::weakly_canonical(a, error) == std::filesystem::weakly_canonical(b, error) && !error;
}

// Scores on the rows a model was fitted on flatter it; say so rather than let them pass as a test.
void warn_when_trained_on(const LoadedRun& run, const std::string& directory, const std::string& source) {
  if (!same_source(source, run.data.source) || (!run.data.test_source.empty() && same_source(source, run.data.test_source))) return;
  std::cerr << "ndtmoe: warning: " << source << " is the data the run was trained on; its fitting rows are among these, so the scores "
            << "below are optimistic. The held-out scores are under \"metrics\" in " << directory << "/run.json.\n";
}

}  // namespace

void add_eval_command(CLI::App& app) {
  struct Flags {
    std::string run, data, device = "auto";
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a trained run on a data set: metrics of every model and student-teacher agreement");
  cmd->add_option("--run", flags->run, "Run directory written by ndtmoe train --out")->required();
  cmd->add_option("--data", flags->data, "Data file or builtin:NAME with the columns the run was trained on")->required();
  cmd->add_option("--device", flags->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_flag("--json", flags->json, "Print the metrics as one JSON object");
  cmd->callback([flags] {
    LoadedRun run = load_run(flags->run, flags->device);
    const Dataset data = load_data_for_run(run, flags->data);
    warn_when_trained_on(run, flags->run, flags->data);
    const auto metrics = evaluate_experiment(run.experiment, data, resolve_device(flags->device));
    if (flags->json) {
      std::cout << nlohmann::json{{"run", flags->run}, {"data", flags->data}, {"rows", data.rows()}, {"metrics", metric_table_json(metrics)}}.dump()
                << std::endl;
      return;
    }
    std::cout << data.name << " (" << data.rows() << " rows):\n";
    print_metric_table(std::cout, metrics);
  });
}

}  // namespace ndtmoe::cli
