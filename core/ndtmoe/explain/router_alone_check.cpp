#include "ndtmoe/explain/router_alone_check.h"

namespace ndtmoe {

RouterAloneCheck router_alone_check(MixturePredictor& model, const Preprocessor& pre, const torch::Tensor& x, const torch::Tensor& truth,
                                    torch::Device device) {
  const int64_t layers = model.config().layers;
  for (int64_t l = 0; l < layers; ++l) model.moe_layer(l)->record_expert_outputs(true);
  const ProbeResult full = probe(model, x, device);
  std::vector<torch::Tensor> means;
  for (int64_t l = 0; l < layers; ++l) {
    means.push_back(model.moe_layer(l)->recorded_expert_means());
    model.moe_layer(l)->record_expert_outputs(false);
  }
  for (int64_t l = 0; l < layers; ++l) model.moe_layer(l)->set_constant_experts(means[static_cast<size_t>(l)]);
  ProbeResult ablated;
  try {
    ablated = probe(model, x, device);
  } catch (...) {
    for (int64_t l = 0; l < layers; ++l) model.moe_layer(l)->set_constant_experts({});
    throw;
  }
  for (int64_t l = 0; l < layers; ++l) model.moe_layer(l)->set_constant_experts({});
  return {pre.task() == TaskKind::Classification ? "accuracy" : "rmse", task_score(pre, full.output, truth),
          task_score(pre, ablated.output, truth)};
}

}  // namespace ndtmoe
