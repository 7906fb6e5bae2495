#include "ndtmoe/store/shard.h"

#include <regex>
#include <stdexcept>

namespace ndtmoe {

Shard parse_shard(const std::string& text) {
  static const std::regex form(R"(([0-9]{1,9})/([0-9]{1,9}))");
  std::smatch parts;
  const auto refuse = [&](const std::string& why) {
    return std::invalid_argument("shard \"" + text + "\": " + why + " (give i/n, the i-th of n slices, 1 <= i <= n, e.g. 2/4)");
  };
  if (!std::regex_match(text, parts, form)) throw refuse("not of the form i/n");
  const Shard shard{std::stoll(parts[1]), std::stoll(parts[2])};
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count) throw refuse("the index is outside 1.." + parts[2].str());
  return shard;
}

}  // namespace ndtmoe
