#include "ndtmoe/data/splits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

namespace ndtmoe {
namespace {

void shuffle_in_place(std::vector<int64_t>& items, std::mt19937_64& rng) {
  for (size_t i = items.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(rng() % i);
    std::swap(items[i - 1], items[j]);
  }
}

// Rows grouped by class (one group when unstratified), each group shuffled, the groups concatenated.
// Dealing this order round-robin into k folds, or taking every k-th row, keeps class proportions.
std::vector<int64_t> stratified_order(const std::vector<int64_t>& labels, int64_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::map<int64_t, std::vector<int64_t>> by_class;
  for (int64_t i = 0; i < rows; ++i) by_class[labels.empty() ? 0 : labels[i]].push_back(i);
  std::vector<int64_t> order;
  for (auto& [label, members] : by_class) {
    shuffle_in_place(members, rng);
    order.insert(order.end(), members.begin(), members.end());
  }
  return order;
}

}  // namespace

std::vector<int64_t> shuffled_rows(int64_t rows, uint64_t seed) { return stratified_order({}, rows, seed); }

std::vector<Split> stratified_kfold(const std::vector<int64_t>& labels, int64_t rows, int folds, uint64_t seed) {
  if (folds < 2) throw std::invalid_argument("k-fold needs at least 2 folds, got " + std::to_string(folds));
  if (rows < folds) throw std::invalid_argument("cannot split " + std::to_string(rows) + " rows into " + std::to_string(folds) + " folds");
  const std::vector<int64_t> order = stratified_order(labels, rows, seed);
  std::vector<Split> splits(static_cast<size_t>(folds));
  for (size_t i = 0; i < order.size(); ++i)
    for (int f = 0; f < folds; ++f) (static_cast<int>(i % folds) == f ? splits[f].test : splits[f].train).push_back(order[i]);
  for (auto& s : splits) { std::sort(s.train.begin(), s.train.end()); std::sort(s.test.begin(), s.test.end()); }
  return splits;
}

Split stratified_holdout(const std::vector<int64_t>& labels, int64_t rows, double fraction, uint64_t seed) {
  if (!(fraction > 0.0 && fraction < 1.0)) throw std::invalid_argument("holdout fraction must be in (0, 1)");
  const std::vector<int64_t> order = stratified_order(labels, rows, seed);
  const auto held = std::max<int64_t>(1, std::llround(fraction * static_cast<double>(rows)));
  // Evenly spaced picks from the class-grouped order take the same share of every class.
  const double stride = static_cast<double>(rows) / static_cast<double>(held);
  std::vector<bool> is_test(order.size(), false);
  for (int64_t k = 0; k < held; ++k) is_test[static_cast<size_t>(std::floor(k * stride))] = true;
  Split split;
  for (size_t i = 0; i < order.size(); ++i) (is_test[i] ? split.test : split.train).push_back(order[i]);
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

}  // namespace ndtmoe
