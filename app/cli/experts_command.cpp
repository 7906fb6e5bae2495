#include <iostream>

#include "commands.h"
#include "ndtmoe/train/explicit_model.h"
#include "ndtmoe/train/run_directory.h"

namespace ndtmoe::cli {

void add_experts_command(CLI::App& app) {
  struct Flags {
    std::string run, out;
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand("export-experts", "Write an imoie student's explicit mode (every expert and router) as a CSV table of weights");
  command->add_option("--run", flags->run, "Run directory written by ndtmoe train --out")->required();
  command->add_option("--out", flags->out, "CSV file to write (expert,code,output,bias,<feature>...)")->required();
  command->add_flag("--json", flags->json, "Print one JSON object describing the table");
  command->callback([flags] {
    LoadedRun run = load_run(flags->run, "cpu");
    ExplicitModel model;
    try {
      model = explicit_model_of(run.experiment);
    } catch (const std::invalid_argument& e) {
      throw UsageError(flags->run + ": " + e.what());
    }
    write_explicit_model(model, flags->out);
    const int64_t experts = model.maps.size(0);
    if (flags->json)
      std::cout << nlohmann::json{{"file", flags->out}, {"experts", experts}, {"code_length", model.code_length}, {"classes", model.classes},
                                  {"features", model.features.size()}, {"explicit_top", model.top}}.dump()
                << "\n";
    else
      std::cout << flags->out << ": " << experts << " experts and their routers over " << model.features.size() << " features, "
                << model.classes.size() << " classes; predict with the softmax over the " << model.top << " largest router scores\n";
  });
}

}  // namespace ndtmoe::cli
