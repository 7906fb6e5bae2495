// The IDX pair reader on any bytes: the first four (a little-endian count, modulo what follows) say
// how many of the following bytes are the image file; the rest is the label file. Both are read as a pair.
#include "fuzz_input.h"
#include "ndtmoe/data/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const size_t rest = size - 4;
  const uint32_t split = uint32_t{data[0]} | uint32_t{data[1]} << 8 | uint32_t{data[2]} << 16 | uint32_t{data[3]} << 24;
  const size_t images = split % (rest + 1);
  const std::string images_path = ndtmoe::fuzz::scratch_file("images-idx3-ubyte", data + 4, images);
  const std::string labels_path = ndtmoe::fuzz::scratch_file("labels-idx1-ubyte", data + 4 + images, rest - images);
  try {
    ndtmoe::read_idx_pair(images_path, labels_path);
  } catch (const ndtmoe::DataError&) {
  }
  return 0;
}
