// Damaged files get a message naming the file and the field, never a crash (the reliability issue's
// reproducers, one test each).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ndtmoe/data/file_text.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/data/sha256.h"
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

TEST(Reliability, ADataSetTooSmallToFitIsRefusedNamingItAndWhy) {
  ScratchDir dir;
  const std::string path = dir.path() + "/two-rows.csv";
  std::ofstream(path) << "a,b,y\n1,2,x\n3,4,y\n";
  const DataDescription description = DataDescription::holdout(path);
  const Dataset data = description.load();
  try {
    run_experiment(data, description.split(data), test::tiny_student_config());
    FAIL() << "two rows were trained on";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("two-rows.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("more rows"), std::string::npos) << e.what();
  }
}

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

TEST(Reliability, AStoreWithImpossibleSizesOrIndicesNamesTheTableAndRow) {
  ScratchDir dir;
  const std::string path = dir.path() + "/t.sqlite";
  int64_t id = 0;
  {
    TraceStore store(path);
    id = test::traced_family_run(dir, store, "ndt", {{"depth", 2}});
  }
  const auto error_of = [&](const std::string& damage, const std::function<void(TraceStore&)>& read) -> std::string {
    const std::string copy = dir.path() + "/damaged.sqlite";
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    { Database(copy, Database::Mode::ReadWrite).execute(damage); }
    try {
      TraceStore store(copy, TraceStore::Mode::ReadOnly);
      read(store);
    } catch (const StoreError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const std::string run = std::to_string(id);
  EXPECT_NE(error_of("UPDATE runs SET trees = 1048576", [&](TraceStore& s) { s.run(id); }).find("runs row " + run), std::string::npos);
  EXPECT_NE(error_of("UPDATE runs SET layers = 40000", [&](TraceStore& s) { s.runs(); }).find("layers 40000"), std::string::npos);
  EXPECT_NE(error_of("UPDATE expert_load SET expert = -3 WHERE expert = 0", [&](TraceStore& s) { s.expert_layers(id); }).find("table expert_load"),
            std::string::npos);
  EXPECT_NE(error_of("UPDATE expert_classes SET class = 99 WHERE (layer, expert, class) = "
                     "(SELECT layer, expert, class FROM expert_classes WHERE layer = 0 LIMIT 1)", [&](TraceStore& s) { s.expert_classes(id, 0); })
                .find("table expert_classes"),
            std::string::npos);
  EXPECT_NE(error_of("UPDATE expert_flow SET to_expert = 4096 WHERE (layer, from_expert, to_expert) = "
                     "(SELECT layer, from_expert, to_expert FROM expert_flow LIMIT 1)", [&](TraceStore& s) { s.flow(id); }).find("table expert_flow"), std::string::npos);
  EXPECT_NE(error_of("UPDATE routing SET decisions = x'' WHERE sample = 5", [&](TraceStore& s) { s.sample(id, 5); }).find("routing row (run " + run + ", sample 5"),
            std::string::npos);
  EXPECT_NE(error_of("UPDATE routing SET experts = x'ff000000ff000000' WHERE sample = 6", [&](TraceStore& s) { s.sample(id, 6); })
                .find("routing row"),
            std::string::npos);
}

TEST(Reliability, TwoWritersCreatingOneStoreTakeTurns) {
  ScratchDir dir;
  const std::string path = dir.path() + "/new.sqlite";
  std::vector<std::string> errors(4);
  std::vector<std::thread> writers;
  for (size_t i = 0; i < errors.size(); ++i)
    writers.emplace_back([&, i] {
      try {
        TraceStore store(path);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& writer : writers) writer.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  Database db(path, Database::Mode::ReadOnly);
  EXPECT_EQ(schema_version(db), kTraceSchemaVersion);
}

TEST(Reliability, ARunManifestWithAnUnknownFormatOrAbsurdSizesNamesTheField) {
  ScratchDir dir;
  test::tiny_run(dir);
  const std::string run = dir.path() + "/run";
  const nlohmann::json original = read_manifest(run);
  for (const nlohmann::json& version : {nlohmann::json(0), nlohmann::json(-1), nlohmann::json(1e30), nlohmann::json("2")}) {
    nlohmann::json manifest = original;
    manifest["format_version"] = version;
    write_manifest(run, manifest);
    const std::string error = load_error(run);
    EXPECT_NE(error.find(run + "/run.json: format_version " + version.dump() + " is not a format"), std::string::npos) << error;
  }
  const std::pair<const char*, nlohmann::json> absurd[] = {{"layers", 1000000}, {"experts", -3}, {"top_k", 99}, {"d_model", 0}, {"dropout", 1.5}};
  for (const auto& [field, value] : absurd) {
    nlohmann::json manifest = original;
    manifest["models"]["student"][field] = value;
    write_manifest(run, manifest);
    const std::string error = load_error(run);
    EXPECT_NE(error.find(run + "/run.json: models.student: " + std::string(field) + " "), std::string::npos) << error;
    EXPECT_NE(error.find("outside"), std::string::npos) << error;
  }
}

TEST(Reliability, WeightsOfAnotherModelAreRefusedWithTheParameterAndBothShapes) {
  // A 4-class run whose student file is replaced by that of a run with other layer widths.
  ScratchDir dir;
  test::tiny_run(dir, 300, [](ExperimentConfig& c) { c.student.d_model = 24; });
  std::filesystem::copy_file(dir.path() + "/run/student.pt", dir.path() + "/wider-student.pt");
  test::tiny_run(dir);
  std::filesystem::copy_file(dir.path() + "/wider-student.pt", dir.path() + "/run/student.pt",
                             std::filesystem::copy_options::overwrite_existing);
  // The checksums would refuse the file first (the next test); a run saved before they were recorded
  // has none, and the shapes are still checked.
  nlohmann::json manifest = nlohmann::json::parse(std::ifstream(dir.path() + "/run/run.json"));
  manifest.erase("checksums");
  write_manifest(dir.path() + "/run", manifest);
  const std::string error = load_error(dir.path() + "/run");
  EXPECT_NE(error.find(dir.path() + "/run/student.pt: "), std::string::npos) << error;
  EXPECT_NE(error.find("in the file, but the model run.json describes needs"), std::string::npos) << error;
  EXPECT_NE(error.find("24"), std::string::npos) << error;
}

TEST(Reliability, ASaveThatFailsLeavesThePreviousRunWholeAndASaveThatSucceedsReplacesItWhole) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  LoadedRun wider = test::tiny_run(dir, 300, [](ExperimentConfig& c) { c.student.d_model = 24; });
  std::filesystem::remove_all(run);
  test::tiny_run(dir);  // d = 16
  dir.file("run/notes.txt", "the user's own file");
  // A source name that is not UTF-8 is only found when run.json is written, after every weights file.
  DataDescription unwritable = wider.data;
  unwritable.source += "\xff";
  try {
    save_run(run, wider.experiment, unwritable);
    FAIL() << "run.json with invalid UTF-8 was written";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(run + ": the run was not saved"), std::string::npos) << e.what();
  }
  // The old run loads as it was (the 24-wide weights would be refused by its run.json), nothing is left
  // beside it, and the user's file is there.
  EXPECT_EQ(load_run(run, "cpu").experiment.student->config().d_model, 16);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".run.saving"), std::string::npos) << entry.path();
  EXPECT_TRUE(std::filesystem::exists(run + "/notes.txt"));
  // A save that succeeds replaces the run whole and keeps the user's file; what a killed save left
  // behind (its process gone) is cleaned up.
  std::filesystem::create_directory(dir.path() + "/.run.saving-999999999");
  save_run(run, wider.experiment, wider.data);
  EXPECT_EQ(load_run(run, "cpu").experiment.student->config().d_model, 24);
  EXPECT_TRUE(std::filesystem::exists(run + "/notes.txt"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

TEST(Reliability, AFlippedByteInAWeightsFileIsFoundByItsChecksum) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  test::tiny_run(dir);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-4's example
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string bytes = read_file_bytes(run + "/student.pt");
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  std::ofstream(run + "/student.pt", std::ios::binary | std::ios::trunc) << bytes;
  const std::string error = load_error(run);
  EXPECT_NE(error.find(run + "/student.pt: its SHA-256 differs"), std::string::npos) << error;
  std::filesystem::remove(run + "/student.pt");
  EXPECT_NE(load_error(run).find(run + "/student.pt: missing"), std::string::npos);
}
