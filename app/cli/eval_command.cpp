#include <iostream>

#include "commands.h"
#include "ndtmoe/train/run_directory.h"
#include "report.h"

namespace ndtmoe::cli {

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
