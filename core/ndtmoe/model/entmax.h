#pragma once
// Sparse probability mappings (Peters et al. 2019; Martins & Astudillo 2016) with closed-form backward.
//
// Conventions follow the public `entmax` package (deep-spin) and NODE's nn_utils.py:
//  * inputs are shifted by their maximum before the threshold search (shift invariance);
//  * entmax15 solves with the 0.5-scaled scores (z/2), so entmax15(z) = [z/2 - tau]_+^2;
//  * ties are handled by sorting: equal scores always receive equal probability;
//  * entmoid15(x) = entmax15([0, x])[1], the two-class soft step used for tree decisions.

#include <torch/torch.h>

namespace ndtmoe {

torch::Tensor sparsemax(const torch::Tensor& scores, int64_t dim = -1);
torch::Tensor entmax15(const torch::Tensor& scores, int64_t dim = -1);
// alpha > 1; alpha = 1.5 agrees with entmax15 and alpha = 2 with sparsemax up to bisection tolerance.
torch::Tensor entmax_bisect(const torch::Tensor& scores, double alpha, int64_t dim = -1, int n_iter = 50);
torch::Tensor entmoid15(const torch::Tensor& x);

}  // namespace ndtmoe
