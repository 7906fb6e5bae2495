#include "ndtmoe/train/upcycling.h"

#include <regex>
#include <set>
#include <stdexcept>

#include "ndtmoe/model/mixture_predictor.h"

#include "ndtmoe/train/run_directory.h"

namespace ndtmoe {

namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + "]";
}

// Expert j's share of a dense parameter: the whole of it (copy), or its slice of the hidden units.
torch::Tensor expert_share(const std::string& name, const torch::Tensor& dense, const torch::Tensor& target, int64_t expert) {
  if (dense.sizes() == target.sizes()) return dense;
  const bool is_bias_out = name.find("fc_out.bias") != std::string::npos;
  // fc_in's weight [units, d] and bias [units] are sliced by rows, fc_out's weight [d, units] by columns.
  const int64_t dim = name.find("fc_out.weight") != std::string::npos ? 1 : 0;
  // The expert's slice must lie inside the dense units (narrow would throw its own message otherwise).
  if (!is_bias_out && dense.dim() == target.dim() && target.size(dim) > 0 && dense.size(dim) % target.size(dim) == 0 &&
      (expert + 1) * target.size(dim) <= dense.size(dim)) {
    const torch::Tensor slice = dense.narrow(dim, expert * target.size(dim), target.size(dim));
    if (slice.sizes() == target.sizes()) return slice;
  }
  throw std::invalid_argument("up-cycling: " + name + " is " + shape_text(target) + " but the dense model's is " + shape_text(dense) +
                              " (the dense MLP must be as wide as one expert, or as all experts together)");
}

}  // namespace

void upcycle_from_dense(Predictor& student, Predictor& dense) {
  auto* mixture = dynamic_cast<MixturePredictor*>(&student);
  if (!mixture) throw std::invalid_argument("up-cycling needs a student of mixture-of-experts layers");
  std::set<const void*> router_state;  // routers start fresh: their parameters, and buffers such as "initialized"
  for (int64_t l = 0; l < mixture->moe_layer_count(); ++l) {
    for (const torch::Tensor& p : mixture->moe_layer(l)->router()->parameters()) router_state.insert(p.data_ptr());
    for (const torch::Tensor& b : mixture->moe_layer(l)->router()->buffers()) router_state.insert(b.data_ptr());
  }
  const auto source = dense.named_parameters();
  const std::regex expert_parameter(R"(^(.*\.)expert(\d+)\.(fc_in|fc_out)\.(weight|bias)$)");
  torch::NoGradGuard no_grad;
  for (auto& item : student.named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor& target = item.value();
    std::smatch m;
    if (std::regex_match(name, m, expert_parameter)) {
      const std::string dense_name = m[1].str() + "expert0." + m[3].str() + "." + m[4].str();
      if (!source.contains(dense_name)) throw std::invalid_argument("up-cycling: the dense model has no " + dense_name);
      target.copy_(expert_share(name, source[dense_name], target, std::stoll(m[2].str())));
      continue;
    }
    if (router_state.count(target.data_ptr())) continue;
    if (!source.contains(name)) throw std::invalid_argument("up-cycling: the dense model has no " + name);
    if (source[name].sizes() != target.sizes())
      throw std::invalid_argument("up-cycling: " + name + " is " + shape_text(target) + " but the dense model's is " + shape_text(source[name]));
    target.copy_(source[name]);
  }
  // What the dense model took from its training rows (a piecewise-linear encoder's bin edges) goes with
  // the weights that were trained on it.
  const auto source_buffers = dense.named_buffers();
  for (auto& item : student.named_buffers())
    if (!router_state.count(item.value().data_ptr()) && source_buffers.contains(item.key()) &&
        source_buffers[item.key()].sizes() == item.value().sizes())
      item.value().copy_(source_buffers[item.key()]);
}

PredictorPtr dense_model_of_run(const std::string& run_directory) {
  LoadedRun run = load_run(run_directory, "cpu");
  const ModelConfig& config = run.experiment.student->config();
  if (config.experts != 1)
    throw std::invalid_argument(run_directory + ": its student has " + std::to_string(config.experts) +
                                " experts per layer; up-cycling starts from a dense run (--experts 1 --top-k 1)");
  return run.experiment.student;
}

}  // namespace ndtmoe
