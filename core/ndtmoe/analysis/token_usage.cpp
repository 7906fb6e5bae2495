#include "ndtmoe/analysis/token_usage.h"

#include <algorithm>
#include <cstdio>

namespace ndtmoe {

std::vector<TokenShare> top_tokens(const std::vector<CountCell>& cells, int64_t expert, size_t limit) {
  std::vector<TokenShare> shares;
  int64_t total = 0;
  for (const CountCell& cell : cells) {
    if (cell.row != expert) continue;
    total += cell.samples;
    if (cell.samples > 0) shares.push_back({cell.column, cell.samples, 0, cell.assignments > 0 ? cell.weight / static_cast<double>(cell.assignments) : 0});
  }
  for (TokenShare& share : shares) share.share = static_cast<double>(share.tokens) / static_cast<double>(total);
  std::sort(shares.begin(), shares.end(), [](const TokenShare& a, const TokenShare& b) {
    return a.tokens != b.tokens ? a.tokens > b.tokens : a.key < b.key;
  });
  if (shares.size() > limit) shares.resize(limit);
  return shares;
}

std::string token_label(const std::string& token_kind, int64_t value, const std::vector<FeatureInfo>& features, int64_t patch_columns) {
  if (token_kind == "byte") {
    if (value == ' ') return "\u2423";
    if (value > ' ' && value < 0x7f) return std::string(1, static_cast<char>(value));
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(value & 0xff));
    return hex;
  }
  if (token_kind == "feature" && value >= 0 && value < static_cast<int64_t>(features.size())) return features[static_cast<size_t>(value)].name;
  if (token_kind == "patch" && patch_columns > 0) return "patch " + std::to_string(value / patch_columns) + "," + std::to_string(value % patch_columns);
  return "#" + std::to_string(value);
}

}  // namespace ndtmoe
