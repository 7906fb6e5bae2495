#include "test_support.h"

namespace ndtmoe::test {

std::string shared_data_dir() { return NDTMOE_SHARED_DATA_DIR; }
std::string test_data_dir() { return NDTMOE_TEST_DATA_DIR; }
std::string source_dir() { return NDTMOE_SOURCE_DIR; }
std::string cli_program() { return NDTMOE_CLI; }

}  // namespace ndtmoe::test
