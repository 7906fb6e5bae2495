#include "ndtmoe/train/teacher_cache.h"

#include <cstring>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/table.h"

namespace ndtmoe {

uint64_t inputs_fingerprint(const torch::Tensor& encoded_inputs) {
  const torch::Tensor values = encoded_inputs.to(torch::kCPU, torch::kFloat).contiguous();
  uint64_t hash = 1469598103934665603ULL;
  const auto mix = [&hash](const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) hash = (hash ^ p[i]) * 1099511628211ULL;
  };
  for (const int64_t size : values.sizes()) mix(&size, sizeof size);
  mix(values.data_ptr<float>(), static_cast<size_t>(values.numel()) * sizeof(float));
  return hash;
}

torch::Tensor TeacherOutputCache::outputs_for(const torch::Tensor& encoded_inputs) const {
  if (!defined() || encoded_inputs.size(0) != outputs.size(0) || inputs_fingerprint(encoded_inputs) != fingerprint) return {};
  return outputs;
}

void save_teacher_cache(const std::string& path, const TeacherOutputCache& cache) {
  int64_t fingerprint_bits = 0;
  std::memcpy(&fingerprint_bits, &cache.fingerprint, sizeof fingerprint_bits);
  write_atomically(path, [&](const std::string& tmp) {
    torch::serialize::OutputArchive archive;
    archive.write("outputs", cache.outputs.to(torch::kCPU, torch::kFloat).contiguous());
    archive.write("fingerprint", torch::tensor({fingerprint_bits}, torch::kLong));
    archive.save_to(tmp);
  });
}

TeacherOutputCache load_teacher_cache(const std::string& path, int64_t output_width) {
  torch::Tensor outputs, fingerprint;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    archive.read("outputs", outputs);
    archive.read("fingerprint", fingerprint);
  } catch (const c10::Error& e) {
    const std::string what = e.what();
    throw DataError(path + ": cannot load the teacher's cached outputs: " + what.substr(0, what.find('\n')));
  }
  if (outputs.dim() != 2 || outputs.size(1) != output_width || outputs.scalar_type() != torch::kFloat)
    throw DataError(path + ": the teacher's cached outputs should be a float matrix with " + std::to_string(output_width) +
                    " columns; found shape " + c10::str(outputs.sizes()));
  if (fingerprint.numel() != 1 || fingerprint.scalar_type() != torch::kLong)
    throw DataError(path + ": the fingerprint of the cached rows is missing or malformed");
  TeacherOutputCache cache;
  const int64_t fingerprint_bits = fingerprint.item<int64_t>();
  std::memcpy(&cache.fingerprint, &fingerprint_bits, sizeof fingerprint_bits);
  cache.outputs = outputs;
  return cache;
}

}  // namespace ndtmoe
