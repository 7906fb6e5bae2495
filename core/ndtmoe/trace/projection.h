#pragma once
// Two-dimensional maps of a layer's hidden states, to see whether the experts specialize by region of
// the representation (the seed's "cluster inputs to see if experts specialize"): principal components,
// t-SNE, and how well a sample's top-1 expert is predicted by its nearest neighbours. Computed with
// libtorch, since Debian ships no C++ t-SNE or UMAP library.

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <torch/torch.h>

namespace ndtmoe {

struct Projection2d {
  torch::Tensor points;                    // [N, 2] float32, one row per input row
  std::map<std::string, double> details;   // what the method reports about itself (stored as JSON)
};

// The first two principal components of x [N, D] (N >= 2): the centred rows' coordinates, and in
// `details` the share of the variance each component explains ("variance_1", "variance_2"). Each axis's
// sign is fixed (its largest loading positive), so the same data gives the same picture.
Projection2d pca_projection(const torch::Tensor& x);

struct TsneOptions {
  double perplexity = 30;
  int64_t iterations = 750;
  int64_t exaggeration_iterations = 250;  // the first iterations pull neighbours together 12-fold
  double exaggeration = 12;
};
using IterationProgress = std::function<void(int64_t done, int64_t total)>;

// t-SNE (van der Maaten and Hinton 2008) of x [N, D] (N >= 2): input affinities over each row's
// 3 * perplexity + 1 nearest neighbours (as openTSNE and FIt-SNE), the exact Student-t repulsion in row
// chunks (N^2 per iteration: meant for N up to about 10,000), initialized from the principal components
// with standard deviation 1e-4, learning rate N / 48 (at least 50), gains and momentum as in the paper.
// `details`: perplexity, iterations and the final KL divergence. Nullopt when cancelled.
std::optional<Projection2d> tsne_projection(const torch::Tensor& x, const TsneOptions& options = {},
                                            const IterationProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

// How well the top-1 expert of each row is predicted by the majority of its k nearest neighbours in x
// (Euclidean, itself excluded; a tie goes to the nearest neighbour's expert among the tied): the share of
// rows whose expert the vote names, and for reference the share of the commonest expert, which a
// constant guess reaches.
struct NeighbourAgreement {
  int64_t k = 0, rows = 0;
  double agreement = 0, majority_share = 0;
};
NeighbourAgreement expert_neighbour_agreement(const torch::Tensor& x, const torch::Tensor& experts, int64_t k = 10);

// `count` of the rows 0 .. rows - 1, evenly spaced (all of them when count >= rows), as int64.
torch::Tensor evenly_spaced_rows(int64_t rows, int64_t count);

}  // namespace ndtmoe
