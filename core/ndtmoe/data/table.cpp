#include "ndtmoe/data/dataset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace ndtmoe {

std::string located_message(const std::string& file, int64_t line, int64_t column, const std::string& cause) {
  std::string where = file;
  if (line > 0) where += ":" + std::to_string(line);
  if (column > 0) where += ":" + std::to_string(column);
  return where + ": " + cause;
}

int64_t Table::column_index(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int64_t>(i);
  return -1;
}

const char* to_string(TaskKind kind) {
  return kind == TaskKind::Classification ? "classification" : "regression";
}

TaskKind task_kind_from_string(const std::string& text) {
  if (text == "classification") return TaskKind::Classification;
  if (text == "regression") return TaskKind::Regression;
  throw std::invalid_argument("unknown task '" + text + "' (expected classification or regression)");
}

namespace {

std::string format_number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

bool looks_like_class_labels(const Column& column) {
  std::set<double> distinct;
  for (double v : column.values) {
    if (std::isnan(v)) continue;
    if (v != std::floor(v)) return false;
    distinct.insert(v);
    if (distinct.size() > 30) return false;
  }
  return true;
}

}  // namespace

Dataset make_dataset(Table table, const std::string& target_name, TaskChoice task) {
  if (table.columns.empty()) throw DataError(located_message(table.source, 0, 0, "no columns"));
  if (table.rows() == 0) throw DataError(located_message(table.source, 0, 0, "no data rows"));
  int64_t target_index = static_cast<int64_t>(table.columns.size()) - 1;
  if (!target_name.empty()) {
    target_index = table.column_index(target_name);
    if (target_index < 0) {
      std::string names;
      for (const auto& c : table.columns) names += (names.empty() ? "" : ", ") + c.name;
      throw DataError(located_message(table.source, 0, 0,
                                      "no column named '" + target_name + "' (columns: " + names + ")"));
    }
  }
  if (table.columns.size() < 2) throw DataError(located_message(table.source, 0, 0, "needs at least one feature column besides the target"));

  Column target = std::move(table.columns[target_index]);
  table.columns.erase(table.columns.begin() + target_index);
  for (int64_t r = 0; r < table.rows(); ++r)
    if (std::isnan(target.values[r]))
      throw DataError(located_message(table.source, table.source_lines[r], 0,
                                      "missing value in target column '" + target.name + "'"));

  Dataset data;
  data.name = table.source;
  data.target_name = target.name;
  data.features = std::move(table);
  const bool classify = task == TaskChoice::Classification ||
                        (task == TaskChoice::Auto && (target.nominal || looks_like_class_labels(target)));
  if (!classify) {
    if (target.nominal)
      throw DataError(located_message(data.name, 0, 0, "target '" + target.name + "' is nominal; regression needs numbers"));
    data.task = TaskKind::Regression;
    data.targets = std::move(target.values);
    return data;
  }
  data.task = TaskKind::Classification;
  if (target.nominal) {
    // Keep only categories that occur, in declaration order, so class indices are dense.
    std::vector<int64_t> remap(target.categories.size(), -1);
    std::vector<bool> present(target.categories.size(), false);
    for (size_t row = 0; row < target.values.size(); ++row) {
      // A reader declares the categories; a value outside them (an IDX label past the class names) is
      // refused here rather than used as an index.
      const double v = target.values[row];
      if (!(v >= 0 && v < static_cast<double>(target.categories.size())) || v != std::floor(v))
        throw DataError(located_message(data.name, data.features.source_lines[row], 0,
                                        "target '" + target.name + "' has value " + format_number(v) + ", outside its " +
                                            std::to_string(target.categories.size()) + " classes"));
      present[static_cast<size_t>(v)] = true;
    }
    for (size_t c = 0; c < target.categories.size(); ++c)
      if (present[c]) {
        remap[c] = static_cast<int64_t>(data.class_names.size());
        data.class_names.push_back(target.categories[c]);
      }
    for (double v : target.values) data.labels.push_back(remap[static_cast<size_t>(v)]);
  } else {
    std::map<double, int64_t> index;
    for (double v : target.values) index.emplace(v, 0);
    for (auto& [value, idx] : index) {
      idx = static_cast<int64_t>(data.class_names.size());
      data.class_names.push_back(format_number(value));
    }
    for (double v : target.values) data.labels.push_back(index.at(v));
  }
  if (data.class_names.size() < 2)
    throw DataError(located_message(data.name, 0, 0, "target '" + target.name + "' has a single class"));
  return data;
}

void declare_image(Dataset& data, const std::vector<int64_t>& shape) {
  if (shape.size() != 3 || std::any_of(shape.begin(), shape.end(), [](int64_t d) { return d < 1; }))
    throw DataError(located_message(data.name, 0, 0, "an image shape needs three positive sizes (channels, height, width)"));
  const int64_t pixels = shape[0] * shape[1] * shape[2];
  const auto features = static_cast<int64_t>(data.features.columns.size());
  if (features != pixels)
    throw DataError(located_message(data.name, 0, 0,
                                    std::to_string(features) + " feature columns, but an image of " + std::to_string(shape[0]) + "x" +
                                        std::to_string(shape[1]) + "x" + std::to_string(shape[2]) + " has " + std::to_string(pixels) +
                                        " pixels"));
  for (const Column& column : data.features.columns)
    if (column.nominal)
      throw DataError(located_message(data.name, 0, 0, "column '" + column.name + "' is nominal; image pixels must be numbers"));
  data.features.image_shape = shape;
}

void declare_text(Dataset& data, const std::string& column) {
  const int64_t index = data.features.column_index(column);
  if (index < 0) throw DataError(located_message(data.features.source, 0, 0, "no feature column '" + column + "' to read as text"));
  Column& c = data.features.columns[static_cast<size_t>(index)];
  if (!c.nominal) throw DataError(located_message(data.features.source, 0, 0, "column '" + column + "' holds numbers, not text"));
  c.text = true;
}

std::vector<int64_t> parse_image_shape(const std::string& text) {
  std::vector<int64_t> shape;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('x', start), text.size());
    const std::string part = text.substr(start, end - start);
    if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos || std::stoll(part) == 0)
      throw std::invalid_argument("expected HxW or CxHxW with positive sizes, e.g. 8x8");
    shape.push_back(std::stoll(part));
    start = end + 1;
  }
  if (shape.size() == 2) shape.insert(shape.begin(), 1);
  if (shape.size() != 3) throw std::invalid_argument("expected HxW or CxHxW, e.g. 8x8");
  return shape;
}

std::vector<int64_t> image_shape_from_column_names(const Table& features) {
  const auto& columns = features.columns;
  if (columns.size() < 16 || columns.front().name.empty()) return {};
  // The grid's width is where the column index first returns to 0.
  auto position = [](const std::string& name, std::string& prefix) -> std::pair<int64_t, int64_t> {
    const size_t second = name.rfind('_');
    const size_t first = second == std::string::npos || second == 0 ? std::string::npos : name.rfind('_', second - 1);
    if (first == std::string::npos) return {-1, -1};
    const std::string r = name.substr(first + 1, second - first - 1), c = name.substr(second + 1);
    const auto digits = [](const std::string& s) { return !s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos; };
    if (!digits(r) || !digits(c)) return {-1, -1};
    prefix = name.substr(0, first);
    return {std::stoll(r), std::stoll(c)};
  };
  std::string prefix;
  int64_t width = 0;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string p;
    const auto [r, c] = position(columns[i].name, p);
    if (r < 0 || columns[i].nominal || columns[i].text || (i > 0 && p != prefix)) return {};
    prefix = p;
    if (width == 0 && i > 0 && c == 0) width = static_cast<int64_t>(i);
    const int64_t expected_r = width ? static_cast<int64_t>(i) / width : 0, expected_c = width ? static_cast<int64_t>(i) % width : static_cast<int64_t>(i);
    if (r != expected_r || c != expected_c) return {};
  }
  const auto pixels = static_cast<int64_t>(columns.size());
  if (width < 4 || pixels % width != 0 || pixels / width < 4) return {};
  return {1, pixels / width, width};
}

Dataset subset(const Dataset& data, const std::vector<int64_t>& rows) {
  Dataset out;
  out.name = data.name;
  out.task = data.task;
  out.target_name = data.target_name;
  out.class_names = data.class_names;
  out.features.source = data.features.source;
  out.features.image_shape = data.features.image_shape;
  out.features.columns.reserve(data.features.columns.size());
  for (const auto& column : data.features.columns) {
    Column c{column.name, column.nominal, column.categories, {}, column.text};
    c.values.reserve(rows.size());
    for (int64_t r : rows) c.values.push_back(column.values[r]);
    out.features.columns.push_back(std::move(c));
  }
  for (int64_t r : rows) {
    out.features.source_lines.push_back(data.features.source_lines[r]);
    if (!data.labels.empty()) out.labels.push_back(data.labels[r]);
    if (!data.targets.empty()) out.targets.push_back(data.targets[r]);
  }
  return out;
}

}  // namespace ndtmoe
