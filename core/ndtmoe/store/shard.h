#pragma once
// One of n slices of the traced data's rows, traced on its own (`ndtmoe trace --shard i/n`, for example
// one slice per node of a cluster) and joined again by `ndtmoe store merge`.

#include <cstdint>
#include <string>
#include <utility>

namespace ndtmoe {

struct Shard {
  int64_t index = 1, count = 1;  // the index-th of count slices, 1-based
  bool whole() const { return count == 1; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
  // Rows [first, end) of `rows`: slice i of n holds rows floor((i-1)·rows/n) up to floor(i·rows/n), so the
  // slices cover every row once and differ in size by at most one.
  std::pair<int64_t, int64_t> rows(int64_t rows) const { return {(index - 1) * rows / count, index * rows / count}; }
};

// "i/n" with 1 <= i <= n; throws std::invalid_argument quoting the text and the expected form.
Shard parse_shard(const std::string& text);

}  // namespace ndtmoe
