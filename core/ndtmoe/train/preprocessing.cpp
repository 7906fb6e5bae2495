#include "ndtmoe/train/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ndtmoe/data/quantile_scale.h"

namespace ndtmoe {
namespace {

double median_of(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double m = values[mid];
  if (values.size() % 2 == 0) m = (m + *std::max_element(values.begin(), values.begin() + mid)) / 2;
  return m;
}

double scale_of(double variance) {
  // Constant columns keep scale 1 so they encode as zeros rather than NaN.
  return variance > 1e-12 ? std::sqrt(variance) : 1.0;
}

}  // namespace

const char* to_string(NumericScaling scaling) { return scaling == NumericScaling::Quantile ? "quantile" : "standard"; }

NumericScaling numeric_scaling_from_string(const std::string& text) {
  if (text == "standard") return NumericScaling::Standard;
  if (text == "quantile") return NumericScaling::Quantile;
  throw std::invalid_argument("numeric scaling '" + text + "': expected standard or quantile");
}

double FeatureEncoding::encode_number(double value) const {
  return quantile_scaled() ? quantile_encode(quantiles, value) : (value - mean) / scale;
}

double FeatureEncoding::decode_number(double encoded) const {
  return quantile_scaled() ? quantile_decode(quantiles, encoded) : mean + scale * encoded;
}

Preprocessor Preprocessor::fit(const Dataset& train, int64_t max_categories, NumericScaling scaling) {
  Preprocessor p;
  p.task_ = train.task;
  p.target_name_ = train.target_name;
  p.class_names_ = train.class_names;
  p.image_shape_ = train.features.image_shape;
  for (const Column& column : train.features.columns) {
    FeatureEncoding enc;
    enc.name = column.name;
    enc.nominal = column.nominal;
    std::vector<double> present;
    for (double v : column.values) if (!std::isnan(v)) present.push_back(v);
    if (column.text) {
      if (train.features.columns.size() != 1)
        throw DataError(located_message(train.features.source, 0, 0, "text column '" + column.name +
                                        "' must be the only feature; remove the other " +
                                        std::to_string(train.features.columns.size() - 1) + " columns"));
      enc.nominal = false;
      size_t longest = 1;
      for (double v : present) longest = std::max(longest, column.categories[static_cast<size_t>(v)].size());
      enc.text_length = std::min<int64_t>(kMaxTextBytes, static_cast<int64_t>(longest));
    } else if (column.nominal) {
      if (static_cast<int64_t>(column.categories.size()) > max_categories)
        throw DataError(located_message(train.features.source, 0, 0,
                                        "nominal feature '" + column.name + "' has " + std::to_string(column.categories.size()) +
                                            " categories, more than --max-categories " + std::to_string(max_categories) +
                                            " (its one-hot encoding would be that many columns wide): raise the limit, read it as "
                                            "text (--text " + column.name + "), or drop the column"));
      enc.categories = column.categories;
      std::vector<int64_t> counts(column.categories.size(), 0);
      for (double v : present) ++counts[static_cast<size_t>(v)];
      enc.fill = static_cast<double>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    } else {
      enc.fill = median_of(present);
      if (scaling == NumericScaling::Quantile && train.features.image_shape.empty()) {
        std::vector<double> filled;
        for (double v : column.values) filled.push_back(std::isnan(v) ? enc.fill : v);
        enc.quantiles = fit_quantiles(std::move(filled), kMaxQuantiles);
        p.features_.push_back(std::move(enc));
        continue;
      }
      double sum = 0, sum_sq = 0;
      const double n = static_cast<double>(column.values.size());
      for (double v : column.values) { const double x = std::isnan(v) ? enc.fill : v; sum += x; sum_sq += x * x; }
      enc.mean = sum / n;
      const double var = std::max(0.0, sum_sq / n - enc.mean * enc.mean);
      enc.scale = scale_of(var);
    }
    p.features_.push_back(std::move(enc));
  }
  if (train.task == TaskKind::Regression) {
    double sum = 0, sum_sq = 0;
    for (double v : train.targets) { sum += v; sum_sq += v * v; }
    const double n = static_cast<double>(train.targets.size());
    p.target_mean_ = sum / n;
    const double var = std::max(0.0, sum_sq / n - p.target_mean_ * p.target_mean_);
    p.target_scale_ = scale_of(var);
  }
  return p;
}

int64_t FeatureEncoding::encoded_width() const {
  if (text()) return text_length;
  return nominal ? static_cast<int64_t>(categories.size()) : 1;
}

int64_t Preprocessor::encoded_width() const {
  int64_t width = 0;
  for (const auto& f : features_) width += f.encoded_width();
  return width;
}

int64_t Preprocessor::text_length() const {
  for (const auto& f : features_) if (f.text()) return f.text_length;
  return 0;
}

std::vector<std::string> Preprocessor::encoded_names() const {
  std::vector<std::string> names;
  for (const auto& f : features_) {
    if (f.text()) {
      for (int64_t i = 0; i < f.text_length; ++i) names.push_back(f.name + "[" + std::to_string(i) + "]");
      continue;
    }
    if (!f.nominal) { names.push_back(f.name); continue; }
    for (const auto& c : f.categories) names.push_back(f.name + "=" + c);
  }
  return names;
}

std::vector<int64_t> Preprocessor::encoded_sources() const {
  std::vector<int64_t> sources;
  for (size_t i = 0; i < features_.size(); ++i) {
    const int64_t slots = features_[i].encoded_width();
    sources.insert(sources.end(), static_cast<size_t>(slots), static_cast<int64_t>(i));
  }
  return sources;
}

int64_t Preprocessor::output_width() const {
  return task_ == TaskKind::Classification ? static_cast<int64_t>(class_names_.size()) : 1;
}

torch::Tensor Preprocessor::encode_features(const Dataset& data) const {
  const auto& columns = data.features.columns;
  const std::string& source = data.features.source;
  // Columns are matched by name so an evaluation file may order them differently.
  std::vector<const Column*> matched;
  for (const auto& f : features_) {
    const int64_t index = data.features.column_index(f.name);
    if (index < 0) throw DataError(located_message(source, 0, 0, "missing feature column '" + f.name + "' the model was trained on"));
    matched.push_back(&columns[index]);
  }
  const int64_t rows = data.rows(), width = encoded_width();
  torch::Tensor out = torch::zeros({rows, width}, torch::kFloat32);
  float* dst = out.data_ptr<float>();
  int64_t offset = 0;
  for (size_t i = 0; i < features_.size(); ++i) {
    const FeatureEncoding& f = features_[i];
    const Column& column = *matched[i];
    if (column.text != f.text())
      throw DataError(located_message(source, 0, 0, "feature '" + f.name + "' is " + (column.text ? "" : "not ") +
                                                        "text here but was " + (f.text() ? "" : "not ") + "text in training"));
    if (f.text()) {
      for (int64_t r = 0; r < rows; ++r) {
        if (std::isnan(column.values[r])) continue;  // a missing text is an empty one
        const std::string& text = column.categories[static_cast<size_t>(column.values[r])];
        const auto length = std::min<int64_t>(f.text_length, static_cast<int64_t>(text.size()));
        for (int64_t b = 0; b < length; ++b)
          dst[r * width + offset + b] = static_cast<float>(static_cast<unsigned char>(text[static_cast<size_t>(b)]) + 1);
      }
      offset += f.text_length;
      continue;
    }
    if (column.nominal != f.nominal)
      throw DataError(located_message(source, 0, 0, "feature '" + f.name + "' is " + (column.nominal ? "nominal" : "numeric") +
                                                        " here but was " + (f.nominal ? "nominal" : "numeric") + " in training"));
    if (!f.nominal) {
      for (int64_t r = 0; r < rows; ++r) {
        const double v = std::isnan(column.values[r]) ? f.fill : column.values[r];
        dst[r * width + offset] = static_cast<float>(f.encode_number(v));
      }
      offset += 1;
      continue;
    }
    if (f.categories.empty()) continue;  // a nominal column with no value at all in training encodes to nothing
    std::vector<int64_t> slot_of(column.categories.size(), -1);
    for (size_t c = 0; c < column.categories.size(); ++c) {
      auto it = std::find(f.categories.begin(), f.categories.end(), column.categories[c]);
      if (it != f.categories.end()) slot_of[c] = it - f.categories.begin();
    }
    for (int64_t r = 0; r < rows; ++r) {
      int64_t slot = static_cast<int64_t>(f.fill);
      if (!std::isnan(column.values[r])) {
        const auto c = static_cast<size_t>(column.values[r]);
        slot = slot_of[c];
        if (slot < 0)
          throw DataError(located_message(source, data.features.source_lines[r], 0,
                                          "unknown value '" + column.categories[c] + "' for nominal feature '" + f.name + "'"));
      }
      dst[r * width + offset + slot] = 1.0f;
    }
    offset += static_cast<int64_t>(f.categories.size());
  }
  return out;
}

torch::Tensor Preprocessor::encode_targets(const Dataset& data) const {
  const int64_t rows = data.rows();
  if (task_ == TaskKind::Regression) {
    if (data.task != TaskKind::Regression) throw DataError(located_message(data.name, 0, 0, "the model expects a regression target"));
    torch::Tensor y = torch::empty({rows}, torch::kFloat32);
    for (int64_t r = 0; r < rows; ++r) y[r] = static_cast<float>((data.targets[r] - target_mean_) / target_scale_);
    return y;
  }
  if (data.task != TaskKind::Classification) throw DataError(located_message(data.name, 0, 0, "the model expects class labels"));
  std::vector<int64_t> remap(data.class_names.size(), -1);
  for (size_t c = 0; c < data.class_names.size(); ++c) {
    auto it = std::find(class_names_.begin(), class_names_.end(), data.class_names[c]);
    if (it != class_names_.end()) remap[c] = it - class_names_.begin();
  }
  torch::Tensor y = torch::empty({rows}, torch::kInt64);
  auto* dst = y.data_ptr<int64_t>();
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t label = remap[static_cast<size_t>(data.labels[r])];
    if (label < 0)
      throw DataError(located_message(data.features.source, data.features.source_lines[r], 0,
                                      "class '" + data.class_names[data.labels[r]] + "' was not seen in training"));
    dst[r] = label;
  }
  return y;
}

torch::Tensor Preprocessor::restore_target(const torch::Tensor& standardized) const {
  return standardized * target_scale_ + target_mean_;
}

nlohmann::json Preprocessor::to_json() const {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& f : features_) {
    features.push_back({{"name", f.name}, {"nominal", f.nominal}, {"categories", f.categories},
                        {"fill", f.fill}, {"mean", f.mean}, {"scale", f.scale}, {"text_length", f.text_length}});
    if (f.quantile_scaled()) features.back()["quantiles"] = f.quantiles;
  }
  return {{"features", features}, {"task", to_string(task_)}, {"target", target_name_},
          {"class_names", class_names_}, {"image_shape", image_shape_},
          {"target_mean", target_mean_}, {"target_scale", target_scale_}};
}

Preprocessor Preprocessor::from_json(const nlohmann::json& j) {
  Preprocessor p;
  for (const auto& f : j.at("features")) {
    p.features_.push_back({f.at("name"), f.at("nominal"), f.at("categories").get<std::vector<std::string>>(),
                           f.at("fill"), f.at("mean"), f.at("scale"), f.value("quantiles", std::vector<double>{}),
                           f.value("text_length", int64_t{0})});
    // The fill of a nominal feature indexes its one-hot slots when a value is missing: checked here so a
    // damaged file cannot make encoding write outside the row.
    const FeatureEncoding& e = p.features_.back();
    const std::string where = "preprocessing.features[" + std::to_string(p.features_.size() - 1) + "] ('" + e.name + "')";
    const auto categories = static_cast<double>(e.categories.size());
    if (e.nominal && !e.categories.empty() && !(e.fill >= 0 && e.fill < categories && e.fill == std::floor(e.fill)))
      throw std::invalid_argument(where + ": fill " + std::to_string(e.fill) + " is not one of its " + std::to_string(e.categories.size()) +
                                  " category indices");
    if (!std::isfinite(e.fill) || !std::isfinite(e.mean) || !std::isfinite(e.scale) || e.scale <= 0)
      throw std::invalid_argument(where + ": fill, mean and scale must be finite numbers and scale positive");
    if (f.contains("quantiles") && (e.nominal || !valid_quantiles(e.quantiles) || static_cast<int64_t>(e.quantiles.size()) > kMaxQuantiles))
      throw std::invalid_argument(where + ": quantiles must be 2 to " + std::to_string(kMaxQuantiles) +
                                  " finite ascending numbers of a numeric feature");
    if (e.text_length < 0 || e.text_length > kMaxTextBytes)
      throw std::invalid_argument(where + ": text_length " + std::to_string(e.text_length) + " is outside 0.." + std::to_string(kMaxTextBytes));
  }
  p.task_ = task_kind_from_string(j.at("task"));
  p.target_name_ = j.at("target");
  p.class_names_ = j.at("class_names").get<std::vector<std::string>>();
  p.image_shape_ = j.at("image_shape").get<std::vector<int64_t>>();
  p.target_mean_ = j.at("target_mean");
  p.target_scale_ = j.at("target_scale");
  return p;
}

}  // namespace ndtmoe
