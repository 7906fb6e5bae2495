// Shards (trace --shard i/n) and store merge: the merged shards of a trace equal one trace of the same
// data, table by table; whole stores keep every run; what cannot be joined is refused and nothing is written.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "ndtmoe/store/sqlite.h"
#include "ndtmoe/store/store_merge.h"
#include "run_fixtures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::tiny_run;

namespace {

const std::string kData = "builtin:rule-tree";

// One stored value; REAL values and float blobs compare within a tolerance: a row's float32 outputs differ in
// the last bit with the size of the batch it was computed in, and a merged run's weight sums add up shard
// by shard, in another order than one trace.
struct Cell {
  std::string type, text;
  double real = 0;
};

bool float_bits_close(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.size() % 4 != 0) return false;
  for (size_t i = 0; i < a.size(); i += 4) {
    float x, y;
    std::memcpy(&x, a.data() + i, 4);
    std::memcpy(&y, b.data() + i, 4);
    if (std::memcmp(&x, &y, 4) == 0) continue;
    // Int32 blobs (experts, leaves) read as floats are subnormal: those must match bit for bit.
    if (!std::isnormal(x) || !std::isnormal(y) || std::fabs(x - y) > 1e-5f * std::max(1.0f, std::fabs(x))) return false;
  }
  return true;
}

bool same(const Cell& a, const Cell& b) {
  if (a.type != b.type) return false;
  if (a.type == "real") return std::fabs(a.real - b.real) <= 1e-6 * std::max(1.0, std::fabs(a.real));  // float32 outputs, stored as double
  if (a.type == "blob") return a.text == b.text || float_bits_close(a.text, b.text);
  return a.text == b.text;
}

std::vector<std::string> columns(Database& db, const std::string& table) {
  Statement info = db.prepare("PRAGMA table_info(" + table + ")");
  std::vector<std::string> names;
  while (info.step()) names.push_back(info.text(1));
  return names;
}

// Every row of `table` for `run`, without the run id (and the times of the runs row), ordered by its columns.
std::vector<std::vector<Cell>> rows_of(Database& db, const std::string& table, int64_t run) {
  std::vector<std::string> kept;
  for (const std::string& c : columns(db, table))
    if (c != "run_id" && c != "created_at" && c != "completed_at") kept.push_back(c);
  std::string select, order;
  for (size_t i = 0; i < kept.size(); ++i) {
    select += (i ? ", " : "") + std::string("typeof(") + kept[i] + "), " + kept[i];
    order += (i ? ", " : "") + std::to_string(2 * i + 2);
  }
  Statement s = db.prepare("SELECT " + select + " FROM " + table + " WHERE run_id = ? ORDER BY " + order);
  s.bind(1, run);
  std::vector<std::vector<Cell>> rows;
  while (s.step()) {
    std::vector<Cell>& row = rows.emplace_back();
    for (size_t i = 0; i < kept.size(); ++i) {
      Cell cell{s.text(static_cast<int>(2 * i)), "", 0};
      const int column = static_cast<int>(2 * i + 1);
      if (cell.type == "real") cell.real = s.real(column);
      else if (cell.type == "blob") {
        const std::vector<char> bytes = s.blob<char>(column);
        cell.text.assign(bytes.begin(), bytes.end());
      } else if (cell.type != "null") cell.text = s.text(column);
      row.push_back(std::move(cell));
    }
  }
  return rows;
}

std::vector<std::string> run_tables(Database& db) {
  Statement s = db.prepare("SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND "
                           "EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'run_id') ORDER BY m.name");
  std::vector<std::string> tables;
  while (s.step()) tables.push_back(s.text(0));
  return tables;
}

TraceResult trace_shard(TraceStore& store, LoadedRun& run, const ScratchDir& dir, const Dataset& data, Shard shard, int64_t batch = 8192) {
  TraceOptions options;
  options.shard = shard;
  options.batch_size = batch;
  return trace_run(store, run, dir.path() + "/run", kData, data, torch::kCPU, options);
}

std::string refusal(const std::vector<std::string>& inputs, const std::string& output) {
  try {
    merge_stores(inputs, output);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(merged)";
}

}  // namespace

TEST(Shard, ParsesIOfNAndSlicesEveryRowOnce) {
  const Shard second = parse_shard("2/3");
  EXPECT_EQ(second.index, 2);
  EXPECT_EQ(second.count, 3);
  EXPECT_EQ(second.text(), "2/3");
  int64_t next = 0;
  for (int64_t i = 1; i <= 7; ++i) {
    const auto [first, end] = Shard{i, 7}.rows(100);
    EXPECT_EQ(first, next);
    EXPECT_GE(end - first, 14);
    EXPECT_LE(end - first, 15);
    next = end;
  }
  EXPECT_EQ(next, 100);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", ""}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + bad + "\""), std::string::npos) << e.what();
    }
  }
}

TEST(Shard, TracesItsSliceWithGlobalIdsAndResumesWithinIt) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, kData);
  TraceStore store(dir.path() + "/s.sqlite");
  TraceOptions options;
  options.shard = {2, 3};
  options.batch_size = 30;
  std::atomic<bool> cancel{false};
  const TraceResult first = trace_run(store, run, dir.path() + "/run", kData, data, torch::kCPU, options,
                                      [&](const TraceProgress& p) { cancel = p.done >= 60; }, &cancel);
  ASSERT_TRUE(first.cancelled);
  RunSummary summary = store.run(first.run);
  EXPECT_EQ(summary.shard, "2/3");
  EXPECT_EQ(summary.first_sample, 100);
  EXPECT_EQ(summary.total_samples, 100);
  EXPECT_EQ(summary.traced_samples, 60);
  resume_trace(store, first.run, run, data, torch::kCPU, TraceOptions{});
  summary = store.run(first.run);
  EXPECT_TRUE(summary.complete());
  SampleFilter all;
  all.limit = -1;
  const std::vector<int64_t> ids = store.samples(first.run, all);
  ASSERT_EQ(ids.size(), 100u);
  EXPECT_EQ(ids.front(), 100);
  EXPECT_EQ(ids.back(), 199);
  EXPECT_EQ(store.sample(first.run, 150).sample, 150);
  // The tree queries index by sample id, which a shard's start offsets.
  EXPECT_EQ(store.top_leaves(first.run, 0, 0).size(), 200u);
}

TEST(StoreMerge, MergedShardsEqualOneTraceOfTheSameData) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir, 300, [](ExperimentConfig& c) { c.baselines = true; });
  const Dataset data = load_data_for_run(run, kData);
  const std::string whole_path = dir.path() + "/whole.sqlite", a = dir.path() + "/a.sqlite", b = dir.path() + "/b.sqlite";
  {
    TraceStore whole(whole_path);
    TraceOptions options;
    options.embeddings = false;  // they need every sample, which no shard holds, so a merged run has none
    trace_run(whole, run, dir.path() + "/run", kData, data, torch::kCPU, options);
    // Shards 3/3 and 1/3 in one store, 2/3 in another, with batches that do not match the slices.
    TraceStore first(a), second(b);
    trace_shard(first, run, dir, data, {3, 3}, 37);
    trace_shard(first, run, dir, data, {1, 3}, 64);
    trace_shard(second, run, dir, data, {2, 3}, 100);
  }
  const std::vector<MergedRun> merged = merge_stores({a, b}, dir.path() + "/merged.sqlite");
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].samples, 300);
  ASSERT_EQ(merged[0].sources.size(), 3u);
  EXPECT_NE(merged[0].sources[1].find("b.sqlite run 1 (shard 2/3)"), std::string::npos) << merged[0].sources[1];

  TraceStore check(dir.path() + "/merged.sqlite", TraceStore::Mode::ReadOnly);
  const RunSummary summary = check.run(merged[0].run);
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.shard, "");
  EXPECT_EQ(summary.first_sample, 0);
  EXPECT_EQ(summary.traced_samples, 300);
  Database whole(whole_path, Database::Mode::ReadOnly);
  Database& joined = check.database();
  std::map<std::string, size_t> compared;
  for (const std::string& table : run_tables(whole)) {
    const auto expected = rows_of(whole, table, 1), got = rows_of(joined, table, merged[0].run);
    ASSERT_EQ(got.size(), expected.size()) << table;
    for (size_t r = 0; r < expected.size(); ++r)
      for (size_t c = 0; c < expected[r].size(); ++c)
        ASSERT_TRUE(same(expected[r][c], got[r][c])) << table << " row " << r << " column " << c << ": " << expected[r][c].text << " vs "
                                                     << got[r][c].text << " (" << expected[r][c].real << " vs " << got[r][c].real << ")";
    compared[table] = expected.size();
  }
  // Each kind of table had rows to compare: the run's description, its samples' rows, the aggregates.
  for (const char* table : {"runs", "features", "router_levels", "training_steps", "samples", "routing", "tree_leaves", "model_predictions",
                            "expert_load", "expert_classes", "expert_flow", "tree_nodes"})
    EXPECT_GT(compared[table], 0u) << table;
  EXPECT_EQ(compared["samples"], 300u);
}

TEST(StoreMerge, WholeStoresKeepEveryRunAndItsExplanationsUnderNewIds) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, kData);
  const std::string a = dir.path() + "/a.sqlite", b = dir.path() + "/b.sqlite";
  {
    TraceStore first(a), second(b);
    TraceOptions named;
    named.name = "first";
    trace_run(first, run, dir.path() + "/run", kData, data, torch::kCPU, named);
    Explanation e;
    e.run = 1;
    e.method = "permutation";
    e.parameters_json = "{}";
    e.values = {{"student", std::nullopt, "f0", 0.25, 0.01}, {"student", 7, "f1", 0.5, 0.0}};
    first.store_explanation(e);
    named.name = "second";
    trace_run(second, run, dir.path() + "/run", kData, data, torch::kCPU, named);
    trace_shard(second, run, dir, data, {1, 2});
    trace_shard(second, run, dir, data, {2, 2});
  }
  // Cancelled after the first part: nothing is left behind.
  std::vector<std::pair<int64_t, int64_t>> reported;
  const std::atomic<bool> cancel{true};
  EXPECT_THROW(merge_stores({a, b}, dir.path() + "/m.sqlite", [&](int64_t done, int64_t total) { reported.emplace_back(done, total); }, &cancel),
               StoreError);
  EXPECT_EQ(reported, (std::vector<std::pair<int64_t, int64_t>>{{1, 4}}));  // two whole runs and two shards
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/m.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/m.sqlite.tmp"));
  reported.clear();
  const std::vector<MergedRun> merged =
      merge_stores({a, b}, dir.path() + "/m.sqlite", [&](int64_t done, int64_t total) { reported.emplace_back(done, total); });
  EXPECT_EQ(reported.size(), 4u);
  EXPECT_EQ(reported.back(), (std::pair<int64_t, int64_t>{4, 4}));
  ASSERT_EQ(merged.size(), 3u);
  TraceStore check(dir.path() + "/m.sqlite", TraceStore::Mode::ReadOnly);
  const std::vector<RunSummary> runs = check.runs();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, 1);
  EXPECT_EQ(runs[0].name, "first");
  EXPECT_EQ(runs[1].id, 2);
  EXPECT_EQ(runs[1].name, "second");
  EXPECT_EQ(runs[2].id, 3);
  for (const RunSummary& r : runs) EXPECT_EQ(r.traced_samples, 300) << r.id;
  const std::vector<Explanation> explanations = check.explanations(1);
  ASSERT_EQ(explanations.size(), 1u);
  ASSERT_EQ(explanations[0].values.size(), 2u);
  EXPECT_EQ(explanations[0].values[1].sample, 7);
  EXPECT_TRUE(check.explanations(2).empty());
}

TEST(StoreMerge, RefusesWhatCannotBeJoinedAndWritesNothing) {
  ScratchDir dir;
  LoadedRun run = tiny_run(dir);
  const Dataset data = load_data_for_run(run, kData);
  const std::string gap = dir.path() + "/gap.sqlite", twice = dir.path() + "/twice.sqlite", partial = dir.path() + "/partial.sqlite";
  {
    TraceStore store(gap);
    trace_shard(store, run, dir, data, {1, 3});
    trace_shard(store, run, dir, data, {3, 3});
    TraceStore repeated(twice);
    trace_shard(repeated, run, dir, data, {1, 2});
    trace_shard(repeated, run, dir, data, {1, 2});
    trace_shard(repeated, run, dir, data, {2, 2});
    TraceStore cancelled(partial);
    TraceOptions options;
    options.batch_size = 50;
    std::atomic<bool> cancel{true};
    trace_run(cancelled, run, dir.path() + "/run", kData, data, torch::kCPU, options, {}, &cancel);
  }
  const std::string out = dir.path() + "/out.sqlite";
  EXPECT_NE(refusal({gap}, out).find("lacks shard 2/3"), std::string::npos) << refusal({gap}, out);
  EXPECT_NE(refusal({twice}, out).find("shard 1/2 of " + std::filesystem::absolute(dir.path() + "/run").lexically_normal().string() +
                                       " is there twice"),
            std::string::npos)
      << refusal({twice}, out);
  EXPECT_NE(refusal({partial}, out).find("run 1 is incomplete (0 of 300 samples traced)"), std::string::npos) << refusal({partial}, out);
  EXPECT_NE(refusal({dir.path() + "/none.sqlite"}, out).find("no such trace store"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
  EXPECT_NE(refusal({gap}, gap).find("exists"), std::string::npos);
  // A damaged shard name is the store's damage, named with the store and the run.
  { Database(twice, Database::Mode::ReadWrite).execute("UPDATE runs SET shard = '3/2' WHERE run_id = 2"); }
  EXPECT_NE(refusal({twice}, out).find(twice + ": runs row 2: shard \"3/2\""), std::string::npos) << refusal({twice}, out);
  EXPECT_NE(refusal({twice}, out).find("the store is damaged"), std::string::npos) << refusal({twice}, out);
}
