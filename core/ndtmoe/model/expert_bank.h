#pragma once
// The expert side of a mixture-of-experts layer. A bank runs one expert on the rows routed to it; the
// layer does the dispatch. A bank is not a module of its own: it registers its parameters on the layer
// that owns it, so checkpoints keep the names `expert0.fc_in.weight`, ... whatever the family.

#include <map>
#include <memory>
#include <optional>
#include <torch/torch.h>
#include <vector>

#include "ndtmoe/model/router.h"

namespace ndtmoe {

class ExpertBank {
 public:
  virtual ~ExpertBank() = default;
  virtual int64_t size() const = 0;
  // Expert `expert` on its rows x [rows, d_model] -> [rows, d_model].
  virtual torch::Tensor forward(int64_t expert, const torch::Tensor& x) = 0;
  virtual void register_in(torch::nn::Module& layer) = 0;
  // Banks whose experts share their work (mxd: one encoder and one decoder, column-scaled per expert;
  // imoie: experts generated from their codes) compute every row's weighted sum of its experts
  // (routing.top_experts [B, K], routing.top_weights [B, K]) in one pass, cheaper than running each
  // expert on its rows, and may read the router's records; nullopt lets the layer dispatch row by row.
  virtual std::optional<torch::Tensor> mix(const torch::Tensor& x, const RoutingDecision& routing) { return std::nullopt; }
  // A term every row's mixture gets whatever its experts (mxd's output bias), added by the layer on
  // either path; undefined when the bank has none.
  virtual torch::Tensor shared_output() const { return {}; }
  // Banks of MLP experts: the hidden units each expert has (its neurons) and their activations on the
  // expert's rows x [rows, d_model] -> [rows, units]; 0 and undefined for banks without such units.
  virtual int64_t units_per_expert() const { return 0; }
  virtual torch::Tensor hidden_units(int64_t expert, const torch::Tensor& x) { return {}; }
  // The expert's output from its hidden units [rows, units] (as in eval mode: no dropout).
  virtual torch::Tensor output_from_units(int64_t expert, const torch::Tensor& units) { return {}; }
  // What the views draw of the given experts [M] (most used first), by name, for the trace store; empty
  // for a bank whose experts the views do not draw (MixturePredictor::expert_tensors).
  virtual std::map<std::string, torch::Tensor> drawn_tensors(const torch::Tensor& experts) const { return {}; }
};

enum class ExpertActivation { Gelu, Relu };

struct FeedForwardExpertOptions {
  FeedForwardExpertOptions(int64_t d_model, int64_t hidden) : d_model_(d_model), hidden_(hidden) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, hidden);
  TORCH_ARG(double, dropout) = 0.1;
  TORCH_ARG(ExpertActivation, activation) = ExpertActivation::Gelu;
};

// Linear -> GELU (or ReLU) -> Dropout -> Linear. (Submodule names avoid "in"/"out": TorchScript archives
// reserve them.)
class FeedForwardExpertImpl : public torch::nn::Module {
 public:
  explicit FeedForwardExpertImpl(FeedForwardExpertOptions options);
  torch::Tensor forward(const torch::Tensor& x);
  // The hidden units' activations [rows, hidden] (before dropout), and the two linear maps.
  torch::Tensor hidden(const torch::Tensor& x);
  torch::nn::Linear fc_in() const { return in_; }
  torch::nn::Linear fc_out() const { return out_; }

 private:
  ExpertActivation activation_;
  torch::nn::Linear in_{nullptr}, out_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(FeedForwardExpert);

// N independent feed-forward experts, registered as expert0 .. expert{N-1}.
class FeedForwardExpertBank : public ExpertBank {
 public:
  FeedForwardExpertBank(int64_t experts, FeedForwardExpertOptions options);
  int64_t size() const override { return static_cast<int64_t>(experts_.size()); }
  torch::Tensor forward(int64_t expert, const torch::Tensor& x) override { return experts_[static_cast<size_t>(expert)]->forward(x); }
  void register_in(torch::nn::Module& layer) override;
  int64_t units_per_expert() const override { return experts_.front()->fc_in()->weight.size(0); }
  torch::Tensor hidden_units(int64_t expert, const torch::Tensor& x) override { return experts_[static_cast<size_t>(expert)]->hidden(x); }
  torch::Tensor output_from_units(int64_t expert, const torch::Tensor& units) override {
    return experts_[static_cast<size_t>(expert)]->fc_out()->forward(units);
  }
  FeedForwardExpert expert(int64_t j) const { return experts_[static_cast<size_t>(j)]; }
  // Every expert's first layer stacked: weights [N, hidden, d_model] and biases [N, hidden].
  std::pair<torch::Tensor, torch::Tensor> input_layers() const;

 private:
  std::vector<FeedForwardExpert> experts_;
};

}  // namespace ndtmoe
