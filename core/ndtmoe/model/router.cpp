#include "ndtmoe/model/router.h"

#include <stdexcept>

namespace ndtmoe {

torch::Tensor RoutingDecision::record(const std::string& name) const {
  const auto found = records.find(name);
  return found == records.end() ? torch::Tensor() : found->second;
}

RoutingDecision placed_rows(const RoutingDecision& r, const torch::Tensor& rows, const torch::Tensor& positions, int64_t total) {
  const auto place = [&](const torch::Tensor& values, double fill) {
    if (!values.defined()) return values;
    const torch::Tensor kept = rows.defined() ? values.index_select(0, rows) : values;
    std::vector<int64_t> shape = kept.sizes().vec();
    shape[0] = total;
    return torch::full(shape, fill, kept.options()).index_copy_(0, positions, kept);
  };
  RoutingDecision placed{place(r.logits, 0), place(r.probs, 0), place(r.top_experts, -1), place(r.top_weights, 0), {}};
  for (const auto& [name, record] : r.records) placed.records[name] = place(record, 0);
  return placed;
}

void select_top_k(RoutingDecision& decision, int64_t top_k) {
  auto [values, indices] = decision.logits.topk(top_k, /*dim=*/-1);
  decision.top_experts = indices;
  decision.top_weights = torch::softmax(values, -1);
}

LinearGateRouterImpl::LinearGateRouterImpl(int64_t in_features, int64_t num_experts, int64_t top_k) : top_k_(top_k) {
  if (top_k < 1 || top_k > num_experts)
    throw std::invalid_argument("top-k must be in 1.." + std::to_string(num_experts) + ", got " + std::to_string(top_k));
  // torch::nn::Linear's initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
  torch::nn::Linear reference(in_features, num_experts);
  weight_ = register_parameter("weight", reference->weight.detach().clone());
  bias_ = register_parameter("bias", reference->bias.detach().clone());
}

std::map<std::string, torch::Tensor> LinearGateRouterImpl::traced_parameters() { return {{"gate_weight", weight_}, {"gate_bias", bias_}}; }

RoutingDecision LinearGateRouterImpl::forward(const torch::Tensor& router_input) {
  RoutingDecision r;
  r.logits = torch::nn::functional::linear(router_input, weight_, bias_);
  r.probs = torch::softmax(r.logits, -1);
  select_top_k(r, top_k_);
  return r;
}

}  // namespace ndtmoe
