#pragma once
// Seeded, platform-independent row splits (Fisher–Yates over std::mt19937_64, whose output the C++
// standard fixes, so the same seed yields the same folds everywhere).

#include <cstdint>
#include <vector>

namespace ndtmoe {

struct Split {
  std::vector<int64_t> train, test;
};

std::vector<int64_t> shuffled_rows(int64_t rows, uint64_t seed);

// `labels` empty means unstratified (regression). Every class is spread over the folds in turn.
std::vector<Split> stratified_kfold(const std::vector<int64_t>& labels, int64_t rows, int folds, uint64_t seed);

// Holds out round(fraction * rows) rows, stratified when labels are given.
Split stratified_holdout(const std::vector<int64_t>& labels, int64_t rows, double fraction, uint64_t seed);

}  // namespace ndtmoe
