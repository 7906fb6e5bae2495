#include "ndtmoe/explain/model_probe.h"

namespace ndtmoe {

ProbeResult probe(MixturePredictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  model.eval();
  std::vector<torch::Tensor> outputs, tops;
  for (int64_t begin = 0; begin < x.size(0); begin += batch_size) {
    PredictorOutput out = model.run(x.slice(0, begin, std::min(x.size(0), begin + batch_size)).to(device));
    outputs.push_back(out.output.to(torch::kCPU, torch::kFloat));
    std::vector<torch::Tensor> layer_tops;
    for (const LayerRouting& r : out.routing) layer_tops.push_back(r.decision.top_experts.select(1, 0).cpu());
    tops.push_back(torch::stack(layer_tops));
  }
  return {torch::cat(outputs), torch::cat(tops, 1)};
}

double task_score(const Preprocessor& pre, const torch::Tensor& output, const torch::Tensor& truth) {
  if (pre.task() == TaskKind::Classification)
    return output.argmax(1).eq(truth.to(torch::kLong)).to(torch::kDouble).mean().item<double>();
  const torch::Tensor predicted = pre.restore_target(output).flatten().to(torch::kDouble);
  return (predicted - truth.to(torch::kDouble)).pow(2).mean().sqrt().item<double>();
}

std::vector<FeatureColumns> feature_columns(const Preprocessor& pre) {
  std::vector<FeatureColumns> features;
  for (const FeatureEncoding& f : pre.features()) features.push_back({f.name, {}});
  const std::vector<int64_t> sources = pre.encoded_sources();
  for (size_t c = 0; c < sources.size(); ++c) features[static_cast<size_t>(sources[c])].columns.push_back(static_cast<int64_t>(c));
  return features;
}

}  // namespace ndtmoe
