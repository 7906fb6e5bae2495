#pragma once
// The raw, typed content of a data file before a target is chosen: one entry per column.

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace ndtmoe {

// Thrown for malformed input; the message names the file, line (and column) and the cause.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats "file:line:column: cause" (line/column omitted when 0).
std::string located_message(const std::string& file, int64_t line, int64_t column, const std::string& cause);

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Column {
  std::string name;
  bool nominal = false;
  std::vector<std::string> categories;  // nominal only; values hold indices into this list
  std::vector<double> values;           // one per row; NaN marks a missing value
  // Free text (ARFF `string`, or a column declared as text): stored like a nominal column, each distinct
  // string a category, but encoded as its UTF-8 bytes rather than one-hot.
  bool text = false;
};

struct Table {
  std::string source;                 // file name or "builtin:NAME", used in messages
  std::vector<Column> columns;
  std::vector<int64_t> source_lines;  // line of each row in the source (0 when generated)
  std::vector<int64_t> image_shape;   // {channels, height, width} when every row is an image

  int64_t rows() const { return static_cast<int64_t>(source_lines.size()); }
  int64_t column_index(const std::string& name) const;  // -1 when absent
};

}  // namespace ndtmoe
