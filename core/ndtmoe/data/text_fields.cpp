#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "ndtmoe/data/readers.h"

namespace ndtmoe {

std::string trim(const std::string& text) {
  const char* space = " \t\r\n";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return {};
  const size_t last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

bool is_missing_token(const std::string& token) {
  return token.empty() || token == "?" || token == "NA" || token == "N/A" || token == "NaN" || token == "nan";
}

namespace {

enum class NumberReading { Usable, NotANumber, Infinite, OutOfRange, TooLarge };

NumberReading read_number(const std::string& token, double* value) {
  if (token.empty()) return NumberReading::NotANumber;
  const char* begin = token.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  // The whole token, embedded NULs included, must be the number.
  if (end == begin || end != begin + token.size()) return NumberReading::NotANumber;
  if (std::isnan(v)) return NumberReading::NotANumber;
  if (std::isinf(v)) return errno == ERANGE ? NumberReading::OutOfRange : NumberReading::Infinite;
  if (std::fabs(v) > kLargestValue) return NumberReading::TooLarge;
  *value = v;  // an underflow (ERANGE with a tiny or zero result) is the small number it is
  return NumberReading::Usable;
}

}  // namespace

bool parse_number(const std::string& token, double* value) {
  double v;
  if (read_number(token, &v) != NumberReading::Usable) return false;
  *value = v;
  return true;
}

std::string unusable_number(const std::string& token) {
  double v;
  switch (read_number(token, &v)) {
    case NumberReading::Infinite: return "not a finite number";
    case NumberReading::OutOfRange: return "outside the range of a double";
    case NumberReading::TooLarge: return "larger in magnitude than 1e150, which standardisation cannot square";
    default: return {};
  }
}

std::string quoted_excerpt(const std::string& token) {
  constexpr size_t kLongest = 60;
  std::string shown = token.substr(0, kLongest);
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (token.size() > kLongest) shown += "... (" + std::to_string(token.size()) + " bytes)";
  return "'" + shown + "'";
}

}  // namespace ndtmoe
