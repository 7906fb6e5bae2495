#pragma once
// The router side of a mixture-of-experts layer, as every model family implements it: expert logits
// and probabilities, the top-K experts and their weights per row, plus named records that only one
// family produces (the NDT trees' per-level decisions, for instance), which the tracer stores as that
// family's own tables.

#include <map>
#include <memory>
#include <string>
#include <torch/torch.h>

namespace ndtmoe {

class ExpertBank;

struct RoutingDecision {
  torch::Tensor logits;       // [B, N] expert logits (load balancing and z-loss read these)
  torch::Tensor probs;        // [B, N] router probabilities over all experts; undefined: the softmax of the logits, which the layer computes when load balancing needs it
  torch::Tensor top_experts;  // [B, K] int64
  torch::Tensor top_weights;  // [B, K] weights of the selected experts: a softmax over them (mxd: ReLU gate values)
  std::map<std::string, torch::Tensor> records;  // family-specific, each with the batch as its first dimension

  // The named record, or an undefined tensor when this family does not produce it.
  torch::Tensor record(const std::string& name) const;
};

// The decision's rows `rows` [M] (undefined: all of them) placed at `positions` [M] of a decision over
// `total` rows, whose other rows have expert -1 and weight 0, as a padding position.
RoutingDecision placed_rows(const RoutingDecision& decision, const torch::Tensor& rows, const torch::Tensor& positions, int64_t total);

// Selects the top-K experts by logit; weights are a softmax over the selected logits only.
void select_top_k(RoutingDecision& decision, int64_t top_k);

class RouterImpl : public torch::nn::Module {
 public:
  virtual RoutingDecision forward(const torch::Tensor& router_input) = 0;
  // Parameters the trace store keeps for the views, by name (the tree tables hold the ndt router's).
  virtual std::map<std::string, torch::Tensor> traced_parameters() { return {}; }
  // Called once by the layer that owns both, after its experts exist: a router that scores experts
  // from their weights (moe-x) keeps the bank; the layer outlives neither.
  virtual void bind_experts(ExpertBank& experts) {}
  // The weights of a chosen set of experts from their logits [B, K], as forward weighs its own top-K
  // (the layer asks when an analysis forces the experts).
  virtual torch::Tensor weigh_selected(const torch::Tensor& selected_logits) const { return torch::softmax(selected_logits, -1); }
};
using RouterPtr = std::shared_ptr<RouterImpl>;

// The standard softmax gate (Shazeer et al. 2017, Switch): logits = W x + b, top-K, softmax over the
// selected logits. Its parameters sit directly on the module (`weight`, `bias`), as a Linear's would.
class LinearGateRouterImpl : public RouterImpl {
 public:
  LinearGateRouterImpl(int64_t in_features, int64_t num_experts, int64_t top_k);
  RoutingDecision forward(const torch::Tensor& router_input) override;
  // "gate_weight" [N, in] and "gate_bias" [N].
  std::map<std::string, torch::Tensor> traced_parameters() override;
  torch::Tensor weight() const { return weight_; }  // [N, in]
  torch::Tensor bias() const { return bias_; }      // [N]

 protected:
  int64_t top_k_;

 private:
  torch::Tensor weight_, bias_;
};

}  // namespace ndtmoe
