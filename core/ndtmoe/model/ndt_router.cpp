#include "ndtmoe/model/ndt_router.h"

#include <stdexcept>

#include "ndtmoe/model/entmax.h"
#include "ndtmoe/model/leaf_probabilities.h"
#include "ndtmoe/model/ndt_family.h"

namespace ndtmoe {

const char* to_string(LeafExpertMode mode) {
  switch (mode) {
    case LeafExpertMode::Linear: return "linear";
    case LeafExpertMode::Identity: return "identity";
    case LeafExpertMode::Sparse: return "sparse";
  }
  return "?";
}

LeafExpertMode leaf_expert_mode_from_string(const std::string& text) {
  if (text == "linear") return LeafExpertMode::Linear;
  if (text == "identity") return LeafExpertMode::Identity;
  if (text == "sparse") return LeafExpertMode::Sparse;
  throw std::invalid_argument("unknown leaf->expert mode '" + text + "' (expected linear, identity or sparse)");
}

NDTRouterImpl::NDTRouterImpl(NDTRouterOptions options) : options_(options) {
  const int64_t T = options_.trees(), D = options_.depth(), N = options_.num_experts();
  if (D < 1 || D > 12) throw std::invalid_argument("router depth must be in 1..12, got " + std::to_string(D));
  if (T < 1) throw std::invalid_argument("router needs at least one tree");
  if (options_.top_k() < 1 || options_.top_k() > N)
    throw std::invalid_argument("top-k must be in 1.." + std::to_string(N) + ", got " + std::to_string(options_.top_k()));
  selector_logits_ = register_parameter("selector_logits", torch::rand({T, D, options_.in_features()}));
  thresholds_ = register_parameter("thresholds", torch::zeros({T, D}));
  log_temperatures_ = register_parameter("log_temperatures", torch::zeros({T, D}));
  initialized_ = register_buffer("initialized", torch::zeros({}, torch::kBool));
  const int64_t total_leaves = T * leaves();
  switch (options_.leaf_mode()) {
    case LeafExpertMode::Linear:
      leaf_to_expert_ = register_module("leaf_to_expert", torch::nn::Linear(total_leaves, N));
      break;
    case LeafExpertMode::Identity:
      if (N != total_leaves)
        throw std::invalid_argument("identity leaf->expert mode needs experts = trees * 2^depth = " + std::to_string(total_leaves) +
                                    ", got " + std::to_string(N));
      break;
    case LeafExpertMode::Sparse:
      // Each leaf starts favouring expert (leaf mod N) so the sparse map is not uniform at start.
      leaf_expert_logits_ = register_parameter(
          "leaf_expert_logits", torch::one_hot(torch::arange(total_leaves) % N, N).to(torch::kFloat32) * 2.0 + 0.1 * torch::randn({total_leaves, N}));
      break;
  }
}

bool NDTRouterImpl::initialized() {
  if (!known_initialized_) known_initialized_ = initialized_.item<bool>();
  return known_initialized_;
}

torch::Tensor NDTRouterImpl::selector_weights() { return entmax15(selector_logits_, -1); }

torch::Tensor NDTRouterImpl::split_values(const torch::Tensor& router_input) {
  const int64_t T = options_.trees(), D = options_.depth();
  torch::Tensor w = selector_weights().reshape({T * D, -1});
  return torch::matmul(router_input, w.t()).view({-1, T, D});
}

void NDTRouterImpl::initialize_from(const torch::Tensor& router_input) {
  torch::NoGradGuard no_grad;
  const int64_t T = options_.trees(), D = options_.depth();
  torch::Tensor values = split_values(router_input).reshape({-1, T * D});  // [B, T*D]
  // Beta(b, b) quantiles through two Gamma draws (libtorch has no Beta sampler).
  const auto opts = values.options();
  torch::Tensor a = at::_standard_gamma(torch::full({T * D}, options_.threshold_init_beta(), opts));
  torch::Tensor b = at::_standard_gamma(torch::full({T * D}, options_.threshold_init_beta(), opts));
  torch::Tensor q = a / (a + b);
  torch::Tensor sorted = std::get<0>(values.sort(0));
  const int64_t n = sorted.size(0);
  torch::Tensor rank = (q * static_cast<double>(n - 1)).round().to(torch::kLong).clamp(0, n - 1);
  torch::Tensor thresholds = sorted.gather(0, rank.unsqueeze(0)).squeeze(0);
  torch::Tensor spread = (values - thresholds).abs();
  torch::Tensor temperature =
      std::get<0>(spread.sort(0)).select(0, static_cast<int64_t>(options_.threshold_init_cutoff() * static_cast<double>(n - 1)));
  thresholds_.copy_(thresholds.view({T, D}));
  log_temperatures_.copy_(torch::log(temperature + 1e-6).view({T, D}));
  initialized_.fill_(true);
  known_initialized_ = true;
}

RoutingDecision NDTRouterImpl::forward(const torch::Tensor& router_input) {
  if (is_training() && !initialized()) initialize_from(router_input);
  const int64_t T = options_.trees(), B = router_input.size(0);
  RoutingDecision r;
  const torch::Tensor values = split_values(router_input);
  const torch::Tensor decisions = entmoid15((values - thresholds_) * torch::exp(-log_temperatures_));
  const torch::Tensor leaf_probs = leaf_probabilities(decisions);
  r.records = {{kSplitValuesRecord, values}, {kDecisionsRecord, decisions}, {kLeafProbsRecord, leaf_probs}};
  torch::Tensor flat = leaf_probs.reshape({B, T * leaves()});
  switch (options_.leaf_mode()) {
    case LeafExpertMode::Linear:
      r.logits = leaf_to_expert_->forward(flat);
      r.probs = torch::softmax(r.logits, -1);
      break;
    case LeafExpertMode::Identity:
      r.probs = flat / static_cast<double>(T);
      r.logits = torch::log(r.probs + 1e-9);
      break;
    case LeafExpertMode::Sparse:
      r.probs = torch::matmul(flat / static_cast<double>(T), entmax15(leaf_expert_logits_, -1));
      r.logits = torch::log(r.probs + 1e-9);
      break;
  }
  select_top_k(r, options_.top_k());
  return r;
}

torch::Tensor NDTRouterImpl::leaf_expert_map() {
  switch (options_.leaf_mode()) {
    case LeafExpertMode::Linear: {
      // The logits a sample would get sitting fully in one leaf: weight column + bias.
      torch::Tensor w = leaf_to_expert_->weight.t() + leaf_to_expert_->bias.unsqueeze(0);
      return torch::softmax(w, -1);
    }
    case LeafExpertMode::Identity: return torch::eye(options_.num_experts());
    case LeafExpertMode::Sparse: return entmax15(leaf_expert_logits_, -1);
  }
  return {};
}

}  // namespace ndtmoe
