// The tests run with the engine's thread set-up, as the programs do.
#include <gtest/gtest.h>

#include "ndtmoe/model/cpu_threads.h"

int main(int argc, char** argv) {
  ndtmoe::configure_cpu_threads();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
