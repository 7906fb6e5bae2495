#pragma once
// The options a model family declares — name, type, default, range, help — and their parsing and
// checking. One description serves the CLI's flags, the New run dialog's form, `ndtmoe families` and
// run.json, so the three front ends cannot disagree on a name or a default. No libtorch here.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ndtmoe {

enum class OptionType { Integer, Real, Choice, Flag };
const char* to_string(OptionType type);

struct OptionSpec {
  std::string name;              // the CLI flag without "--", the key in run.json
  OptionType type = OptionType::Integer;
  nlohmann::json default_value;
  double minimum = 0, maximum = 0;   // Integer and Real, inclusive
  std::vector<std::string> choices;  // Choice
  std::string help;

  // "integer in 1..12", "one of linear, identity, sparse", ...
  std::string describe_values() const;
  // Throws std::invalid_argument naming the option when the value has the wrong type or range.
  void check(const nlohmann::json& value) const;
  // Parses a command-line or form value ("3", "1e-3", "sparse", "true") and checks it.
  nlohmann::json parse(const std::string& text) const;
};

// `given` completed with the defaults of `specs` and checked; a key that no spec declares is an error
// that names the family and lists its options.
nlohmann::json complete_options(const std::string& family, const std::vector<OptionSpec>& specs, const nlohmann::json& given);

}  // namespace ndtmoe
