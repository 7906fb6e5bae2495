#pragma once
// SHA-256 (FIPS 180-4), for the checksums a run records of its files: no crypto library is needed for
// detecting a damaged or swapped file.

#include <string>

namespace ndtmoe {

std::string sha256_hex(const std::string& bytes);
// Of a file's contents, read in blocks; throws DataError naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace ndtmoe
