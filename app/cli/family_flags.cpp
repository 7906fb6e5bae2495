#include "family_flags.h"

#include <algorithm>

#include "commands.h"
#include "ndtmoe/model/family_registry.h"

namespace ndtmoe::cli {

std::string option_flag(const std::string& option_name) {
  std::string flag = option_name;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

void FamilyFlags::add_to(CLI::App* command) {
  std::vector<std::string> names;
  for (const Family* family : registered_families()) names.push_back(family->name);
  command->add_option("--family", family_, "Model family (ndtmoe families lists them)")->check(CLI::IsMember(names));
  command->add_option("--option", key_values_, "A family option as KEY=VALUE (repeatable)");
  // Families may share an option name (each checks its own values); the first declaration names the flag.
  for (const Family* family : registered_families())
    for (const OptionSpec& spec : family->options) {
      if (options_.count(spec.name)) continue;
      options_[spec.name] = command->add_option("--" + option_flag(spec.name), values_[spec.name],
                                                spec.help + " (family " + family->name + "; " + spec.describe_values() + ")");
    }
}

void FamilyFlags::apply_to(ModelConfig& student) const {
  const Family& family = find_family(family_);
  const auto spec_of = [&](const std::string& name, const std::string& flag) -> const OptionSpec& {
    for (const OptionSpec& spec : family.options)
      if (spec.name == name) return spec;
    throw UsageError(flag + ": family " + family.name + " has no such option (ndtmoe families lists each family's options)");
  };
  nlohmann::json given = nlohmann::json::object();
  const auto set = [&](const std::string& name, const std::string& text, const std::string& flag) {
    try {
      given[name] = spec_of(name, flag).parse(text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(flag + ": " + e.what());
    }
  };
  for (const auto& [name, option] : options_)
    if (option->count() > 0) set(name, values_.at(name), "--" + option_flag(name));
  for (const std::string& key_value : key_values_) {
    const size_t equals = key_value.find('=');
    if (equals == std::string::npos || equals == 0) throw UsageError("--option " + key_value + ": expected KEY=VALUE");
    std::string key = key_value.substr(0, equals);
    std::replace(key.begin(), key.end(), '-', '_');
    set(key, key_value.substr(equals + 1), "--option " + key_value);
  }
  student.family = family.name;
  student.family_options = given;
  try {
    normalize_family_config(student);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

}  // namespace ndtmoe::cli
