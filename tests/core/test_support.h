#pragma once
// Helpers shared by the core tests: paths to the sample data and scratch files.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace ndtmoe::test {

// Where the tests find their files. Defined in test_support.cpp, the one test file compiled with the
// build's absolute paths: every other test file then compiles with the same command in any clone, so
// ccache serves a fresh clone (CI's) what an earlier build stored.
std::string shared_data_dir();  // ../shared/data, or NDTMOE_SHARED_DATA_DIR as configured
std::string test_data_dir();    // tests/data
std::string source_dir();       // the repository
std::string cli_program();      // the built ndtmoe program

inline std::string shared_data(const std::string& name) {
  const std::string path = shared_data_dir() + "/" + name;
  if (!std::filesystem::exists(path)) ADD_FAILURE() << "sample data missing: " << path << " (set NDTMOE_SHARED_DATA_DIR)";
  return path;
}

inline std::string test_data(const std::string& name) { return test_data_dir() + "/" + name; }

// A fresh directory under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir() {
    // Outside a test (a suite's shared set-up) the directory is named after the suite being run.
    const auto* unit = ::testing::UnitTest::GetInstance();
    const auto* info = unit->current_test_info();
    const std::string tag = info ? std::string(info->test_suite_name()) + "-" + info->name()
                                 : std::string(unit->current_test_suite() ? unit->current_test_suite()->name() : "suite") + "-shared";
    path_ = std::filesystem::temp_directory_path() / ("ndtmoe-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& content = {}) const {
    const std::string p = (path_ / name).string();
    if (!content.empty()) std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ndtmoe::test
