// The CSV reader on any bytes: a table or a DataError, nothing else.
#include "fuzz_input.h"
#include "ndtmoe/data/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    ndtmoe::parse_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  } catch (const ndtmoe::DataError&) {
  }
  return 0;
}
