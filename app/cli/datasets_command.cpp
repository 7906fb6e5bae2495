#include <iostream>

#include "commands.h"
#include "ndtmoe/data/builtin_data.h"

namespace ndtmoe::cli {

void add_datasets_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("datasets", "List the built-in data sets (use as --data builtin:NAME)");
  cmd->callback([] {
    for (const auto& info : builtin_datasets()) std::cout << "builtin:" << info.name << "\n    " << info.description << "\n";
  });
}

}  // namespace ndtmoe::cli
