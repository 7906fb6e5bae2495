#include <cerrno>
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

bool parse_number(const std::string& token, double* value) {
  if (token.empty()) return false;
  const char* begin = token.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || errno == ERANGE) return false;
  *value = v;
  return true;
}

}  // namespace ndtmoe
