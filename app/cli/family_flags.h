#pragma once
// The student's model family on the command line: --family NAME, --option KEY=VALUE, and one flag per
// family option (--depth, --leaf-mode, ...), all made from the family registry's option descriptions,
// so `ndtmoe families`, the flags and the New run dialog share names, defaults and ranges.

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "ndtmoe/model/model_config.h"

namespace ndtmoe::cli {

class FamilyFlags {
 public:
  explicit FamilyFlags(std::string default_family = "ndt") : family_(std::move(default_family)) {}
  void add_to(CLI::App* command);
  // Sets the family and its options on `student` and normalizes them; throws UsageError naming the flag.
  void apply_to(ModelConfig& student) const;

 private:
  std::string family_;
  std::vector<std::string> key_values_;                 // --option KEY=VALUE
  std::map<std::string, std::string> values_;           // option name -> text of its own flag
  std::map<std::string, const CLI::Option*> options_;   // option name -> its flag, to see whether it was given
};

// "leaf_mode" -> "leaf-mode"
std::string option_flag(const std::string& option_name);

}  // namespace ndtmoe::cli
