#include "ndtmoe/train/explicit_model.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/model/imoie_model.h"

namespace ndtmoe {
namespace {

const char* const kRouterRow = "router";

std::string code_text(int64_t expert, int64_t code_length) {
  std::string code;
  for (int64_t l = 0; l < code_length; ++l) code += (expert >> l) & 1 ? '+' : '-';
  return code;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

const Column& column_named(const Table& table, const std::string& name, bool nominal) {
  const int64_t index = table.column_index(name);
  if (index < 0) throw DataError(located_message(table.source, 1, 0, "no column '" + name + "' (an explicit-model table starts expert,code,output,bias)"));
  const Column& column = table.columns[static_cast<size_t>(index)];
  if (column.nominal != nominal)
    throw DataError(located_message(table.source, 1, 0, "column '" + name + "' must be " + (nominal ? "text" : "numeric")));
  return column;
}

std::string cell_text(const Column& column, size_t row) {
  const double v = column.values[row];
  if (std::isnan(v)) return {};
  if (column.nominal) return column.categories[static_cast<size_t>(v)];
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

torch::Tensor ExplicitModel::predict(const torch::Tensor& x) const { return explicit_mixture(maps, x.to(maps.dtype()), top).output; }

ExplicitModel explicit_model_of(Experiment& experiment) {
  auto* imoie = dynamic_cast<ImoieModel*>(experiment.student.get());
  if (!imoie) throw std::invalid_argument("the run's student is not of the imoie family: it has no explicit mode to export");
  if (imoie->prediction_modes().empty())
    throw std::invalid_argument("the run's imoie student has a continuous code (binarize off): its experts are infinitely many");
  ExplicitModel model;
  model.code_length = imoie->options().code_length;
  model.top = imoie->options().explicit_top;
  imoie->eval();
  model.maps = imoie->explicit_table().to(torch::kCPU, torch::kFloat).contiguous();
  model.classes = experiment.preprocessor.class_names();
  if (model.classes.empty()) model.classes = {"output"};  // regression: one output
  model.features = experiment.preprocessor.encoded_names();
  return model;
}

void write_explicit_model(const ExplicitModel& model, const std::string& path) {
  std::ostringstream out;
  out.precision(std::numeric_limits<float>::max_digits10);
  out << "expert,code,output,bias";
  for (const std::string& f : model.features) out << ',' << csv_field(f);
  out << '\n';
  const torch::Tensor maps = model.maps.to(torch::kCPU, torch::kFloat).contiguous();
  const auto table = maps.accessor<float, 3>();
  const int64_t inputs = maps.size(2) - 1;
  for (int64_t e = 0; e < maps.size(0); ++e)
    for (int64_t row = 0; row < maps.size(1); ++row) {
      const std::string output = row < static_cast<int64_t>(model.classes.size()) ? model.classes[static_cast<size_t>(row)] : kRouterRow;
      out << e << ',' << code_text(e, model.code_length) << ',' << csv_field(output) << ',' << table[e][row][inputs];
      for (int64_t i = 0; i < inputs; ++i) out << ',' << table[e][row][i];
      out << '\n';
    }
  write_text_atomically(path, out.str());
}

ExplicitModel read_explicit_model(const std::string& path, int64_t top) {
  const Table table = read_csv(path);
  const Column& expert = column_named(table, "expert", false);
  const Column& code = column_named(table, "code", true);
  const Column& output = column_named(table, "output", true);
  const Column& bias = column_named(table, "bias", false);
  std::vector<const Column*> weights;
  ExplicitModel model;
  model.top = top;
  for (const Column& c : table.columns) {
    if (&c == &expert || &c == &code || &c == &output || &c == &bias) continue;
    if (c.nominal) throw DataError(located_message(path, 1, 0, "feature column '" + c.name + "' holds text, not weights"));
    weights.push_back(&c);
    model.features.push_back(c.name);
  }
  const auto fail = [&](size_t row, const std::string& cause) { return DataError(located_message(path, table.source_lines[row], 0, cause)); };
  // The classes are expert 0's outputs before its router row.
  size_t per_expert = 0;
  while (per_expert < static_cast<size_t>(table.rows()) && cell_text(output, per_expert) != kRouterRow)
    model.classes.push_back(cell_text(output, per_expert++));
  if (per_expert == static_cast<size_t>(table.rows()) || model.classes.empty())
    throw DataError(located_message(path, 2, 0, "expert 0 needs its class rows followed by a 'router' row"));
  ++per_expert;
  const int64_t experts = table.rows() / static_cast<int64_t>(per_expert);
  while ((int64_t{1} << model.code_length) < experts) ++model.code_length;
  if (experts * static_cast<int64_t>(per_expert) != table.rows() || (int64_t{1} << model.code_length) != experts)
    throw DataError(located_message(path, 0, 0, std::to_string(table.rows()) + " rows are not 2^L experts of " + std::to_string(per_expert) +
                                                    " rows (" + std::to_string(model.classes.size()) + " classes and the router)"));
  model.maps = torch::empty({experts, static_cast<int64_t>(per_expert), static_cast<int64_t>(weights.size()) + 1});
  auto maps = model.maps.accessor<float, 3>();
  for (size_t row = 0; row < static_cast<size_t>(table.rows()); ++row) {
    const int64_t e = static_cast<int64_t>(row / per_expert), r = static_cast<int64_t>(row % per_expert);
    const std::string wanted_output = r < static_cast<int64_t>(model.classes.size()) ? model.classes[static_cast<size_t>(r)] : kRouterRow;
    if (expert.values[row] != static_cast<double>(e)) throw fail(row, "expected expert " + std::to_string(e) + ", found '" + cell_text(expert, row) + "'");
    if (cell_text(code, row) != code_text(e, model.code_length))
      throw fail(row, "expert " + std::to_string(e) + " has code " + code_text(e, model.code_length) + ", found '" + cell_text(code, row) + "'");
    if (cell_text(output, row) != wanted_output) throw fail(row, "expected output '" + wanted_output + "', found '" + cell_text(output, row) + "'");
    if (std::isnan(bias.values[row])) throw fail(row, "the bias is missing");
    maps[e][r][static_cast<int64_t>(weights.size())] = static_cast<float>(bias.values[row]);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (std::isnan(weights[i]->values[row])) throw fail(row, "the weight of '" + weights[i]->name + "' is missing");
      maps[e][r][static_cast<int64_t>(i)] = static_cast<float>(weights[i]->values[row]);
    }
  }
  return model;
}

}  // namespace ndtmoe
