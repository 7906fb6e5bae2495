#include "ndtmoe/train/teacher_source.h"

#include <cmath>

#include "ndtmoe/data/readers.h"

namespace ndtmoe {

const char* to_string(TeacherKind kind) {
  switch (kind) {
    case TeacherKind::Transformer: return "transformer";
    case TeacherKind::Forest: return "forest";
    case TeacherKind::TorchScript: return "torchscript";
    case TeacherKind::LogitsCsv: return "logits";
    case TeacherKind::None: return "none";
  }
  return "?";
}

TeacherKind teacher_kind_from_string(const std::string& text) {
  std::string names;
  for (const TeacherKind kind : kTeacherKinds) {
    if (text == to_string(kind)) return kind;
    names += (names.empty() ? "" : ", ") + std::string(to_string(kind));
  }
  throw std::invalid_argument("unknown teacher kind '" + text + "' (expected one of " + names + ")");
}

TorchScriptTeacher::TorchScriptTeacher(const std::string& path) : path_(path) {
  try {
    module_ = torch::jit::load(path);
  } catch (const std::exception& e) {
    std::string what = e.what();
    throw DataError(path + ": cannot load TorchScript module: " + what.substr(0, what.find('\n')));
  }
  module_.eval();
}

torch::Tensor TorchScriptTeacher::predict(const torch::Tensor& x, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += batch_size) {
    const int64_t n = std::min(batch_size, x.size(0) - start);
    torch::jit::IValue result;
    try {
      result = module_.forward({x.narrow(0, start, n)});
    } catch (const std::exception& e) {
      std::string what = e.what();
      throw DataError(path_ + ": TorchScript forward failed on input of shape [" + std::to_string(n) + ", " +
                      std::to_string(x.size(1)) + "]: " + what.substr(0, what.find('\n')));
    }
    if (result.isTuple()) result = result.toTuple()->elements().at(0);
    else if (result.isList()) result = result.toListRef().at(0);
    if (!result.isTensor()) throw DataError(path_ + ": TorchScript forward did not return a tensor");
    parts.push_back(result.toTensor().to(torch::kCPU, torch::kFloat32));
  }
  return torch::cat(parts);
}

torch::Tensor read_teacher_logits_csv(const std::string& path, int64_t rows, int64_t classes) {
  Table table = read_csv(path);
  if (static_cast<int64_t>(table.columns.size()) != classes)
    throw DataError(located_message(path, 1, 0, "expected " + std::to_string(classes) + " logit columns (one per class), found " +
                                                    std::to_string(table.columns.size())));
  if (table.rows() != rows)
    throw DataError(located_message(path, 0, 0, "has " + std::to_string(table.rows()) + " rows of logits but the data has " +
                                                    std::to_string(rows)));
  torch::Tensor logits = torch::empty({rows, classes}, torch::kFloat32);
  for (int64_t c = 0; c < classes; ++c) {
    const Column& column = table.columns[c];
    if (column.nominal) throw DataError(located_message(path, 0, c + 1, "logit column '" + column.name + "' is not numeric"));
    for (int64_t r = 0; r < rows; ++r) {
      if (std::isnan(column.values[r]))
        throw DataError(located_message(path, table.source_lines[r], c + 1, "missing logit"));
      logits[r][c] = static_cast<float>(column.values[r]);
    }
  }
  return logits;
}

}  // namespace ndtmoe
