#pragma once
// Turns a Dataset into model inputs with statistics learned on the training rows only: missing values
// imputed (median / most frequent), nominal features one-hot encoded, numeric features standardized or
// (NumericScaling::Quantile, as NODE does) mapped through their training quantiles onto a standard
// normal (rank-Gaussian), which tames skewed features and outliers.
// Regression targets are standardized too; predictions are mapped back with `restore_target`.

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "ndtmoe/data/dataset.h"

namespace ndtmoe {

enum class NumericScaling { Standard, Quantile };
const char* to_string(NumericScaling scaling);
NumericScaling numeric_scaling_from_string(const std::string& text);

// The most quantiles a feature keeps (scikit-learn's QuantileTransformer default).
inline constexpr int64_t kMaxQuantiles = 1000;

struct FeatureEncoding {
  std::string name;
  bool nominal = false;
  std::vector<std::string> categories;  // one-hot slots, in order
  double fill = 0.0;                    // median (numeric) or category index (nominal)
  double mean = 0.0, scale = 1.0;       // numeric standardization
  // Quantile scaling: the training values at evenly spaced probabilities 0..1 (ascending). A value maps
  // to its interpolated probability p, then to the standard normal quantile of p; `mean` 0, `scale` 1.
  std::vector<double> quantiles{};
  bool quantile_scaled() const { return !quantiles.empty(); }
  // A numeric value in the units the model reads, and back (exact up to interpolation in the quantiles).
  double encode_number(double value) const;
  double decode_number(double encoded) const;
  // Text: encoded as this many columns, column i holding byte i of the UTF-8 text plus 1, and 0 past its
  // end (longer texts are truncated). A text feature is the only feature of its data set.
  int64_t text_length = 0;
  bool text() const { return text_length > 0; }
  int64_t encoded_width() const;
};

// The longest text the preprocessor encodes, in bytes.
inline constexpr int64_t kMaxTextBytes = 64;

inline constexpr int64_t kDefaultMaxCategories = 1000;  // `ndtmoe train --max-categories`

class Preprocessor {
 public:
  // A nominal feature with more than `max_categories` categories is refused (a DataError naming it):
  // its one-hot block would be that wide (150,000 categories took minutes on 14 rows).
  // Image pixels are always standardized: a per-pixel quantile map would break the images apart.
  static Preprocessor fit(const Dataset& train, int64_t max_categories = kDefaultMaxCategories,
                          NumericScaling scaling = NumericScaling::Standard);

  // float32 [rows, encoded_width()]. Nominal values are matched by category name, so a file whose
  // categories are listed in another order encodes identically; an unknown category is a DataError
  // naming the file and line.
  torch::Tensor encode_features(const Dataset& data) const;
  // int64 class indices (classification, mapped by class name) or standardized float32 targets.
  torch::Tensor encode_targets(const Dataset& data) const;
  torch::Tensor restore_target(const torch::Tensor& standardized) const;

  int64_t encoded_width() const;
  std::vector<std::string> encoded_names() const;
  // Index of the source feature behind each encoded column.
  std::vector<int64_t> encoded_sources() const;
  const std::vector<FeatureEncoding>& features() const { return features_; }
  TaskKind task() const { return task_; }
  const std::vector<std::string>& class_names() const { return class_names_; }
  int64_t output_width() const;
  const std::vector<int64_t>& image_shape() const { return image_shape_; }
  // Byte columns of the text feature, 0 when the data is not text.
  int64_t text_length() const;
  double target_mean() const { return target_mean_; }
  double target_scale() const { return target_scale_; }

  nlohmann::json to_json() const;
  static Preprocessor from_json(const nlohmann::json& j);

 private:
  std::vector<FeatureEncoding> features_;
  TaskKind task_ = TaskKind::Classification;
  std::string target_name_;
  std::vector<std::string> class_names_;
  std::vector<int64_t> image_shape_;
  double target_mean_ = 0.0, target_scale_ = 1.0;
};

}  // namespace ndtmoe
