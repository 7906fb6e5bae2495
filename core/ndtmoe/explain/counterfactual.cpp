#include "ndtmoe/explain/counterfactual.h"

#include <cmath>

namespace ndtmoe {

std::vector<Counterfactual> expert_counterfactuals(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x, int64_t layer,
                                                   torch::Device device, double span, int64_t grid) {
  if (layer < 0 || layer >= model.config().layers) throw std::invalid_argument("the model has no layer " + std::to_string(layer));
  const torch::Tensor row = x.reshape({1, -1}).to(torch::kFloat);
  const int64_t original = probe(model, row, device).top1[layer][0].item<int64_t>();
  // Offsets ordered by size, alternating sides: the first crossing is the smallest change.
  const torch::Tensor steps = torch::linspace(span / static_cast<double>(grid), span, grid, torch::kDouble);
  const torch::Tensor offsets = torch::stack({steps, -steps}, 1).reshape({-1});
  const auto columns = pre.encoded_sources();
  std::vector<std::pair<double, Counterfactual>> found;
  for (size_t c = 0; c < columns.size(); ++c) {
    const FeatureEncoding& feature = pre.features()[static_cast<size_t>(columns[c])];
    if (feature.nominal) continue;
    const auto column = static_cast<int64_t>(c);
    const auto moved = [&](const torch::Tensor& deltas) {
      torch::Tensor rows = row.repeat({deltas.size(0), 1});
      rows.select(1, column).add_(deltas.to(torch::kFloat));
      return probe(model, rows, device).top1[layer];
    };
    const torch::Tensor experts = moved(offsets);
    const torch::Tensor changed = experts.ne(original).nonzero();
    if (changed.numel() == 0) continue;
    const int64_t first = changed[0][0].item<int64_t>();
    // Bisect between the last unchanged offset on that side (or 0) and the first changed one.
    double outside = offsets[first].item<double>(), inside = first >= 2 ? offsets[first - 2].item<double>() : 0.0;
    int64_t to_expert = experts[first].item<int64_t>();
    for (int i = 0; i < 20; ++i) {
      const double middle = 0.5 * (inside + outside);
      const int64_t e = moved(torch::tensor({middle}, torch::kDouble))[0].item<int64_t>();
      if (e == original) inside = middle;
      else outside = middle, to_expert = e;
    }
    const double u = row[0][column].item<double>();
    found.push_back({std::abs(outside), {feature.name, column, feature.decode_number(u), feature.decode_number(u + outside),
                                          original, to_expert}});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Counterfactual> result;
  for (auto& [size, cf] : found) result.push_back(std::move(cf));
  return result;
}

}  // namespace ndtmoe
