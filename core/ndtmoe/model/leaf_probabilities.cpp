#include "ndtmoe/model/leaf_probabilities.h"

#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>

namespace ndtmoe {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Fills leaf[0 .. 2^D) for one row, building prefix products in place: after level i
// the first 2^(i+1) entries hold the leaf probabilities of the tree truncated to levels 0..i.
template <typename T>
void forward_row(const T* c, int64_t depth, T* leaf) {
  leaf[0] = T(1);
  for (int64_t i = 0, size = 1; i < depth; ++i, size *= 2) {
    const T right = c[i], left = T(1) - c[i];
    for (int64_t j = 0; j < size; ++j) {
      leaf[j + size] = leaf[j] * right;
      leaf[j] *= left;
    }
  }
}

// Reverse pass through the level-by-level construction. `scratch` holds 2 * 2^D values.
template <typename T>
void backward_row(const T* c, const T* grad_leaf, int64_t depth, T* grad_c, T* scratch) {
  const int64_t leaves = int64_t{1} << depth;
  // prefix[i] region: the truncated-tree probabilities before level i, stored at offsets 2^i - 1.
  T* prefix = scratch;             // sum_{i<D} 2^i = 2^D - 1 values
  T* grad = scratch + leaves;      // gradient w.r.t. the current stage's outputs
  prefix[0] = T(1);
  for (int64_t i = 1, size = 1; i < depth; ++i, size *= 2) {
    const T* before = prefix + (size - 1);
    T* after = prefix + (2 * size - 1);
    for (int64_t j = 0; j < size; ++j) {
      after[j] = before[j] * (T(1) - c[i - 1]);
      after[j + size] = before[j] * c[i - 1];
    }
  }
  std::copy(grad_leaf, grad_leaf + leaves, grad);
  for (int64_t i = depth - 1; i >= 0; --i) {
    const int64_t size = int64_t{1} << i;
    const T* q = prefix + (size - 1);
    const T right = c[i], left = T(1) - c[i];
    T dc = T(0);
    for (int64_t j = 0; j < size; ++j) {
      const T g_left = grad[j], g_right = grad[j + size];
      dc += q[j] * (g_right - g_left);
      grad[j] = g_left * left + g_right * right;
    }
    grad_c[i] = dc;
  }
}

struct LeafProbabilitiesFunction : torch::autograd::Function<LeafProbabilitiesFunction> {
  static Tensor forward(AutogradContext* ctx, const Tensor& decisions) {
    Tensor c = decisions.contiguous();
    const int64_t depth = c.size(-1), leaves = int64_t{1} << depth, rows = c.numel() / depth;
    auto shape = c.sizes().vec();
    shape.back() = leaves;
    Tensor out = torch::empty(shape, c.options());
    AT_DISPATCH_FLOATING_TYPES(c.scalar_type(), "leaf_probabilities_forward", [&] {
      const scalar_t* cp = c.data_ptr<scalar_t>();
      scalar_t* op = out.data_ptr<scalar_t>();
      at::parallel_for(0, rows, 256, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) forward_row(cp + r * depth, depth, op + r * leaves);
      });
    });
    ctx->save_for_backward({c});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    Tensor c = ctx->get_saved_variables()[0];
    Tensor g = grads[0].contiguous();
    const int64_t depth = c.size(-1), leaves = int64_t{1} << depth, rows = c.numel() / depth;
    Tensor grad_c = torch::empty_like(c);
    AT_DISPATCH_FLOATING_TYPES(c.scalar_type(), "leaf_probabilities_backward", [&] {
      const scalar_t* cp = c.data_ptr<scalar_t>();
      const scalar_t* gp = g.data_ptr<scalar_t>();
      scalar_t* dp = grad_c.data_ptr<scalar_t>();
      at::parallel_for(0, rows, 256, [&](int64_t begin, int64_t end) {
        std::vector<scalar_t> scratch(static_cast<size_t>(2 * leaves));
        for (int64_t r = begin; r < end; ++r) backward_row(cp + r * depth, gp + r * leaves, depth, dp + r * depth, scratch.data());
      });
    });
    return {grad_c};
  }
};

}  // namespace

torch::Tensor leaf_probabilities_reference(const torch::Tensor& decisions) {
  std::vector<int64_t> shape = decisions.sizes().vec();
  shape.back() = 1;
  torch::Tensor leaf = torch::ones(shape, decisions.options());
  for (int64_t i = 0; i < decisions.size(-1); ++i) {
    torch::Tensor c = decisions.select(-1, i).unsqueeze(-1);
    leaf = torch::cat({leaf * (1 - c), leaf * c}, -1);  // new bit i: the low half went left
  }
  return leaf;
}

torch::Tensor leaf_probabilities(const torch::Tensor& decisions) {
  if (decisions.device().is_cpu() && decisions.is_floating_point() && decisions.size(-1) > 0)
    return LeafProbabilitiesFunction::apply(decisions);
  return leaf_probabilities_reference(decisions);
}

}  // namespace ndtmoe
