#include "ndtmoe/model/moe_layer.h"

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe {

torch::Tensor switch_load_balance_loss(const torch::Tensor& probs, const torch::Tensor& top_experts) {
  const int64_t n = probs.size(1);
  torch::Tensor top1 = top_experts.select(1, 0);
  torch::Tensor fraction = torch::zeros({n}, probs.options()).index_add_(0, top1, torch::ones_like(top1, probs.options())) /
                           static_cast<double>(probs.size(0));
  return static_cast<double>(n) * (fraction * probs.mean(0)).sum();
}

torch::Tensor router_z_loss(const torch::Tensor& logits) { return torch::logsumexp(logits, -1).pow(2).mean(); }

MoELayerImpl::MoELayerImpl(MoELayerOptions o) : options_(std::move(o)) {
  const Family& family = find_family(options_.family);
  // The router first, then the experts: the order in which they draw from the global generator.
  router_ = register_module(family.router_module, family.make_router(options_));
  experts_ = family.make_experts(options_);
  experts_->register_in(*this);
  router_->bind_experts(*experts_);
  if (options_.residual_norm) norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({options_.d_model})));
}

MoELayerOutput MoELayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& router_input) {
  MoELayerOutput out;
  out.routing = router_->forward(router_input);
  if (forced_experts_.defined()) {
    out.routing.top_experts = forced_experts_;
    out.routing.top_weights = router_->weigh_selected(out.routing.logits.gather(1, forced_experts_));
  }
  out.expert_counts = torch::bincount(out.routing.top_experts.reshape({-1}), {}, options_.experts);
  if (recording_inputs_) out.routing.records[kLayerInputRecord] = hidden;
  if (options_.routing_losses) {
    if (!out.routing.probs.defined()) out.routing.probs = torch::softmax(out.routing.logits, -1);
    out.load_balance = switch_load_balance_loss(out.routing.probs, out.routing.top_experts);
    out.z_loss = router_z_loss(out.routing.logits);
  }
  // A bank that shares its experts' work mixes them in one pass; analyses that watch or replace single
  // experts need them run one by one.
  std::optional<torch::Tensor> mixed;
  if (!recording_ && !recording_neurons_ && !constant_experts_.defined() && !silenced_neurons_.defined()) mixed = experts_->mix(hidden, out.routing);
  if (!mixed) mixed = dispatch(hidden, out.routing, out.expert_counts);
  if (const torch::Tensor shared = experts_->shared_output(); shared.defined()) *mixed = *mixed + shared;
  out.hidden = norm_ ? norm_->forward(hidden + *mixed) : *mixed;
  return out;
}

torch::Tensor MoELayerImpl::dispatch(const torch::Tensor& hidden, RoutingDecision& routing, const torch::Tensor& expert_counts) {
  const int64_t K = routing.top_experts.size(1), N = options_.experts;
  // Sort the (sample, slot) pairs by expert, gather all inputs once, run each expert
  // once on its contiguous slice (a view), and scatter the weighted outputs back in one index_add.
  torch::Tensor flat_experts = routing.top_experts.reshape({-1});
  torch::Tensor order = std::get<1>(flat_experts.sort(c10::optional<bool>(true), /*dim=*/0, /*descending=*/false));
  torch::Tensor sample_of = torch::div(order, K, "floor");
  torch::Tensor weight_of = routing.top_weights.reshape({-1}).index_select(0, order);
  torch::Tensor counts_cpu = expert_counts.cpu();
  const auto* counts = counts_cpu.data_ptr<int64_t>();
  torch::Tensor gathered = hidden.index_select(0, sample_of);
  const int64_t units = recording_neurons_ ? experts_->units_per_expert() : 0;
  torch::Tensor neurons = units > 0 ? torch::zeros({hidden.size(0) * K, units}, hidden.options()) : torch::Tensor();
  std::vector<torch::Tensor> outputs;
  int64_t offset = 0;
  for (int64_t j = 0; j < N; ++j) {
    if (counts[j] == 0) continue;
    const torch::Tensor rows = gathered.narrow(0, offset, counts[j]);
    torch::Tensor y;
    if (constant_experts_.defined()) {
      y = constant_experts_[j].expand({counts[j], -1});
    } else if (silenced_neurons_.defined() || neurons.defined()) {
      // The analysis hooks (eval mode): the hidden units once, recorded and/or silenced, then the output.
      torch::Tensor units_of_rows = experts_->hidden_units(j, rows);
      if (neurons.defined())
        neurons.index_copy_(0, order.narrow(0, offset, counts[j]), units_of_rows.detach() * weight_of.narrow(0, offset, counts[j]).unsqueeze(1));
      if (silenced_neurons_.defined()) units_of_rows = silence_units(j, units_of_rows, sample_of.narrow(0, offset, counts[j]));
      y = experts_->output_from_units(j, units_of_rows);
    } else {
      y = experts_->forward(j, rows);
    }
    if (recording_) {
      recorded_sums_[j] += y.detach().sum(0);
      recorded_counts_[j] += counts[j];
    }
    outputs.push_back(y);
    offset += counts[j];
  }
  if (neurons.defined()) routing.records[kNeuronActivationsRecord] = neurons.view({hidden.size(0), K, units});
  // The experts map d_model inputs to d_model outputs, or (imoie) the raw inputs to the classes.
  return torch::zeros({hidden.size(0), options_.d_model}, hidden.options()).index_add_(0, sample_of, torch::cat(outputs) * weight_of.unsqueeze(1));
}

torch::Tensor MoELayerImpl::silence_units(int64_t expert, torch::Tensor units, const torch::Tensor& samples) const {
  const int64_t per_expert = experts_->units_per_expert();
  const torch::Tensor silenced = silenced_neurons_.to(samples.device()).index_select(0, samples);  // [rows]
  const torch::Tensor mine = silenced.ge(0).logical_and(torch::div(silenced, per_expert, "floor").eq(expert));
  const torch::Tensor unit = torch::remainder(silenced, per_expert).clamp_min(0);
  const torch::Tensor keep = torch::ones_like(units).scatter(1, unit.unsqueeze(1), mine.logical_not().to(units.scalar_type()).unsqueeze(1));
  return units * keep;
}

void MoELayerImpl::record_expert_outputs(bool on) {
  recording_ = on;
  const auto options = parameters().front().options();
  recorded_sums_ = torch::zeros({options_.experts, options_.d_model}, options);
  recorded_counts_ = torch::zeros({options_.experts}, options.dtype(torch::kDouble));
}

torch::Tensor MoELayerImpl::recorded_expert_means() const {
  return recorded_sums_ / recorded_counts_.clamp_min(1).unsqueeze(1).to(recorded_sums_.scalar_type());
}

}  // namespace ndtmoe
