#include "ndtmoe/model/entmax.h"

#include <stdexcept>

namespace ndtmoe {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// 1, 2, ..., n laid along `dim`, broadcastable against a tensor of `like`'s rank.
Tensor positions_along(const Tensor& like, int64_t dim) {
  const int64_t n = like.size(dim);
  std::vector<int64_t> shape(like.dim(), 1);
  shape[dim] = n;
  return torch::arange(1, n + 1, like.options()).view(shape);
}

int64_t normalized_dim(const Tensor& t, int64_t dim) {
  if (t.dim() == 0) throw std::invalid_argument("entmax: scores must have at least one dimension");
  return dim < 0 ? dim + t.dim() : dim;
}

// Shared backward of the alpha-entmax family: dX = g * (dY - sum(g*dY)/sum(g)), where g = Y^(2-alpha)
// on the support (sparsemax: alpha=2, g = [Y>0]; entmax15: g = sqrt(Y)).
Tensor entmax_family_backward(const Tensor& grad_output, const Tensor& gppr, int64_t dim) {
  Tensor dx = grad_output * gppr;
  Tensor q = dx.sum(dim, true) / gppr.sum(dim, true);
  return dx - q * gppr;
}

struct SparsemaxFunction : torch::autograd::Function<SparsemaxFunction> {
  static Tensor forward(AutogradContext* ctx, Tensor scores, int64_t dim) {
    dim = normalized_dim(scores, dim);
    Tensor shifted = scores - std::get<0>(scores.max(dim, true));
    Tensor sorted = std::get<0>(shifted.sort(dim, /*descending=*/true));
    Tensor cumsum = sorted.cumsum(dim) - 1;
    Tensor rho = positions_along(sorted, dim);
    Tensor support_size = (rho * sorted > cumsum).sum(dim, true);
    Tensor tau = cumsum.gather(dim, support_size - 1) / support_size.to(scores.scalar_type());
    Tensor out = torch::clamp_min(shifted - tau, 0);
    ctx->save_for_backward({out});
    ctx->saved_data["dim"] = dim;
    return out;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    Tensor out = ctx->get_saved_variables()[0];
    const int64_t dim = ctx->saved_data["dim"].toInt();
    Tensor support = (out > 0).to(out.scalar_type());
    return {entmax_family_backward(grads[0], support, dim), Tensor()};
  }
};

struct Entmax15Function : torch::autograd::Function<Entmax15Function> {
  static Tensor forward(AutogradContext* ctx, Tensor scores, int64_t dim) {
    dim = normalized_dim(scores, dim);
    Tensor x = (scores - std::get<0>(scores.max(dim, true))) / 2;
    Tensor sorted = std::get<0>(x.sort(dim, /*descending=*/true));
    Tensor rho = positions_along(sorted, dim);
    Tensor mean = sorted.cumsum(dim) / rho;
    Tensor mean_sq = (sorted * sorted).cumsum(dim) / rho;
    Tensor ss = rho * (mean_sq - mean * mean);
    Tensor delta = torch::clamp_min((1 - ss) / rho, 0);
    Tensor tau = mean - torch::sqrt(delta);
    Tensor support_size = (tau <= sorted).sum(dim, true);
    Tensor tau_star = tau.gather(dim, support_size - 1);
    Tensor out = torch::clamp_min(x - tau_star, 0).pow(2);
    ctx->save_for_backward({out});
    ctx->saved_data["dim"] = dim;
    return out;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    Tensor out = ctx->get_saved_variables()[0];
    const int64_t dim = ctx->saved_data["dim"].toInt();
    return {entmax_family_backward(grads[0], out.sqrt(), dim), Tensor()};
  }
};

struct EntmaxBisectFunction : torch::autograd::Function<EntmaxBisectFunction> {
  static Tensor forward(AutogradContext* ctx, Tensor scores, double alpha, int64_t dim, int64_t n_iter) {
    dim = normalized_dim(scores, dim);
    const double exponent = 1.0 / (alpha - 1.0);
    const int64_t d = scores.size(dim);
    Tensor x = scores * (alpha - 1.0);
    Tensor max_val = std::get<0>(x.max(dim, true));
    Tensor tau_lo = max_val - 1.0;  // (1)^(alpha-1)
    Tensor tau_hi = max_val - std::pow(1.0 / static_cast<double>(d), alpha - 1.0);
    auto p_of = [&](const Tensor& tau) { return torch::clamp_min(x - tau, 0).pow(exponent); };
    Tensor f_lo = p_of(tau_lo).sum(dim, true) - 1;
    Tensor dm = tau_hi - tau_lo;
    Tensor p;
    for (int64_t it = 0; it < n_iter; ++it) {
      dm = dm / 2;
      Tensor tau_m = tau_lo + dm;
      p = p_of(tau_m);
      Tensor f_m = p.sum(dim, true) - 1;
      tau_lo = torch::where(f_m * f_lo >= 0, tau_m, tau_lo);
    }
    p = p / p.sum(dim, true);
    ctx->save_for_backward({p});
    ctx->saved_data["dim"] = dim;
    ctx->saved_data["alpha"] = alpha;
    return p;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    Tensor out = ctx->get_saved_variables()[0];
    const int64_t dim = ctx->saved_data["dim"].toInt();
    const double alpha = ctx->saved_data["alpha"].toDouble();
    Tensor gppr = torch::where(out > 0, out.pow(2.0 - alpha), torch::zeros_like(out));
    return {entmax_family_backward(grads[0], gppr, dim), Tensor(), Tensor(), Tensor()};
  }
};

struct Entmoid15Function : torch::autograd::Function<Entmoid15Function> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    Tensor magnitude = x.abs();
    Tensor tau = (magnitude + torch::sqrt(torch::relu(8 - magnitude * magnitude))) / 2;
    tau = torch::where(tau <= magnitude, torch::full_like(tau, 2.0), tau);
    Tensor y_neg = 0.25 * torch::relu(tau - magnitude).pow(2);
    Tensor out = torch::where(x >= 0, 1 - y_neg, y_neg);
    ctx->save_for_backward({out});
    return out;
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    Tensor out = ctx->get_saved_variables()[0];
    Tensor g0 = out.sqrt();
    Tensor g1 = (1 - out).sqrt();
    Tensor grad = grads[0] * g0;
    return {grad - grad / (g0 + g1) * g0};
  }
};

}  // namespace

torch::Tensor sparsemax(const torch::Tensor& scores, int64_t dim) {
  return SparsemaxFunction::apply(scores, dim);
}

torch::Tensor entmax15(const torch::Tensor& scores, int64_t dim) {
  return Entmax15Function::apply(scores, dim);
}

torch::Tensor entmax_bisect(const torch::Tensor& scores, double alpha, int64_t dim, int n_iter) {
  if (!(alpha > 1.0)) throw std::invalid_argument("entmax_bisect: alpha must be > 1");
  return EntmaxBisectFunction::apply(scores, alpha, dim, static_cast<int64_t>(n_iter));
}

torch::Tensor entmoid15(const torch::Tensor& x) { return Entmoid15Function::apply(x); }

}  // namespace ndtmoe
