// A run directory's JSON files on any bytes: run.json's manifest and a trainer's saved state are read
// completely or refused with a DataError, nothing else.
#include "fuzz_input.h"
#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/train/trainer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ndtmoe::parse_run_manifest(text, "run.json");
  } catch (const ndtmoe::DataError&) {
  }
  try {
    ndtmoe::parse_trainer_state(text, "student.trainer.json");
  } catch (const ndtmoe::DataError&) {
  }
  return 0;
}
