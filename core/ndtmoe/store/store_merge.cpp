#include "ndtmoe/store/store_merge.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/store/shard.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

namespace {

// How each table of a run is merged. Every table of the schema is named here once; a table added to the
// schema without a rule is refused (and the merge test, which compares every table, fails).
// What the run is, the same in each of its shards: copied once, after checking that the shards agree.
const std::vector<std::string> kDescriptionTables{"features", "router_inputs", "classes", "training_steps", "training_values",
                                                  "metrics", "router_levels", "router_selectors", "leaf_experts", "router_tensors",
                                                  "neuron_layers", "neurons", "embeddings", "expert_neighbours"};
// One row per sample (or token): each shard holds its own samples' rows.
const std::vector<std::string> kSampleTables{"samples", "routing", "tree_leaves", "model_predictions"};
// Counts over the samples traced: a shard holds its slice's counts, and the whole run's are their sums.
const std::map<std::string, std::vector<std::string>> kCountTables{
    {"expert_classes", {"samples", "assignments", "weight"}}, {"expert_load", {"samples", "assignments", "weight"}},
    {"expert_flow", {"samples"}}, {"tree_nodes", {"samples"}}, {"expert_tokens", {"tokens", "assignments", "weight"}}};
// Copied with new ids by copy_explanations; `runs` by copy_run.
const std::set<std::string> kOtherTables{"runs", "explanations", "explanation_values"};
// Columns of `runs` in which a trace's shards differ by nature; they must agree in all others.
const std::set<std::string> kShardRunColumns{"run_id", "name", "status", "created_at", "completed_at", "total_samples",
                                             "traced_samples", "first_sample", "shard"};

struct Part {
  size_t input = 0;  // index into the inputs
  RunSummary run;
};

std::vector<std::string> columns_of(Database& db, const std::string& schema, const std::string& table) {
  Statement info = db.prepare("PRAGMA " + schema + ".table_info(" + table + ")");
  std::vector<std::string> columns;
  while (info.step()) columns.push_back(info.text(1));
  return columns;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator, const std::string& prefix = "") {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + prefix + item;
  return text;
}

std::string part_name(const std::vector<std::string>& inputs, const Part& part) {
  return inputs[part.input] + " run " + std::to_string(part.run.id) + (part.run.shard.empty() ? "" : " (shard " + part.run.shard + ")");
}

// Every row of `table` for `run`, in a canonical text (SQLite's quote() of each value, rows sorted), so
// that two shards' descriptions can be compared across stores.
std::string table_text(Database& db, const std::string& table, const std::vector<std::string>& columns, int64_t run,
                       const std::string& where_run = "run_id = ?") {
  std::vector<std::string> quoted;
  for (const std::string& column : columns)
    if (column != "run_id") quoted.push_back("quote(" + column + ")");
  Statement rows = db.prepare("SELECT " + joined(quoted, " || ',' || ") + " AS row FROM " + table + " WHERE " + where_run + " ORDER BY row");
  rows.bind(1, run);
  std::string text;
  while (rows.step()) text += rows.text(0) + "\n";
  return text;
}

// What must be equal in every shard of one trace: the runs row (but for kShardRunColumns) and the
// description tables.
std::map<std::string, std::string> description_of(Database& db, int64_t run) {
  std::map<std::string, std::string> description;
  std::vector<std::string> run_columns;
  for (const std::string& column : columns_of(db, "main", "runs"))
    if (!kShardRunColumns.count(column)) run_columns.push_back(column);
  description["runs"] = table_text(db, "runs", run_columns, run);
  for (const std::string& table : kDescriptionTables) description[table] = table_text(db, table, columns_of(db, "main", table), run);
  return description;
}

// The parts of each run of the merged store, in the order of the inputs: a whole run alone, a trace's
// shards together in sample order (grouped by run directory, data and configuration).
std::vector<std::vector<Part>> group_parts(const std::vector<std::string>& inputs) {
  std::vector<std::vector<Part>> groups;
  std::map<std::string, size_t> group_of_trace;
  for (size_t i = 0; i < inputs.size(); ++i) {
    TraceStore store(inputs[i], TraceStore::Mode::ReadOnly);
    for (const RunSummary& run : store.runs()) {
      if (!run.complete())
        throw StoreError(inputs[i] + ": run " + std::to_string(run.id) + " is incomplete (" + std::to_string(run.traced_samples) + " of " +
                         std::to_string(run.total_samples) + " samples traced): finish it with ndtmoe trace --store " + inputs[i] +
                         " --resume " + std::to_string(run.id) + ", or delete it, before merging");
      if (run.shard.empty()) {
        groups.push_back({Part{i, run}});
        continue;
      }
      Statement json = store.database().prepare("SELECT config_json FROM runs WHERE run_id = ?");
      json.bind(1, run.id).step();
      const std::string trace = run.run_directory + '\n' + run.data_source + '\n' + json.text(0) + '\n' +
                                std::to_string(parse_shard(run.shard).count);
      const auto [found, added] = group_of_trace.emplace(trace, groups.size());
      if (added) groups.emplace_back();
      groups[found->second].push_back(Part{i, run});
    }
  }
  for (std::vector<Part>& group : groups)
    std::stable_sort(group.begin(), group.end(), [](const Part& a, const Part& b) { return a.run.first_sample < b.run.first_sample; });
  return groups;
}

// Refuses a trace whose shards do not cover its data exactly once, or that come from different trainings.
void check_shards(const std::vector<std::string>& inputs, const std::vector<Part>& parts) {
  if (parts.front().run.shard.empty()) return;
  const int64_t count = parse_shard(parts.front().run.shard).count;
  std::map<int64_t, const Part*> by_index;
  for (const Part& part : parts) {
    const auto [existing, added] = by_index.emplace(parse_shard(part.run.shard).index, &part);
    if (!added) throw StoreError("shard " + part.run.shard + " of " + part.run.run_directory + " is there twice: " +
                                 part_name(inputs, *existing->second) + " and " + part_name(inputs, part));
  }
  std::string missing;
  for (int64_t i = 1; i <= count; ++i)
    if (!by_index.count(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(count);
  if (!missing.empty())
    throw StoreError("the trace of " + parts.front().run.run_directory + " on " + parts.front().run.data_source + " lacks shard " + missing +
                     ": trace it with ndtmoe trace --shard and merge all " + std::to_string(count));
  for (size_t p = 1; p < parts.size(); ++p)
    if (parts[p].run.first_sample != parts[p - 1].run.end_sample())
      throw StoreError(part_name(inputs, parts[p]) + " begins at sample " + std::to_string(parts[p].run.first_sample) + " but " +
                       part_name(inputs, parts[p - 1]) + " ends at " + std::to_string(parts[p - 1].run.end_sample() - 1) +
                       ": the shards were traced on data of different lengths");
  std::map<std::string, std::string> first;
  for (const Part& part : parts) {
    TraceStore store(inputs[part.input], TraceStore::Mode::ReadOnly);
    Statement neurons = store.database().prepare("SELECT count(*) FROM neuron_layers WHERE run_id = ?");
    neurons.bind(1, part.run.id).step();
    if (neurons.integer(0) > 0)
      throw StoreError(part_name(inputs, part) + " holds neuron summaries, which rank a slice's samples alone and cannot be joined");
    const std::map<std::string, std::string> description = description_of(store.database(), part.run.id);
    if (first.empty()) {
      first = description;
      continue;
    }
    for (const auto& [table, text] : description)
      if (text != first.at(table))
        throw StoreError(part_name(inputs, part) + " differs from " + part_name(inputs, parts.front()) + " in " + table +
                         (table == "router_tensors" ? " (tensors computed from the traced samples, as an imoie run's generated experts: trace it whole)"
                                                    : ": the shards come from different trainings or data"));
  }
}

// INSERT INTO main.table (columns) SELECT columns, with run_id replaced by the new id, FROM part.table.
std::string copy_sql(Database& db, const std::string& table, const std::string& suffix = "") {
  const std::vector<std::string> columns = columns_of(db, "main", table);
  std::vector<std::string> selected;
  for (const std::string& column : columns) selected.push_back(column == "run_id" ? "?1" : column);
  return "INSERT INTO main." + table + " (" + joined(columns, ", ") + ") SELECT " + joined(selected, ", ") + " FROM part." + table +
         " WHERE run_id = ?2" + suffix;
}

void copy_rows(Database& db, const std::string& sql, int64_t run, int64_t source_run) {
  db.prepare(sql).bind(1, run).bind(2, source_run).run();
}

int64_t copy_explanations(Database& db, int64_t run, int64_t source_run) {
  Statement ids = db.prepare("SELECT explanation_id FROM part.explanations WHERE run_id = ? ORDER BY explanation_id");
  ids.bind(1, source_run);
  int64_t copied = 0;
  while (ids.step()) {
    db.prepare("INSERT INTO main.explanations (run_id, method, parameters_json, created_at) "
               "SELECT ?, method, parameters_json, created_at FROM part.explanations WHERE explanation_id = ?")
        .bind(1, run).bind(2, ids.integer(0)).run();
    db.prepare("INSERT INTO main.explanation_values (explanation_id, seq, target, sample, item, value, spread) "
               "SELECT ?, seq, target, sample, item, value, spread FROM part.explanation_values WHERE explanation_id = ?")
        .bind(1, db.last_insert_rowid()).bind(2, ids.integer(0)).run();
    ++copied;
  }
  return copied;
}

void check_every_table_has_a_rule(Database& db) {
  Statement tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  while (tables.step()) {
    const std::string table = tables.text(0);
    const bool known = kOtherTables.count(table) || kCountTables.count(table) ||
                       std::find(kDescriptionTables.begin(), kDescriptionTables.end(), table) != kDescriptionTables.end() ||
                       std::find(kSampleTables.begin(), kSampleTables.end(), table) != kSampleTables.end();
    if (!known) throw std::logic_error("store merge has no rule for the table " + table);
  }
}

// Called after each part copied; throws to stop the merge.
using AfterPart = std::function<void()>;

MergedRun merge_run(Database& db, const std::vector<std::string>& inputs, const std::vector<Part>& parts, const AfterPart& after_part) {
  MergedRun merged;
  merged.name = parts.front().run.name;
  for (size_t p = 0; p < parts.size(); ++p) {
    const Part& part = parts[p];
    db.prepare("ATTACH DATABASE ? AS part").bind(1, inputs[part.input]).run();
    Transaction transaction(db);
    const int64_t source = part.run.id;
    if (p == 0) {
      std::vector<std::string> columns;
      for (const std::string& column : columns_of(db, "main", "runs"))
        if (column != "run_id") columns.push_back(column);
      db.execute("INSERT INTO main.runs (" + joined(columns, ", ") + ") SELECT " + joined(columns, ", ") +
                 " FROM part.runs WHERE run_id = " + std::to_string(source));
      merged.run = db.last_insert_rowid();
      for (const std::string& table : kDescriptionTables) copy_rows(db, copy_sql(db, table), merged.run, source);
    } else {  // complete when its last shard was
      db.prepare("UPDATE main.runs SET completed_at = max(completed_at, (SELECT completed_at FROM part.runs WHERE run_id = ?)) WHERE run_id = ?")
          .bind(1, source).bind(2, merged.run).run();
    }
    for (const std::string& table : kSampleTables) copy_rows(db, copy_sql(db, table), merged.run, source);
    for (const auto& [table, sums] : kCountTables) {
      std::vector<std::string> additions;
      for (const std::string& column : sums) additions.push_back(column + " = " + column + " + excluded." + column);
      copy_rows(db, copy_sql(db, table, " ON CONFLICT DO UPDATE SET " + joined(additions, ", ")), merged.run, source);
    }
    if (parts.size() == 1) {
      merged.explanations = copy_explanations(db, merged.run, source);
    } else {
      Statement count = db.prepare("SELECT count(*) FROM part.explanations WHERE run_id = ?");
      count.bind(1, source).step();
      merged.explanations_left += count.integer(0);
    }
    merged.samples += part.run.total_samples;
    merged.sources.push_back(part_name(inputs, part));
    transaction.commit();
    db.execute("DETACH DATABASE part");
    after_part();
  }
  // One run over all the samples.
  db.prepare("UPDATE runs SET first_sample = ?, shard = NULL, total_samples = ?, traced_samples = ? WHERE run_id = ?")
      .bind(1, parts.front().run.first_sample).bind(2, merged.samples).bind(3, merged.samples).bind(4, merged.run).run();
  return merged;
}

}  // namespace

std::vector<MergedRun> merge_stores(const std::vector<std::string>& inputs, const std::string& output, const MergeProgress& progress,
                                    const std::atomic<bool>* cancel) {
  if (inputs.empty()) throw StoreError("store merge: give the stores to merge");
  if (std::filesystem::exists(output)) throw StoreError(output + ": exists; store merge writes a new store (choose another --out)");
  const std::vector<std::vector<Part>> groups = group_parts(inputs);
  for (const std::vector<Part>& parts : groups) check_shards(inputs, parts);
  std::vector<MergedRun> merged;
  int64_t total = 0, done = 0;
  for (const std::vector<Part>& parts : groups) total += static_cast<int64_t>(parts.size());
  const AfterPart after_part = [&] {
    if (progress) progress(++done, total);
    if (cancel && cancel->load()) throw StoreError(output + ": store merge cancelled; nothing was written");
  };
  write_atomically(output, [&](const std::string& partial) {
    std::filesystem::remove(partial);  // left by a merge that was killed
    TraceStore store(partial);
    Database& db = store.database();
    check_every_table_has_a_rule(db);
    for (const std::vector<Part>& parts : groups) merged.push_back(merge_run(db, inputs, parts, after_part));
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");  // everything in the file itself before it is renamed
  });
  return merged;
}

}  // namespace ndtmoe
