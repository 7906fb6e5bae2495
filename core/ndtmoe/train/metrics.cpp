#include "ndtmoe/train/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ndtmoe {

double auroc(const torch::Tensor& positive_scores, const torch::Tensor& is_positive) {
  torch::Tensor s = positive_scores.to(torch::kFloat64).contiguous(), y = is_positive.to(torch::kBool).contiguous();
  const int64_t n = s.size(0);
  const double* score = s.data_ptr<double>();
  const bool* pos = y.data_ptr<bool>();
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return score[a] < score[b]; });
  // Mann–Whitney U with average ranks for ties.
  double rank_sum = 0;
  int64_t positives = 0;
  for (int64_t i = 0; i < n;) {
    int64_t j = i;
    while (j < n && score[order[j]] == score[order[i]]) ++j;
    const double average_rank = (static_cast<double>(i + j - 1)) / 2.0 + 1.0;
    for (int64_t k = i; k < j; ++k) if (pos[order[k]]) { rank_sum += average_rank; ++positives; }
    i = j;
  }
  const int64_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::nan("");
  return (rank_sum - static_cast<double>(positives) * (positives + 1) / 2.0) / (static_cast<double>(positives) * negatives);
}

std::map<std::string, double> compute_metrics(const torch::Tensor& outputs, const torch::Tensor& targets, TaskKind task) {
  std::map<std::string, double> m;
  if (task == TaskKind::Regression) {
    torch::Tensor pred = outputs.reshape({-1}).to(torch::kFloat64), y = targets.reshape({-1}).to(torch::kFloat64);
    const double mse = (pred - y).pow(2).mean().item<double>();
    const double var = (y - y.mean()).pow(2).mean().item<double>();
    m["rmse"] = std::sqrt(mse);
    m["mae"] = (pred - y).abs().mean().item<double>();
    m["r2"] = var > 0 ? 1.0 - mse / var : std::nan("");
    return m;
  }
  torch::Tensor logits = outputs.to(torch::kFloat64);
  torch::Tensor y = targets.to(torch::kLong);
  const int64_t classes = logits.size(1);
  torch::Tensor predicted = logits.argmax(1);
  m["accuracy"] = predicted.eq(y).to(torch::kFloat64).mean().item<double>();
  m["log_loss"] = torch::nn::functional::cross_entropy(logits, y).item<double>();
  double f1_sum = 0;
  int64_t present = 0;
  for (int64_t c = 0; c < classes; ++c) {
    const double tp = (predicted.eq(c) & y.eq(c)).sum().item<double>();
    const double fp = (predicted.eq(c) & y.ne(c)).sum().item<double>();
    const double fn = (predicted.ne(c) & y.eq(c)).sum().item<double>();
    if (tp + fp + fn == 0) continue;  // class absent from both: no contribution
    f1_sum += 2 * tp / (2 * tp + fp + fn);
    ++present;
  }
  m["macro_f1"] = present ? f1_sum / static_cast<double>(present) : 0.0;
  if (classes == 2) m["auroc"] = auroc(torch::softmax(logits, 1).select(1, 1), y.eq(1));
  return m;
}

std::map<std::string, double> agreement(const torch::Tensor& a, const torch::Tensor& b, TaskKind task) {
  if (task == TaskKind::Classification)
    return {{"agreement", a.argmax(1).eq(b.argmax(1)).to(torch::kFloat64).mean().item<double>()}};
  return {{"agreement_rmse", (a.reshape({-1}) - b.reshape({-1})).to(torch::kFloat64).pow(2).mean().sqrt().item<double>()}};
}

}  // namespace ndtmoe
