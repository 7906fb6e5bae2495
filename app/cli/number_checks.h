#pragma once
// Range checks for numeric flags. CLI11's NonNegativeNumber and PositiveNumber are ranges up to
// DBL_MAX and say so, 300 digits long, when a value is refused; these say what is wanted.

#include <CLI/CLI.hpp>
#include <string>

namespace ndtmoe::cli {

inline CLI::Validator at_least(double least, bool inclusive, const std::string& wanted, const std::string& name) {
  return CLI::Validator(
      [least, inclusive, wanted](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        return (inclusive ? value >= least : value > least) ? std::string() : text + " is too small: give " + wanted;
      },
      name);
}

inline const CLI::Validator& non_negative() {
  static const CLI::Validator check = at_least(0, true, "0 or more", "NONNEGATIVE");
  return check;
}

inline const CLI::Validator& positive() {
  static const CLI::Validator check = at_least(0, false, "a number above 0", "POSITIVE");
  return check;
}

}  // namespace ndtmoe::cli
