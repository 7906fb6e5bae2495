#include "ndtmoe/explain/integrated_gradients.h"

namespace ndtmoe {

namespace {

// Holds every layer's expert sets for the duration of a scope (cleared also when an error unwinds it).
class ForcedExperts {
 public:
  ForcedExperts(MixturePredictor& model, const std::vector<torch::Tensor>& experts) : model_(model) {
    for (size_t l = 0; l < experts.size(); ++l) model_.moe_layer(static_cast<int64_t>(l))->set_forced_experts(experts[l]);
  }
  ~ForcedExperts() {
    for (int64_t l = 0; l < model_.config().layers; ++l) model_.moe_layer(l)->set_forced_experts({});
  }

 private:
  MixturePredictor& model_;
};

torch::Tensor explained_value(const PredictorOutput& out, int64_t layer, const torch::Tensor& index) {
  const torch::Tensor& logits = layer < 0 ? out.output : out.routing.at(static_cast<size_t>(layer)).decision.logits;
  return logits.gather(1, index.unsqueeze(1)).squeeze(1);
}

}  // namespace

IntegratedGradients integrated_gradients(MixturePredictor& model, const torch::Tensor& x, const torch::Tensor& baseline, int64_t steps,
                                         int64_t layer, torch::Device device) {
  if (steps < 1) throw std::invalid_argument("integrated gradients needs at least one step");
  if (layer >= model.config().layers) throw std::invalid_argument("the model has no layer " + std::to_string(layer));
  model.eval();
  const int64_t points = steps + 1, chunk = std::max<int64_t>(1, 4096 / points);
  const torch::Tensor alphas = torch::linspace(0, 1, points, torch::TensorOptions(device)).view({1, points, 1});
  const torch::Tensor quadrature = torch::full({points}, 1.0 / static_cast<double>(steps), torch::TensorOptions(device))
                                       .index_fill_(0, torch::tensor({int64_t{0}, steps}, torch::TensorOptions(device).dtype(torch::kLong)),
                                                    0.5 / static_cast<double>(steps))
                                       .view({1, points, 1});
  const torch::Tensor base = baseline.to(device, torch::kFloat).view({1, 1, -1});
  std::vector<torch::Tensor> attributions, at_input, at_baseline, targets;
  for (int64_t begin = 0; begin < x.size(0); begin += chunk) {
    const torch::Tensor xc = x.slice(0, begin, std::min(x.size(0), begin + chunk)).to(device, torch::kFloat);
    const int64_t c = xc.size(0);
    std::vector<torch::Tensor> experts;
    torch::Tensor index;
    {
      torch::NoGradGuard no_grad;
      const PredictorOutput out = model.run(xc);
      for (const LayerRouting& r : out.routing) experts.push_back(r.decision.top_experts.repeat_interleave(points, 0));
      index = layer < 0 ? (out.output.size(1) > 1 ? out.output.argmax(1) : torch::zeros({c}, xc.options().dtype(torch::kLong)))
                        : out.routing[static_cast<size_t>(layer)].decision.top_experts.select(1, 0);
    }
    const ForcedExperts hold(model, experts);
    torch::Tensor path = (base + alphas * (xc.unsqueeze(1) - base)).reshape({c * points, -1}).detach().requires_grad_(true);
    const torch::Tensor value = explained_value(model.run(path), layer, index.repeat_interleave(points, 0));
    const torch::Tensor gradient = torch::autograd::grad({value.sum()}, {path})[0].view({c, points, -1});
    const torch::Tensor along = value.detach().view({c, points});
    attributions.push_back(((xc - base.view({1, -1})) * (gradient * quadrature).sum(1)).cpu());
    at_input.push_back(along.select(1, steps).cpu());
    at_baseline.push_back(along.select(1, 0).cpu());
    targets.push_back(index.cpu());
  }
  return {torch::cat(attributions), torch::cat(at_input), torch::cat(at_baseline), torch::cat(targets)};
}

}  // namespace ndtmoe
