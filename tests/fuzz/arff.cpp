// The ARFF reader on any bytes: a table or a DataError, nothing else.
#include "fuzz_input.h"
#include "ndtmoe/data/readers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    ndtmoe::parse_arff(std::string(reinterpret_cast<const char*>(data), size), "fuzz.arff");
  } catch (const ndtmoe::DataError&) {
  }
  return 0;
}
