#pragma once
// A random forest of CART classification trees (Breiman 2001), grown as scikit-learn grows one by
// default: a bootstrap sample per tree, √F candidate features per split, Gini impurity, grown until the
// leaves are pure. As a teacher (`--teacher forest`) its out-of-bag probabilities give every fit row the
// forest's prediction from the trees that did not see it; in-bag probabilities would repeat the labels,
// leaving nothing to distill.

#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace ndtmoe {

struct ForestOptions {
  int64_t trees = 200;
  uint64_t seed = 0;
};

class RandomForest {
 public:
  // x [N, F] float, y [N] class indices in [0, classes). Tree t draws from its own generator, seeded by
  // (seed, t), so a tree that never drew a row is the same whatever that row's label. `grown` hears the
  // count of trees after each one; `cancel` stops the growing between trees, and the forest is then unusable.
  RandomForest(const torch::Tensor& x, const torch::Tensor& y, int64_t classes, const ForestOptions& options = {},
               const std::function<void(int64_t trees_grown)>& grown = nullptr, const std::atomic<bool>* cancel = nullptr);

  // [rows, classes] float: the mean over the trees of the class shares in the leaf each row reaches.
  torch::Tensor probabilities(const torch::Tensor& x) const;
  // [N, classes] for the training rows, from the trees whose bootstrap sample left the row out; a row that
  // every tree drew (unlikely past a few dozen trees) gets the whole forest's.
  const torch::Tensor& out_of_bag_probabilities() const { return out_of_bag_; }

  int64_t trees() const { return static_cast<int64_t>(roots_.size()); }
  int64_t features() const { return features_; }
  int64_t classes() const { return classes_; }

  // A torch archive, written atomically; loading checks every index and names the file and the field.
  void save(const std::string& path) const;
  static RandomForest load(const std::string& path);

 private:
  RandomForest() = default;
  int32_t grow(std::vector<int64_t>& rows, size_t begin, size_t end, const std::vector<float>& x, const std::vector<int64_t>& y,
               std::mt19937_64& random);
  int32_t leaf_of(int32_t root, const float* row) const;

  int64_t classes_ = 0, features_ = 0;
  // Every tree's nodes in one array, each tree's root in roots_; a leaf has feature -1 and its class
  // shares at leaf_offset in leaf_shares_. Rows with feature value <= threshold go left.
  std::vector<int32_t> feature_, left_, right_, roots_;
  std::vector<float> threshold_;
  std::vector<int64_t> leaf_offset_;
  std::vector<float> leaf_shares_;
  torch::Tensor out_of_bag_;
};

}  // namespace ndtmoe
