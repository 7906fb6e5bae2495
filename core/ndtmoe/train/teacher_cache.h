#pragma once
// The teacher's outputs on every row of a run's training data, computed once while the run is trained
// (distillation needs them for the fit rows anyway). A trace or a resumed training of the same rows reads
// them instead of running the teacher again, which with a transformer teacher is most of a trace's time.

#include <cstdint>
#include <string>
#include <torch/torch.h>

namespace ndtmoe {

// A 64-bit FNV-1a hash of a float tensor's shape and values: equal for the same encoded rows.
uint64_t inputs_fingerprint(const torch::Tensor& encoded_inputs);

struct TeacherOutputCache {
  uint64_t fingerprint = 0;  // of the encoded inputs the outputs belong to
  torch::Tensor outputs;     // [rows, outputs] float on the CPU; undefined when there is no cache

  bool defined() const { return outputs.defined(); }
  // The outputs for `encoded_inputs` when they are the cached rows; an undefined tensor otherwise.
  torch::Tensor outputs_for(const torch::Tensor& encoded_inputs) const;
};

// In a run directory: teacher_outputs.pt, written atomically. Loading checks the shape against the run's
// output width; a damaged file is named with the cause.
void save_teacher_cache(const std::string& path, const TeacherOutputCache& cache);
TeacherOutputCache load_teacher_cache(const std::string& path, int64_t output_width);

}  // namespace ndtmoe
