#include "ndtmoe/model/expert_bank.h"

namespace ndtmoe {

FeedForwardExpertImpl::FeedForwardExpertImpl(FeedForwardExpertOptions o) : activation_(o.activation()) {
  in_ = register_module("fc_in", torch::nn::Linear(o.d_model(), o.hidden()));
  dropout_ = register_module("dropout", torch::nn::Dropout(o.dropout()));
  out_ = register_module("fc_out", torch::nn::Linear(o.hidden(), o.d_model()));
}

torch::Tensor FeedForwardExpertImpl::hidden(const torch::Tensor& x) {
  const torch::Tensor pre = in_->forward(x);
  return activation_ == ExpertActivation::Relu ? torch::relu(pre) : torch::gelu(pre);
}

torch::Tensor FeedForwardExpertImpl::forward(const torch::Tensor& x) { return out_->forward(dropout_->forward(hidden(x))); }

std::pair<torch::Tensor, torch::Tensor> FeedForwardExpertBank::input_layers() const {
  std::vector<torch::Tensor> weights, biases;
  for (const auto& expert : experts_) {
    weights.push_back(expert->fc_in()->weight);
    biases.push_back(expert->fc_in()->bias);
  }
  return {torch::stack(weights), torch::stack(biases)};
}

FeedForwardExpertBank::FeedForwardExpertBank(int64_t experts, FeedForwardExpertOptions options) {
  for (int64_t j = 0; j < experts; ++j) experts_.emplace_back(options);
}

void FeedForwardExpertBank::register_in(torch::nn::Module& layer) {
  for (size_t j = 0; j < experts_.size(); ++j) experts_[j] = layer.register_module("expert" + std::to_string(j), experts_[j]);
}

}  // namespace ndtmoe
