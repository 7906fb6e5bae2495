#include "ndtmoe/moe_layer.h"

namespace ndtmoe {

FeedForwardExpertImpl::FeedForwardExpertImpl(FeedForwardExpertOptions o) {
  in_ = register_module("fc_in", torch::nn::Linear(o.d_model(), o.hidden()));
  dropout_ = register_module("dropout", torch::nn::Dropout(o.dropout()));
  out_ = register_module("fc_out", torch::nn::Linear(o.hidden(), o.d_model()));
}

torch::Tensor FeedForwardExpertImpl::forward(const torch::Tensor& x) {
  return out_->forward(dropout_->forward(torch::gelu(in_->forward(x))));
}

torch::Tensor switch_load_balance_loss(const torch::Tensor& probs, const torch::Tensor& top_experts) {
  const int64_t n = probs.size(1);
  torch::Tensor top1 = top_experts.select(1, 0);
  torch::Tensor fraction = torch::zeros({n}, probs.options()).index_add_(0, top1, torch::ones_like(top1, probs.options())) /
                           static_cast<double>(probs.size(0));
  return static_cast<double>(n) * (fraction * probs.mean(0)).sum();
}

torch::Tensor router_z_loss(const torch::Tensor& logits) { return torch::logsumexp(logits, -1).pow(2).mean(); }

NDTMoELayerImpl::NDTMoELayerImpl(MoELayerOptions o) : options_(o) {
  if (o.router() == RouterKind::Tree) {
    tree_router_ = register_module("router", NDTRouter(NDTRouterOptions(o.router_in(), o.num_experts())
                                                          .depth(o.depth()).trees(o.trees()).top_k(o.top_k()).leaf_mode(o.leaf_mode())));
  } else {
    if (o.top_k() < 1 || o.top_k() > o.num_experts()) throw std::invalid_argument("top-k must be in 1..experts");
    gate_ = register_module("gate", torch::nn::Linear(o.router_in(), o.num_experts()));
  }
  for (int64_t j = 0; j < o.num_experts(); ++j)
    experts_.push_back(register_module("expert" + std::to_string(j),
                                       FeedForwardExpert(FeedForwardExpertOptions(o.d_model(), o.expert_hidden()).dropout(o.dropout()))));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.d_model()})));
}

RoutingDecision NDTMoELayerImpl::route(const torch::Tensor& router_input) {
  if (tree_router_) return tree_router_->forward(router_input);
  RoutingDecision r;
  r.logits = gate_->forward(router_input);
  r.probs = torch::softmax(r.logits, -1);
  select_top_k(r, options_.top_k());
  return r;
}

MoELayerOutput NDTMoELayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& router_input) {
  MoELayerOutput out;
  out.routing = route(router_input);
  if (forced_experts_.defined()) {
    out.routing.top_experts = forced_experts_;
    out.routing.top_weights = torch::softmax(out.routing.logits.gather(1, forced_experts_), -1);
  }
  const int64_t K = out.routing.top_experts.size(1), N = options_.num_experts();

  // Sparse dispatch: sort the (sample, slot) pairs by expert, gather all inputs once, run each expert
  // once on its contiguous slice (a view), and scatter the weighted outputs back in one index_add.
  torch::Tensor flat_experts = out.routing.top_experts.reshape({-1});
  torch::Tensor order = std::get<1>(flat_experts.sort(c10::optional<bool>(true), /*dim=*/0, /*descending=*/false));
  torch::Tensor sample_of = torch::div(order, K, "floor");
  torch::Tensor weight_of = out.routing.top_weights.reshape({-1}).index_select(0, order);
  out.expert_counts = torch::bincount(flat_experts, {}, N);
  torch::Tensor counts_cpu = out.expert_counts.cpu();
  const auto* counts = counts_cpu.data_ptr<int64_t>();
  torch::Tensor gathered = hidden.index_select(0, sample_of);
  std::vector<torch::Tensor> outputs;
  int64_t offset = 0;
  for (int64_t j = 0; j < N; ++j) {
    if (counts[j] == 0) continue;
    torch::Tensor y = constant_experts_.defined() ? constant_experts_[j].expand({counts[j], -1})
                                                  : experts_[j]->forward(gathered.narrow(0, offset, counts[j]));
    if (recording_) {
      recorded_sums_[j] += y.detach().sum(0);
      recorded_counts_[j] += counts[j];
    }
    outputs.push_back(y);
    offset += counts[j];
  }
  torch::Tensor mixed = torch::zeros_like(hidden).index_add_(0, sample_of, torch::cat(outputs) * weight_of.unsqueeze(1));
  out.hidden = norm_->forward(hidden + mixed);
  out.load_balance = switch_load_balance_loss(out.routing.probs, out.routing.top_experts);
  out.z_loss = router_z_loss(out.routing.logits);
  return out;
}

void NDTMoELayerImpl::record_expert_outputs(bool on) {
  recording_ = on;
  const auto options = norm_->weight.options();
  recorded_sums_ = torch::zeros({options_.num_experts(), options_.d_model()}, options);
  recorded_counts_ = torch::zeros({options_.num_experts()}, options.dtype(torch::kDouble));
}

torch::Tensor NDTMoELayerImpl::recorded_expert_means() const {
  return recorded_sums_ / recorded_counts_.clamp_min(1).unsqueeze(1).to(recorded_sums_.scalar_type());
}

}  // namespace ndtmoe
