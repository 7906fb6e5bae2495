#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe::cli {
namespace {

// The pseudo-model of student-teacher agreement: its own line under the table, not a row with columns
// that no model shares.
constexpr const char* kAgreement = "agreement";

std::vector<std::string> ordered_models(const MetricTable& table) {
  std::vector<std::string> order;
  for (const char* known : {"teacher", "student", "mlp", "moe"})
    if (table.count(known)) order.push_back(known);
  for (const auto& [name, metrics] : table)
    if (name != kAgreement && std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  return order;
}

std::string cell(double v, const double* sd) {
  char buffer[64];
  if (std::isnan(v)) return "-";
  if (sd) std::snprintf(buffer, sizeof buffer, "%.4f ± %.4f", v, *sd);
  else std::snprintf(buffer, sizeof buffer, "%.4f", v);
  return buffer;
}

// Columns are aligned by characters, not bytes ("±" is two bytes of UTF-8).
size_t display_width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void print_metric_table(std::ostream& out, const MetricTable& mean, const MetricTable* stddev) {
  std::set<std::string> metric_set;
  for (const auto& [model, metrics] : mean)
    if (model != kAgreement)
      for (const auto& [m, v] : metrics) metric_set.insert(m);
  const std::vector<std::string> metrics(metric_set.begin(), metric_set.end());
  const std::vector<std::string> models = ordered_models(mean);
  std::vector<std::vector<std::string>> rows{{"model"}};
  rows[0].insert(rows[0].end(), metrics.begin(), metrics.end());
  for (const auto& model : models) {
    std::vector<std::string> row{model};
    for (const auto& m : metrics) {
      const auto& values = mean.at(model);
      if (!values.count(m)) { row.push_back(""); continue; }
      const double* sd = stddev && stddev->count(model) && stddev->at(model).count(m) ? &stddev->at(model).at(m) : nullptr;
      row.push_back(cell(values.at(m), sd));
    }
    rows.push_back(row);
  }
  print_table(out, rows);
  if (const auto agreement = mean.find(kAgreement); agreement != mean.end()) {
    out << "student vs teacher:";
    for (const auto& [m, v] : agreement->second) {
      const double* sd = stddev && stddev->count(kAgreement) && stddev->at(kAgreement).count(m) ? &stddev->at(kAgreement).at(m) : nullptr;
      out << ' ' << m << ' ' << cell(v, sd);
    }
    out << '\n';
  }
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], display_width(row[c]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) line += row[c] + std::string(width[c] - display_width(row[c]) + 2, ' ');
    out << line.substr(0, line.find_last_not_of(' ') + 1) << '\n';
  }
}

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

nlohmann::json metric_table_json(const MetricTable& table) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [model, metrics] : table)
    for (const auto& [m, v] : metrics) j[model][m] = std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
  return j;
}

nlohmann::json explanation_json(const Explanation& e) {
  nlohmann::json values = nlohmann::json::array();
  const auto number = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  for (const ExplanationValue& v : e.values)
    values.push_back({{"target", v.target}, {"sample", v.sample ? nlohmann::json(*v.sample) : nlohmann::json(nullptr)}, {"item", v.item},
                      {"value", number(v.value)}, {"spread", number(v.spread)}});
  return {{"explanation", e.id}, {"run", e.run}, {"method", e.method}, {"parameters", nlohmann::json::parse(e.parameters_json)},
          {"created_at", e.created_at}, {"values", values}};
}

}  // namespace ndtmoe::cli
