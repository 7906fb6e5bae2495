#include <iostream>

#include "commands.h"
#include "family_flags.h"
#include "ndtmoe/model/family_registry.h"

namespace ndtmoe::cli {

namespace {

nlohmann::json family_json(const Family& family) {
  nlohmann::json options = nlohmann::json::array();
  for (const OptionSpec& spec : family.options) {
    nlohmann::json o{{"name", spec.name}, {"flag", "--" + option_flag(spec.name)}, {"type", to_string(spec.type)},
                     {"default", spec.default_value}, {"values", spec.describe_values()}, {"help", spec.help}};
    if (spec.type == OptionType::Integer || spec.type == OptionType::Real) o.update({{"minimum", spec.minimum}, {"maximum", spec.maximum}});
    if (spec.type == OptionType::Choice) o["choices"] = spec.choices;
    options.push_back(o);
  }
  return {{"name", family.name}, {"description", family.description}, {"options", options},
          {"analyses", family.analyses}, {"view_panel", family.view_panel}};
}

void print_family(const Family& family) {
  std::cout << family.name << "  " << family.description << "\n";
  if (family.options.empty()) std::cout << "    (no options of its own)\n";
  for (const OptionSpec& spec : family.options)
    std::cout << "    --" << option_flag(spec.name) << " (default " << spec.default_value.dump() << "; " << spec.describe_values()
              << ")\n        " << spec.help << "\n";
}

}  // namespace

void add_families_command(CLI::App& app) {
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("families", "List the model families a student can be of, with their options and defaults");
  command->add_flag("--json", *json, "Print the families as one JSON array");
  command->callback([json] {
    if (*json) {
      nlohmann::json all = nlohmann::json::array();
      for (const Family* family : registered_families()) all.push_back(family_json(*family));
      std::cout << all.dump() << std::endl;
      return;
    }
    std::cout << "Families (ndtmoe train --family NAME, each option as its flag or --option KEY=VALUE):\n\n";
    for (const Family* family : registered_families()) print_family(*family);
  });
}

}  // namespace ndtmoe::cli
