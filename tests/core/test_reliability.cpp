// Damaged files get a message naming the file and the field, never a crash (the reliability issue's
// reproducers, one test each).

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "ndtmoe/data/readers.h"
#include "ndtmoe/store/sqlite.h"
#include "ndtmoe/store/trace_schema.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

namespace {

nlohmann::json read_manifest(const std::string& run) { return nlohmann::json::parse(std::ifstream(run + "/run.json")); }
void write_manifest(const std::string& run, const nlohmann::json& manifest) { std::ofstream(run + "/run.json") << manifest.dump(); }

std::string load_error(const std::string& run) {
  try {
    load_run(run, "cpu");
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST(Reliability, AMetricSavedAsNullLoadsAsNaN) {
  // JSON has no NaN: a metric that was undefined (e.g. a class never predicted) is written as null.
  ScratchDir dir;
  test::tiny_run(dir);
  const std::string run = dir.path() + "/run";
  nlohmann::json manifest = read_manifest(run);
  manifest["reports"]["student"]["metrics"]["macro_f1"] = nullptr;
  manifest["agreement"]["agreement"] = nullptr;
  write_manifest(run, manifest);
  const LoadedRun loaded = load_run(run, "cpu");
  EXPECT_TRUE(std::isnan(loaded.experiment.reports.front().metrics.at("macro_f1")));
  EXPECT_TRUE(std::isnan(loaded.experiment.agreement.at("agreement")));
}

TEST(Reliability, ANominalFillOutsideItsCategoriesIsRefusedByName) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  const std::string arff = dir.path() + "/weather.arff";
  std::ofstream(arff) << "@relation w\n@attribute outlook {sunny,rainy,overcast}\n@attribute windy {yes,no}\n@data\n"
                         "sunny,yes\nrainy,no\novercast,yes\nsunny,no\nrainy,yes\novercast,no\nsunny,yes\nrainy,no\n";
  test::tiny_run(dir, 0, {}, arff);
  const nlohmann::json original = read_manifest(run);
  for (const double fill : {-1.0, 1e9, 0.5}) {
    nlohmann::json manifest = original;
    manifest["preprocessing"]["features"][0]["fill"] = fill;
    write_manifest(run, manifest);
    const std::string error = load_error(run);
    EXPECT_NE(error.find(run + "/run.json"), std::string::npos) << error;
    EXPECT_NE(error.find("preprocessing.features[0] ('outlook')"), std::string::npos) << error;
  }
}

TEST(Reliability, AStoreWithANegativeSchemaVersionIsCalledDamaged) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.sqlite";
  { TraceStore store(path); }
  { Database(path, Database::Mode::ReadWrite).execute("PRAGMA user_version = -1"); }
  try {
    TraceStore store(path);
    FAIL() << "a store of schema version -1 was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version -1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(Reliability, SparseArffRowsWithABadIndexOrTrailingTextAreRefusedWithTheirLine) {
  ScratchDir dir;
  const std::string header = "@relation w\n@attribute a numeric\n@attribute outlook {sunny,rainy}\n@data\n{0 1, 1 sunny}\n";
  for (const std::string& row : {std::string("{nan sunny}"), std::string("{0.5 3, 1 sunny}"), std::string("{0 2, 1 rainy}junk")}) {
    const std::string path = dir.path() + "/sparse.arff";
    std::ofstream(path) << header << row << "\n";
    try {
      read_table(path);
      FAIL() << row << " was read";
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ":6"), std::string::npos) << e.what();
    }
  }
}
