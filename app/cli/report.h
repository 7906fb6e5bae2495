#pragma once
// Human-readable tables and the machine-readable JSON of training and evaluation results.

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace ndtmoe {
struct Explanation;
}

namespace ndtmoe::cli {

using MetricTable = std::map<std::string, std::map<std::string, double>>;  // model -> metric -> value

// Rows in the order teacher, student, mlp, moe, agreement; metrics as columns. With `stddev`, cells read
// "mean ± sd".
void print_metric_table(std::ostream& out, const MetricTable& mean, const MetricTable* stddev = nullptr);

nlohmann::json metric_table_json(const MetricTable& table);

nlohmann::json explanation_json(const Explanation& explanation);

// Rows of cells in aligned columns (the first row is usually the header).
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);
std::string fixed(double value, int decimals);  // "-" for NaN

}  // namespace ndtmoe::cli
