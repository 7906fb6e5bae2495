#pragma once
// A supervised data set: typed feature columns plus a target, as the engine consumes it.

#include <string>
#include <vector>

#include "ndtmoe/data/table.h"

namespace ndtmoe {

enum class TaskKind { Classification, Regression };

const char* to_string(TaskKind kind);
TaskKind task_kind_from_string(const std::string& text);

struct Dataset {
  std::string name;
  Table features;                        // the target column removed
  TaskKind task = TaskKind::Classification;
  std::string target_name;
  std::vector<std::string> class_names;  // classification only
  std::vector<int64_t> labels;           // classification: index into class_names
  std::vector<double> targets;           // regression

  int64_t rows() const { return features.rows(); }
  int64_t num_classes() const { return static_cast<int64_t>(class_names.size()); }
};

enum class TaskChoice { Auto, Classification, Regression };

// Chooses the target column (empty name: the last column) and the task. Auto treats a nominal target,
// or a numeric target with at most 30 distinct integer values, as classification. Rows whose target
// is missing are refused with their line number rather than silently dropped.
Dataset make_dataset(Table table, const std::string& target_name, TaskChoice task = TaskChoice::Auto);

// Declares that every row's features are the pixels of one image of `shape` {channels, height, width},
// in row-major order (as in digits.csv), so a vision teacher can read them. Refused, naming the source,
// when the numeric feature count differs from the pixel count or a feature is nominal.
void declare_image(Dataset& data, const std::vector<int64_t>& shape);
// Declares that the feature column `column` holds free text (encoded as bytes, token by token); refused,
// naming the source, when there is no such feature column or it holds numbers.
void declare_text(Dataset& data, const std::string& column);
// "8x8" (one channel) or "3x32x32" as {channels, height, width}; std::invalid_argument otherwise.
std::vector<int64_t> parse_image_shape(const std::string& text);
// {1, H, W} when the feature columns declare one grey image per row by their names: all numeric, named
// PREFIX_R_C (one prefix; digits.csv's px_0_0 .. px_7_7) in row-major order over a complete H x W grid
// of at least 4 x 4 pixels. Empty otherwise.
std::vector<int64_t> image_shape_from_column_names(const Table& features);

// Row subset, keeping all metadata.
Dataset subset(const Dataset& data, const std::vector<int64_t>& rows);

}  // namespace ndtmoe
