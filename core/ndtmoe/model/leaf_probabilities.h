#pragma once
// Leaf probabilities of oblivious soft trees from their per-level decisions.
//
// decisions [..., D] hold the probability of going right at each level; the result [..., 2^D] holds,
// for leaf l = sum_i bit_i * 2^i, the product over levels of (bit_i ? c_i : 1 - c_i).
//
// On the CPU a fused autograd function computes each row's 2^D products and their gradient in one
// cache-resident pass (the tensor-op version issues ~4 kernels per level and as many in backward,
// which dominates router training time at large batch). Other devices use the tensor-op version.

#include <torch/torch.h>

namespace ndtmoe {

torch::Tensor leaf_probabilities(const torch::Tensor& decisions);

// The same computation from tensor operations (autograd derives the backward); any device.
torch::Tensor leaf_probabilities_reference(const torch::Tensor& decisions);

}  // namespace ndtmoe
