#include "ndtmoe/data/file_text.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "ndtmoe/data/table.h"

namespace ndtmoe {

std::string read_file_bytes(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw DataError(located_message(path, 0, 0, std::string("cannot open: ") + std::strerror(errno)));
  std::unique_ptr<gzFile_s, int (*)(gzFile)> guard(file, gzclose);
  gzbuffer(file, 1 << 18);
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const int n = gzread(file, buffer, sizeof buffer);
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(file, &code);
      throw DataError(located_message(path, 0, 0, std::string("read error: ") + message));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  // A truncated gzip stream reads as a short file; zlib reports it only through gzerror.
  int code = 0;
  const char* message = gzerror(file, &code);
  if (code != Z_OK && code != Z_STREAM_END)
    throw DataError(located_message(path, 0, 0, std::string("corrupt compressed data: ") + message));
  return bytes;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t stop = end;
    if (stop > start && text[stop - 1] == '\r') --stop;
    lines.emplace_back(text, start, stop - start);
    start = end + 1;
  }
  return lines;
}

}  // namespace ndtmoe
