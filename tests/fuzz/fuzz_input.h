#pragma once
// What every fuzz target shares (tests/fuzz/README.md): the libFuzzer entry point, and a scratch file per
// process for readers that take a path.

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace ndtmoe::fuzz {

// Writes `bytes` to a file named `name` in this process's scratch folder and returns its path.
std::string scratch_file(const std::string& name, const void* bytes, size_t size);

}  // namespace ndtmoe::fuzz
