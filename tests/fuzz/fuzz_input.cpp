#include "fuzz_input.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ndtmoe::fuzz {

std::string scratch_file(const std::string& name, const void* bytes, size_t size) {
  static const std::filesystem::path folder = [] {
    const auto path = std::filesystem::temp_directory_path() / ("ndtmoe-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const std::string path = (folder / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(bytes), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error(path + ": cannot write the fuzz input");
  return path;
}

}  // namespace ndtmoe::fuzz
