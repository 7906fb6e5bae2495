#include "ndtmoe/analysis/generated_experts.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ndtmoe {

int64_t StoredExperts::slot_of(int64_t expert) const {
  const auto found = std::find(ids.begin(), ids.end(), expert);
  return found == ids.end() ? -1 : static_cast<int64_t>(found - ids.begin());
}

float StoredExperts::weight(int64_t slot, int64_t output, int64_t input) const {
  return maps[static_cast<size_t>((slot * (classes + 1) + output) * (inputs + 1) + input)];
}

double StoredExperts::score(int64_t slot, int64_t output, const std::vector<float>& x) const {
  double sum = weight(slot, output, inputs);
  for (int64_t i = 0; i < inputs && i < static_cast<int64_t>(x.size()); ++i) sum += static_cast<double>(weight(slot, output, i)) * x[static_cast<size_t>(i)];
  return sum;
}

StoredExperts stored_experts(const RunDescription& run, int64_t layer) {
  StoredExperts experts;
  if (layer < 0 || static_cast<size_t>(layer) >= run.router_tensors.size()) return experts;
  const auto& tensors = run.router_tensors[static_cast<size_t>(layer)];
  const auto maps = tensors.find("expert_maps"), ids = tensors.find("expert_ids");
  if (maps == tensors.end() || ids == tensors.end()) return experts;
  const std::vector<int64_t>& shape = maps->second.shape;
  if (shape.size() != 3 || shape[1] < 2 || shape[2] < 1 || ids->second.values.size() != static_cast<size_t>(shape[0]) ||
      maps->second.values.size() != static_cast<size_t>(shape[0] * shape[1] * shape[2]))
    throw StoreError("run " + run.name + ": the stored expert maps and ids disagree in shape");
  experts.classes = shape[1] - 1;
  experts.inputs = shape[2] - 1;
  for (float id : ids->second.values) experts.ids.push_back(static_cast<int64_t>(id));
  experts.maps = maps->second.values;
  return experts;
}

std::vector<ExplicitRoute> explicit_routes(const StoredExperts& experts, const std::vector<float>& x, int64_t top) {
  std::vector<ExplicitRoute> routes;
  for (size_t slot = 0; slot < experts.ids.size(); ++slot)
    routes.push_back({experts.ids[slot], experts.score(static_cast<int64_t>(slot), experts.classes, x), 0});
  const size_t kept = std::min(routes.size(), static_cast<size_t>(std::max<int64_t>(top, 0)));
  std::partial_sort(routes.begin(), routes.begin() + static_cast<std::ptrdiff_t>(kept), routes.end(),
                    [](const ExplicitRoute& a, const ExplicitRoute& b) { return a.score > b.score; });
  routes.resize(kept);
  if (routes.empty()) return routes;
  double total = 0;
  for (ExplicitRoute& r : routes) total += r.weight = std::exp(r.score - routes.front().score);
  for (ExplicitRoute& r : routes) r.weight /= total;
  return routes;
}

}  // namespace ndtmoe
