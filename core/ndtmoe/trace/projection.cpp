#include "ndtmoe/trace/projection.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ndtmoe {

namespace {

// Rows per block of an N-wide distance matrix: about 16 M entries at a time.
int64_t chunk_rows(int64_t n) { return std::max<int64_t>(1, (int64_t{1} << 24) / std::max<int64_t>(n, 1)); }

struct Neighbours {
  torch::Tensor squared_distances;  // [N, k], nearest first
  torch::Tensor indices;            // [N, k] int64
};

// Each row's k nearest other rows, by exact squared Euclidean distance, computed block by block.
Neighbours nearest_neighbours(const torch::Tensor& x, int64_t k) {
  const int64_t n = x.size(0);
  const torch::Tensor norms = x.pow(2).sum(1);
  std::vector<torch::Tensor> distances, indices;
  for (int64_t begin = 0; begin < n; begin += chunk_rows(n)) {
    const int64_t rows = std::min(chunk_rows(n), n - begin);
    torch::Tensor d2 = (norms.slice(0, begin, begin + rows).unsqueeze(1) + norms.unsqueeze(0) -
                        2 * torch::mm(x.slice(0, begin, begin + rows), x.t())).clamp_min(0);
    const torch::Tensor self = torch::arange(begin, begin + rows, torch::kLong);
    d2.index_put_({torch::arange(rows, torch::kLong), self}, std::numeric_limits<float>::infinity());
    auto [values, nearest] = d2.topk(k, /*dim=*/1, /*largest=*/false, /*sorted=*/true);
    distances.push_back(values);
    indices.push_back(nearest);
  }
  return {torch::cat(distances), torch::cat(indices)};
}

void require_rows(const torch::Tensor& x, const char* what) {
  if (x.dim() != 2 || x.size(0) < 2 || x.size(1) < 1)
    throw std::invalid_argument(std::string(what) + " needs at least two rows of at least one value, got a tensor of shape " +
                                c10::str(x.sizes()));
}

// p_{j|i} over each row's neighbours with the Gaussian width whose perplexity is `perplexity`, found by
// bisection on the precision for all rows at once.
torch::Tensor conditional_affinities(const torch::Tensor& squared_distances, double perplexity) {
  // Shifting a row's distances by its minimum leaves p_{j|i} and the entropy unchanged and keeps exp finite.
  const torch::Tensor d = squared_distances.to(torch::kDouble) - std::get<0>(squared_distances.to(torch::kDouble).min(1, true));
  const double target = std::log(perplexity);
  const int64_t n = d.size(0);
  torch::Tensor beta = torch::ones({n, 1}, torch::kDouble);
  torch::Tensor low = torch::zeros({n, 1}, torch::kDouble), high = torch::full({n, 1}, INFINITY, torch::kDouble);
  torch::Tensor p;
  for (int step = 0; step < 100; ++step) {
    const torch::Tensor weights = torch::exp(-d * beta);
    const torch::Tensor sum = weights.sum(1, true);
    p = weights / sum;
    const torch::Tensor entropy = torch::log(sum) + beta * (p * d).sum(1, true);
    const torch::Tensor too_flat = entropy > target;  // precision too low
    low = torch::where(too_flat, beta, low);
    high = torch::where(too_flat, high, beta);
    beta = torch::where(torch::isinf(high), beta * 2, (low + high) / 2);
  }
  return p;
}

// The symmetric joint affinities P = (p_{j|i} + p_{i|j}) / 2N as edge lists (i, j, p_ij), both directions.
struct Edges {
  torch::Tensor from, to, p;
};
Edges joint_affinities(const Neighbours& neighbours, double perplexity) {
  const int64_t n = neighbours.indices.size(0), k = neighbours.indices.size(1);
  const torch::Tensor p = conditional_affinities(neighbours.squared_distances, perplexity).flatten();
  const torch::Tensor rows = torch::arange(n, torch::kLong).repeat_interleave(k), cols = neighbours.indices.flatten();
  const torch::Tensor both = torch::stack({torch::cat({rows, cols}), torch::cat({cols, rows})});
  const torch::Tensor joint = torch::sparse_coo_tensor(both, torch::cat({p, p}), {n, n}).coalesce();
  const torch::Tensor indices = joint.indices();
  return {indices[0], indices[1], (joint.values() / (2.0 * static_cast<double>(n))).to(torch::kFloat)};
}

// Σ_j w_ij² (y_i − y_j) for every row, with w_ij = 1 / (1 + |y_i − y_j|²), and Z = Σ_{i≠j} w_ij: the
// exact repulsion, N² pairs in one fused pass over coordinates that stay in cache (as tensor operations
// it would stream N² intermediates through memory several times, about ten times slower).
std::pair<torch::Tensor, double> repulsion(const torch::Tensor& y) {
  const int64_t n = y.size(0);
  const torch::Tensor columns = y.t().contiguous();  // x then y, so the inner loop vectorizes
  const float* xs = columns.data_ptr<float>();
  const float* ys = xs + n;
  torch::Tensor forces = torch::empty({n, 2}, torch::kFloat);
  float* force = forces.data_ptr<float>();
  std::vector<double> row_z(static_cast<size_t>(n));
  at::parallel_for(0, n, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const float xi = xs[i], yi = ys[i];
      float fx = 0, fy = 0, z = 0;
#pragma omp simd reduction(+ : fx, fy, z)
      for (int64_t j = 0; j < n; ++j) {
        const float dx = xi - xs[j], dy = yi - ys[j];
        const float w = 1.0f / (1.0f + dx * dx + dy * dy);
        z += w;
        fx += w * w * dx;
        fy += w * w * dy;
      }
      force[2 * i] = fx;
      force[2 * i + 1] = fy;
      row_z[static_cast<size_t>(i)] = static_cast<double>(z) - 1.0;  // j = i adds w = 1
    }
  });
  double z = 0;
  for (double part : row_z) z += part;
  return {forces, z};
}

}  // namespace

torch::Tensor evenly_spaced_rows(int64_t rows, int64_t count) {
  if (count >= rows) return torch::arange(rows, torch::kLong);
  // floor(i * rows / count) increases strictly because rows > count.
  return torch::div(torch::arange(count, torch::kLong) * rows, count, "floor");
}

Projection2d pca_projection(const torch::Tensor& x) {
  require_rows(x, "PCA");
  const torch::Tensor centred = x.to(torch::kDouble) - x.to(torch::kDouble).mean(0, true);
  const torch::Tensor covariance = torch::mm(centred.t(), centred) / static_cast<double>(x.size(0) - 1);
  auto [values, vectors] = torch::linalg_eigh(covariance, "L");  // ascending eigenvalues
  const int64_t d = values.size(0);
  torch::Tensor axes = torch::zeros({d, 2}, torch::kDouble);
  for (int64_t c = 0; c < std::min<int64_t>(2, d); ++c) {
    torch::Tensor axis = vectors.select(1, d - 1 - c);
    if (axis[axis.abs().argmax()].item<double>() < 0) axis = -axis;
    axes.select(1, c).copy_(axis);
  }
  const double total = values.clamp_min(0).sum().item<double>();
  Projection2d result{torch::mm(centred, axes).to(torch::kFloat), {}};
  for (int64_t c = 0; c < 2; ++c)
    result.details["variance_" + std::to_string(c + 1)] = c < d && total > 0 ? std::max(0.0, values[d - 1 - c].item<double>()) / total : 0.0;
  return result;
}

std::optional<Projection2d> tsne_projection(const torch::Tensor& x, const TsneOptions& options, const IterationProgress& progress,
                                            const std::atomic<bool>* cancel) {
  require_rows(x, "t-SNE");
  if (!(options.perplexity >= 1) || options.iterations < 1 || options.exaggeration_iterations < 0)
    throw std::invalid_argument("t-SNE needs a perplexity of at least 1 and at least one iteration");
  torch::NoGradGuard no_grad;
  const int64_t n = x.size(0);
  // Like scikit-learn, a perplexity beyond what the rows allow shrinks to (N - 1) / 3.
  const double perplexity = std::max(1.0, std::min(options.perplexity, static_cast<double>(n - 1) / 3.0));
  const int64_t k = std::min<int64_t>(n - 1, static_cast<int64_t>(3 * perplexity) + 1);
  const torch::Tensor features = x.to(torch::kFloat);
  const Edges edges = joint_affinities(nearest_neighbours(features, k), perplexity);

  const torch::Tensor initial = pca_projection(features).points;
  const double spread = initial.select(1, 0).std().item<double>();
  torch::Tensor y = initial * static_cast<float>(1e-4 / (spread > 0 ? spread : 1.0));
  torch::Tensor update = torch::zeros_like(y), gains = torch::ones_like(y);
  const double learning_rate = std::max(static_cast<double>(n) / options.exaggeration / 4.0, 50.0);
  for (int64_t iteration = 0; iteration < options.iterations; ++iteration) {
    if (cancel && cancel->load()) return std::nullopt;
    const bool early = iteration < options.exaggeration_iterations;
    const torch::Tensor difference = y.index_select(0, edges.from) - y.index_select(0, edges.to);
    const torch::Tensor w = 1.0 / (1.0 + difference.pow(2).sum(1));
    const torch::Tensor attraction = torch::zeros_like(y).index_add_(0, edges.from, (edges.p * w).unsqueeze(1) * difference);
    const auto [repulsive, z] = repulsion(y);
    const torch::Tensor gradient = 4.0 * ((early ? options.exaggeration : 1.0) * attraction - repulsive / z);
    gains = torch::where((gradient > 0) != (update > 0), gains + 0.2, gains * 0.8).clamp_min(0.01);
    update = (early ? 0.5 : 0.8) * update - learning_rate * gains * gradient;
    y = y + update;
    y = y - y.mean(0, true);
    if (progress && ((iteration + 1) % 10 == 0 || iteration + 1 == options.iterations)) progress(iteration + 1, options.iterations);
  }
  // KL(P || Q) over the edges, where P is non-zero.
  const torch::Tensor difference = y.index_select(0, edges.from) - y.index_select(0, edges.to);
  const torch::Tensor w = 1.0 / (1.0 + difference.pow(2).sum(1).to(torch::kDouble));
  const double z = repulsion(y).second;
  const torch::Tensor p = edges.p.to(torch::kDouble);
  const double kl = (p * (torch::log(p) - torch::log(w / z))).sum().item<double>();
  return Projection2d{y, {{"perplexity", perplexity}, {"iterations", static_cast<double>(options.iterations)}, {"kl_divergence", kl}}};
}

NeighbourAgreement expert_neighbour_agreement(const torch::Tensor& x, const torch::Tensor& experts, int64_t k) {
  require_rows(x, "The neighbour agreement");
  if (experts.dim() != 1 || experts.size(0) != x.size(0))
    throw std::invalid_argument("the neighbour agreement needs one expert per row");
  torch::NoGradGuard no_grad;
  const int64_t n = x.size(0);
  k = std::max<int64_t>(1, std::min(k, n - 1));
  const torch::Tensor expert = experts.to(torch::kLong);
  const torch::Tensor neighbours = expert.index_select(0, nearest_neighbours(x.to(torch::kFloat), k).indices.flatten()).view({n, k});
  const int64_t expert_count = expert.max().item<int64_t>() + 1;
  const torch::Tensor votes = torch::zeros({n, expert_count}, torch::kLong).scatter_add_(1, neighbours, torch::ones_like(neighbours));
  const torch::Tensor top = std::get<0>(votes.max(1, true));
  // Among the experts with the most votes, the one of the nearest neighbour: weigh tied positions by
  // nearness and take the largest.
  const torch::Tensor tied = votes.gather(1, neighbours).eq(top).to(torch::kLong) * torch::arange(k, 0, -1, torch::kLong).unsqueeze(0);
  const torch::Tensor vote = neighbours.gather(1, tied.argmax(1, true)).squeeze(1);
  NeighbourAgreement result;
  result.k = k;
  result.rows = n;
  result.agreement = vote.eq(expert).to(torch::kDouble).mean().item<double>();
  result.majority_share = static_cast<double>(torch::bincount(expert).max().item<int64_t>()) / static_cast<double>(n);
  return result;
}

}  // namespace ndtmoe
