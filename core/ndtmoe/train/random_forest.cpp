#include "ndtmoe/train/random_forest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/table.h"

namespace ndtmoe {

namespace {

double sum_of_squares(const std::vector<double>& v) { return std::inner_product(v.begin(), v.end(), v.begin(), 0.0); }

template <typename T>
torch::Tensor as_tensor(const std::vector<T>& values, torch::ScalarType type) {
  return torch::from_blob(const_cast<T*>(values.data()), {static_cast<int64_t>(values.size())}, type).clone();
}

template <typename T>
std::vector<T> as_vector(const torch::Tensor& t) {
  return std::vector<T>(t.data_ptr<T>(), t.data_ptr<T>() + t.numel());
}

}  // namespace

RandomForest::RandomForest(const torch::Tensor& x, const torch::Tensor& y, int64_t classes, const ForestOptions& options,
                           const std::function<void(int64_t trees_grown)>& grown, const std::atomic<bool>* cancel)
    : classes_(classes), features_(x.dim() == 2 ? x.size(1) : 0) {
  const int64_t n = x.dim() == 2 ? x.size(0) : 0;
  if (n < 2 || features_ < 1 || classes < 1 || options.trees < 1 || y.numel() != n)
    throw std::invalid_argument("random forest: needs at least 2 rows with features, a label per row, classes and trees");
  const torch::Tensor xc = x.to(torch::kCPU, torch::kFloat).contiguous();
  const torch::Tensor yc = y.to(torch::kCPU, torch::kLong).contiguous();
  const std::vector<float> rows_x(xc.data_ptr<float>(), xc.data_ptr<float>() + xc.numel());
  const std::vector<int64_t> rows_y(yc.data_ptr<int64_t>(), yc.data_ptr<int64_t>() + n);
  if (*std::min_element(rows_y.begin(), rows_y.end()) < 0 || *std::max_element(rows_y.begin(), rows_y.end()) >= classes)
    throw std::invalid_argument("random forest: a label outside [0, " + std::to_string(classes) + ")");
  std::vector<double> oob(static_cast<size_t>(n * classes), 0.0);
  std::vector<int64_t> oob_trees(static_cast<size_t>(n), 0);
  for (int64_t t = 0; t < options.trees; ++t) {
    if (cancel && cancel->load()) return;
    std::seed_seq seeds{options.seed, static_cast<uint64_t>(t)};
    std::mt19937_64 random(seeds);
    std::uniform_int_distribution<int64_t> draw(0, n - 1);
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::vector<char> in_bag(static_cast<size_t>(n), 0);
    for (auto& r : rows) in_bag[static_cast<size_t>(r = draw(random))] = 1;
    const int32_t root = grow(rows, 0, rows.size(), rows_x, rows_y, random);
    roots_.push_back(root);
    for (int64_t r = 0; r < n; ++r) {
      if (in_bag[static_cast<size_t>(r)]) continue;
      const auto shares = static_cast<size_t>(leaf_offset_[static_cast<size_t>(leaf_of(root, &rows_x[static_cast<size_t>(r * features_)]))]);
      for (int64_t c = 0; c < classes; ++c) oob[static_cast<size_t>(r * classes + c)] += leaf_shares_[shares + static_cast<size_t>(c)];
      ++oob_trees[static_cast<size_t>(r)];
    }
    if (grown) grown(t + 1);
  }
  out_of_bag_ = probabilities(xc);
  auto out = out_of_bag_.accessor<float, 2>();
  for (int64_t r = 0; r < n; ++r)
    if (const int64_t trees = oob_trees[static_cast<size_t>(r)]; trees > 0)
      for (int64_t c = 0; c < classes; ++c) out[r][c] = static_cast<float>(oob[static_cast<size_t>(r * classes + c)] / static_cast<double>(trees));
}

int32_t RandomForest::grow(std::vector<int64_t>& rows, size_t begin, size_t end, const std::vector<float>& x, const std::vector<int64_t>& y,
                           std::mt19937_64& random) {
  const auto node = static_cast<int32_t>(feature_.size());
  feature_.push_back(-1);
  threshold_.push_back(0);
  left_.push_back(-1);
  right_.push_back(-1);
  leaf_offset_.push_back(-1);
  const auto count = static_cast<double>(end - begin);
  std::vector<double> totals(static_cast<size_t>(classes_), 0.0);
  for (size_t i = begin; i < end; ++i) totals[static_cast<size_t>(y[static_cast<size_t>(rows[i])])] += 1;
  const auto make_leaf = [&] {
    leaf_offset_[static_cast<size_t>(node)] = static_cast<int64_t>(leaf_shares_.size());
    for (double t : totals) leaf_shares_.push_back(static_cast<float>(t / count));
    return node;
  };
  if (end - begin < 2 || std::count(totals.begin(), totals.end(), 0.0) == classes_ - 1) return make_leaf();

  // The split minimizing n_l·Gini_l + n_r·Gini_r maximizes Σ_c l_c²/n_l + Σ_c r_c²/n_r.
  double best_score = sum_of_squares(totals) / count + 1e-12;
  int64_t best_feature = -1;
  float best_threshold = 0;
  std::vector<int64_t> order(static_cast<size_t>(features_));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), random);
  const auto candidates = std::max<int64_t>(1, static_cast<int64_t>(std::sqrt(static_cast<double>(features_))));
  std::vector<std::pair<float, int64_t>> values(end - begin);
  int64_t tried = 0;
  for (const int64_t f : order) {
    if (tried == candidates) break;
    for (size_t i = begin; i < end; ++i) values[i - begin] = {x[static_cast<size_t>(rows[i] * features_ + f)], y[static_cast<size_t>(rows[i])]};
    std::sort(values.begin(), values.end());
    if (values.front().first == values.back().first) continue;  // constant on these rows: not a candidate (as in scikit-learn)
    ++tried;
    std::vector<double> left(static_cast<size_t>(classes_), 0.0), right = totals;
    double left_squares = 0, right_squares = sum_of_squares(totals);
    for (size_t i = 0; i + 1 < values.size(); ++i) {
      const auto c = static_cast<size_t>(values[i].second);
      left_squares += 2 * left[c] + 1;
      right_squares -= 2 * right[c] - 1;
      left[c] += 1;
      right[c] -= 1;
      if (values[i].first == values[i + 1].first) continue;
      const double n_left = static_cast<double>(i + 1);
      const double score = left_squares / n_left + right_squares / (count - n_left);
      if (score > best_score) {
        best_score = score;
        best_feature = f;
        // The midpoint, unless rounding makes it the upper value (then the lower one keeps the rows apart).
        best_threshold = values[i].first + (values[i + 1].first - values[i].first) / 2;
        if (best_threshold == values[i + 1].first) best_threshold = values[i].first;
      }
    }
  }
  if (best_feature < 0) return make_leaf();
  const auto first = rows.begin();
  const auto middle = std::partition(first + static_cast<std::ptrdiff_t>(begin), first + static_cast<std::ptrdiff_t>(end),
                                     [&](int64_t r) { return x[static_cast<size_t>(r * features_ + best_feature)] <= best_threshold; });
  const auto split = static_cast<size_t>(middle - first);
  feature_[static_cast<size_t>(node)] = static_cast<int32_t>(best_feature);
  threshold_[static_cast<size_t>(node)] = best_threshold;
  const int32_t left = grow(rows, begin, split, x, y, random);
  const int32_t right = grow(rows, split, end, x, y, random);
  left_[static_cast<size_t>(node)] = left;
  right_[static_cast<size_t>(node)] = right;
  return node;
}

int32_t RandomForest::leaf_of(int32_t node, const float* row) const {
  while (feature_[static_cast<size_t>(node)] >= 0)
    node = row[feature_[static_cast<size_t>(node)]] <= threshold_[static_cast<size_t>(node)] ? left_[static_cast<size_t>(node)]
                                                                                              : right_[static_cast<size_t>(node)];
  return node;
}

torch::Tensor RandomForest::probabilities(const torch::Tensor& x) const {
  const torch::Tensor xc = x.to(torch::kCPU, torch::kFloat).contiguous();
  if (xc.dim() != 2 || xc.size(1) != features_)
    throw std::invalid_argument("random forest: rows of " + std::to_string(features_) + " features expected, got shape " + c10::str(xc.sizes()));
  const int64_t n = xc.size(0);
  torch::Tensor out = torch::zeros({n, classes_}, torch::kFloat);
  float* o = out.data_ptr<float>();
  const float* rows = xc.data_ptr<float>();
  for (const int32_t root : roots_)
    for (int64_t r = 0; r < n; ++r) {
      const auto shares = static_cast<size_t>(leaf_offset_[static_cast<size_t>(leaf_of(root, rows + r * features_))]);
      for (int64_t c = 0; c < classes_; ++c) o[r * classes_ + c] += leaf_shares_[shares + static_cast<size_t>(c)];
    }
  return out / static_cast<double>(roots_.size());
}

void RandomForest::save(const std::string& path) const {
  write_atomically(path, [&](const std::string& tmp) {
    torch::serialize::OutputArchive archive;
    archive.write("shape", torch::tensor({features_, classes_}, torch::kLong));
    archive.write("feature", as_tensor(feature_, torch::kInt));
    archive.write("threshold", as_tensor(threshold_, torch::kFloat));
    archive.write("left", as_tensor(left_, torch::kInt));
    archive.write("right", as_tensor(right_, torch::kInt));
    archive.write("leaf_offset", as_tensor(leaf_offset_, torch::kLong));
    archive.write("leaf_shares", as_tensor(leaf_shares_, torch::kFloat));
    archive.write("roots", as_tensor(roots_, torch::kInt));
    archive.save_to(tmp);
  });
}

RandomForest RandomForest::load(const std::string& path) {
  std::map<std::string, torch::Tensor> fields;
  const std::pair<const char*, torch::ScalarType> expected[] = {{"shape", torch::kLong},     {"feature", torch::kInt},       {"threshold", torch::kFloat},
                                                                {"left", torch::kInt},       {"right", torch::kInt},         {"leaf_offset", torch::kLong},
                                                                {"leaf_shares", torch::kFloat}, {"roots", torch::kInt}};
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    for (const auto& [name, type] : expected) archive.read(name, fields[name]);
  } catch (const c10::Error& e) {
    const std::string what = e.what();
    throw DataError(path + ": cannot load the forest teacher: " + what.substr(0, what.find('\n')));
  }
  const auto fail = [&](const std::string& field, const std::string& why) { throw DataError(path + ": forest teacher, " + field + ": " + why); };
  for (const auto& [name, type] : expected)
    if (fields[name].dim() != 1 || fields[name].scalar_type() != type) fail(name, "not a vector of the expected type");
  RandomForest forest;
  const std::vector<int64_t> shape = as_vector<int64_t>(fields["shape"]);
  if (shape.size() != 2 || shape[0] < 1 || shape[1] < 1) fail("shape", "features and classes must be positive");
  forest.features_ = shape[0];
  forest.classes_ = shape[1];
  forest.feature_ = as_vector<int32_t>(fields["feature"]);
  forest.threshold_ = as_vector<float>(fields["threshold"]);
  forest.left_ = as_vector<int32_t>(fields["left"]);
  forest.right_ = as_vector<int32_t>(fields["right"]);
  forest.leaf_offset_ = as_vector<int64_t>(fields["leaf_offset"]);
  forest.leaf_shares_ = as_vector<float>(fields["leaf_shares"]);
  forest.roots_ = as_vector<int32_t>(fields["roots"]);
  const size_t nodes = forest.feature_.size();
  for (const auto* field : {&forest.left_, &forest.right_})
    if (field->size() != nodes) fail("left/right", "one entry per node expected");
  if (forest.threshold_.size() != nodes || forest.leaf_offset_.size() != nodes) fail("threshold/leaf_offset", "one entry per node expected");
  if (forest.roots_.empty()) fail("roots", "no trees");
  for (const int32_t root : forest.roots_)
    if (root < 0 || static_cast<size_t>(root) >= nodes) fail("roots", "a root outside the " + std::to_string(nodes) + " nodes");
  // Children come after their parent, so every walk from a root ends at a leaf.
  for (size_t i = 0; i < nodes; ++i) {
    const std::string node = "node " + std::to_string(i);
    if (forest.feature_[i] < 0) {
      if (forest.leaf_offset_[i] < 0 || static_cast<size_t>(forest.leaf_offset_[i] + forest.classes_) > forest.leaf_shares_.size())
        fail("leaf_offset", node + ": outside the leaf shares");
    } else if (forest.feature_[i] >= forest.features_) {
      fail("feature", node + ": feature " + std::to_string(forest.feature_[i]) + " of " + std::to_string(forest.features_));
    } else {
      for (const int32_t child : {forest.left_[i], forest.right_[i]})
        if (child <= static_cast<int32_t>(i) || static_cast<size_t>(child) >= nodes) fail("left/right", node + ": a child outside the tree");
    }
  }
  return forest;
}

}  // namespace ndtmoe
