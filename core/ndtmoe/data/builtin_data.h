#pragma once
// Built-in data sets: ODE systems integrated with RK4 and turned into tasks, a tabular generator whose
// labels follow a known hierarchical rule tree, and Fashion-MNIST from the Debian package.
// Generators are deterministic for a given seed.

#include <cstdint>
#include <string>
#include <vector>

#include "ndtmoe/data/table.h"

namespace ndtmoe {

struct BuiltinInfo {
  std::string name, description;
};

std::vector<BuiltinInfo> builtin_datasets();

// `name` without the "builtin:" prefix. rows <= 0 uses the data set's default size.
Table load_builtin(const std::string& name, uint64_t seed = 0, int64_t rows = 0);

// Ground truth of the rule-tree generator: at each inner node, feature `feature` < `threshold` goes left.
struct RuleSplit {
  int depth;
  int feature;
  double threshold;
};
std::vector<RuleSplit> rule_tree_splits();

// Where Debian installs the files built-in data sets read (/usr/share), or $NDTMOE_SHARE_DIR where it is
// set: a server without those packages takes the copies packaging/offline-deps.sh gathers.
std::string system_share_path(const std::string& relative);

// The folder of dataset-fashion-mnist's four IDX files.
std::string fashion_mnist_dir();

}  // namespace ndtmoe

namespace ndtmoe {

// "builtin:NAME" or a file path (CSV/ARFF by extension).
// `labels`: an IDX image file's labels file (empty: beside the images, MNIST's naming).
Table load_data_source(const std::string& spec, uint64_t seed = 0, int64_t builtin_rows = 0, const std::string& labels = {});

}  // namespace ndtmoe
