#pragma once
// Whole-file reading through zlib, which passes plain files through unchanged, so every reader accepts
// gzip-compressed input for free.

#include <string>
#include <vector>

namespace ndtmoe {

// Throws DataError naming the file when it cannot be opened or the gzip stream is corrupt.
std::string read_file_bytes(const std::string& path);

// Splits text into lines, accepting \n and \r\n; `line_numbers` are 1-based.
std::vector<std::string> split_lines(const std::string& text);

}  // namespace ndtmoe
