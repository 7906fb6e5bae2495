#pragma once
// Where the teacher's outputs come from: a transformer or a random forest trained here, a TorchScript
// module exported elsewhere, or a CSV of precomputed logits aligned with the data rows.

#include <memory>
#include <string>
#include <torch/script.h>
#include <torch/torch.h>

namespace ndtmoe {

enum class TeacherKind { Transformer, Forest, TorchScript, LogitsCsv, None };
inline constexpr TeacherKind kTeacherKinds[] = {TeacherKind::Transformer, TeacherKind::Forest, TeacherKind::TorchScript,
                                                TeacherKind::LogitsCsv, TeacherKind::None};
const char* to_string(TeacherKind kind);
TeacherKind teacher_kind_from_string(const std::string& text);

// A TorchScript module whose forward takes the encoded (one-hot, standardized) features [B, F] as
// float32 and returns logits [B, C] (or a tuple/list whose first element is).
class TorchScriptTeacher {
 public:
  explicit TorchScriptTeacher(const std::string& path);
  torch::Tensor predict(const torch::Tensor& x, int64_t batch_size = 1024);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  torch::jit::script::Module module_;
};

// Reads logits from a CSV with a header and one numeric column per class, one row per data row.
// Every row must have `classes` values; errors name the file and line.
torch::Tensor read_teacher_logits_csv(const std::string& path, int64_t rows, int64_t classes);

}  // namespace ndtmoe
