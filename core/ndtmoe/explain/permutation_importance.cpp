#include "ndtmoe/explain/permutation_importance.h"

namespace ndtmoe {

namespace {

MeanSpread mean_spread(const std::vector<double>& values) {
  const torch::Tensor t = torch::tensor(values, torch::kDouble);
  return {t.mean().item<double>(), values.size() > 1 ? t.std().item<double>() : 0.0};
}

}  // namespace

PermutationImportance permutation_importance(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x,
                                             const torch::Tensor& truth, int repeats, uint64_t seed, torch::Device device) {
  if (repeats < 1) throw std::invalid_argument("permutation importance needs at least one repeat");
  const ProbeResult base = probe(model, x, device);
  const bool classification = pre.task() == TaskKind::Classification;
  PermutationImportance result;
  result.score_name = classification ? "accuracy" : "rmse";
  result.baseline_score = task_score(pre, base.output, truth);
  const int64_t layers = base.top1.size(0);
  result.routing.assign(static_cast<size_t>(layers), {});
  torch::Generator generator = at::detail::createCPUGenerator(seed);
  for (const FeatureColumns& feature : feature_columns(pre)) {
    result.features.push_back(feature.name);
    const torch::Tensor columns = torch::tensor(feature.columns, torch::kLong);
    std::vector<double> drops;
    std::vector<std::vector<double>> changes(static_cast<size_t>(layers));
    for (int r = 0; r < repeats; ++r) {
      const torch::Tensor order = torch::randperm(x.size(0), generator, torch::kLong);
      torch::Tensor shuffled = x.clone();
      shuffled.index_copy_(1, columns, x.index_select(1, columns).index_select(0, order));
      const ProbeResult p = probe(model, shuffled, device);
      const double score = task_score(pre, p.output, truth);
      drops.push_back(classification ? result.baseline_score - score : score - result.baseline_score);
      for (int64_t l = 0; l < layers; ++l)
        changes[static_cast<size_t>(l)].push_back(p.top1[l].ne(base.top1[l]).to(torch::kDouble).mean().item<double>());
    }
    result.output.push_back(mean_spread(drops));
    for (int64_t l = 0; l < layers; ++l) result.routing[static_cast<size_t>(l)].push_back(mean_spread(changes[static_cast<size_t>(l)]));
  }
  return result;
}

}  // namespace ndtmoe
