#include "ndtmoe/data/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ndtmoe {

void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write) {
  const std::string tmp = path + ".tmp";
  try {
    write(tmp);
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

void write_text_atomically(const std::string& path, const std::string& text) {
  write_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error(path + ": cannot write");
  });
}

void install_directory(const std::string& staging, const std::string& path) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) {
    fs::rename(staging, path);
    return;
  }
  if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    throw std::runtime_error(path + ": cannot replace it with " + staging + ": " + std::strerror(errno));
  // A file system without the exchange: the old directory steps aside first.
  const std::string aside = staging + ".old";
  fs::rename(path, aside);
  try {
    fs::rename(staging, path);
  } catch (...) {
    fs::rename(aside, path);
    throw;
  }
  fs::rename(aside, staging);
}

}  // namespace ndtmoe
