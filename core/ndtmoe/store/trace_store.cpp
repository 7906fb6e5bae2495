#include "ndtmoe/store/trace_store.h"

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ndtmoe/store/trace_schema.h"

namespace ndtmoe {

namespace {

// Replaces tensors of the same name: a resumed trace stores its expert tensors again.
void write_router_tensors(Database& db, int64_t run, int64_t layer, const std::map<std::string, StoredTensor>& tensors) {
  Statement tensor = db.prepare("INSERT OR REPLACE INTO router_tensors (run_id, layer, name, shape, data) VALUES (?, ?, ?, ?, ?)");
  for (const auto& [name, t] : tensors)
    tensor.bind(1, run).bind(2, layer).bind(3, name).bind(4, nlohmann::json(t.shape).dump())
        .bind_blob(5, t.values.data(), t.values.size() * sizeof(float)).run();
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Database::Mode database_mode(TraceStore::Mode mode, const std::string& path) {
  if (mode == TraceStore::Mode::ReadOnly && !std::filesystem::exists(path))
    throw StoreError(path + ": no such trace store");
  return mode == TraceStore::Mode::ReadOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite;
}

}  // namespace

struct TraceStore::Impl {
  Impl(const std::string& path, Mode mode) : db(path, database_mode(mode, path)) {
    db.execute("PRAGMA foreign_keys = ON");
    if (mode == Mode::ReadWrite) {
      // Two writers creating one store race to switch it to WAL.
      db.execute_when_unlocked("PRAGMA journal_mode = WAL");
      db.execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
      migrate(db);
    } else if (const int version = schema_version(db); version != kTraceSchemaVersion) {
      check_schema_version(db, version);
      throw StoreError(path + ": the trace store has schema version " + std::to_string(version) + ", this program reads " +
                       std::to_string(kTraceSchemaVersion) + "; open it for writing once to upgrade it");
    }
  }
  Database db;
};

Database& TraceStore::database() { return impl_->db; }

TraceStore::TraceStore(const std::string& path, Mode mode) : impl_(std::make_unique<Impl>(path, mode)) {}
TraceStore::~TraceStore() = default;
const std::string& TraceStore::path() const { return impl_->db.path(); }

std::vector<std::string> TraceStore::damage(int limit, const std::atomic<bool>* cancelled) { return impl_->db.damage(limit, cancelled); }

namespace {

void insert_description(Database& db, int64_t run, const RunDescription& d) {
  Statement feature = db.prepare(insert_sql("features", {"run_id", "feature", "name", "nominal", "categories_json", "mean", "scale", "quantiles_json"}));
  for (size_t f = 0; f < d.features.size(); ++f) {
    const FeatureInfo& info = d.features[f];
    feature.bind(1, run).bind(2, static_cast<int64_t>(f)).bind(3, info.name).bind(4, int64_t{info.nominal})
        .bind(5, nlohmann::json(info.categories).dump());
    if (info.nominal) feature.bind_null(6).bind_null(7);
    else feature.bind(6, info.mean).bind(7, info.scale);
    if (info.quantiles.empty()) feature.bind_null(8);
    else feature.bind(8, nlohmann::json(info.quantiles).dump());
    feature.run();
  }
  Statement input = db.prepare(insert_sql("router_inputs", {"run_id", "input", "name", "feature", "category"}));
  for (size_t i = 0; i < d.router_inputs.size(); ++i) {
    const RouterInputInfo& info = d.router_inputs[i];
    input.bind(1, run).bind(2, static_cast<int64_t>(i)).bind(3, info.name);
    if (info.feature >= 0) input.bind(4, info.feature); else input.bind_null(4);
    if (!info.category.empty()) input.bind(5, info.category); else input.bind_null(5);
    input.run();
  }
  Statement klass = db.prepare(insert_sql("classes", {"run_id", "class", "name"}));
  for (size_t c = 0; c < d.classes.size(); ++c) klass.bind(1, run).bind(2, static_cast<int64_t>(c)).bind(3, d.classes[c]).run();

  Statement step = db.prepare(insert_sql("training_steps", {"run_id", "model", "seq", "epoch", "step", "epoch_end", "lr", "samples_per_s"}));
  Statement value = db.prepare(insert_sql("training_values", {"run_id", "model", "seq", "kind", "name", "value"}));
  std::map<std::string, int64_t> seq;
  for (const TrainingStep& s : d.training) {
    const int64_t n = seq[s.model]++;
    step.bind(1, run).bind(2, s.model).bind(3, n).bind(4, s.epoch).bind(5, s.step).bind(6, int64_t{s.epoch_end}).bind(7, s.lr)
        .bind(8, s.samples_per_s).run();
    for (const auto& [kind, values] : {std::pair{"loss", &s.losses}, std::pair{"metric", &s.metrics}})
      for (const auto& [name, v] : *values) value.bind(1, run).bind(2, s.model).bind(3, n).bind(4, kind).bind(5, name).bind(6, v).run();
  }
  Statement metric = db.prepare(insert_sql("metrics", {"run_id", "model", "metric", "value"}));
  for (const auto& [model, values] : d.metrics)
    for (const auto& [name, v] : values) metric.bind(1, run).bind(2, model).bind(3, name).bind(4, v).run();

  for (size_t l = 0; l < d.router_tensors.size(); ++l) write_router_tensors(db, run, static_cast<int64_t>(l), d.router_tensors[l]);

  Statement level = db.prepare(insert_sql("router_levels", {"run_id", "layer", "tree", "level", "threshold", "temperature"}));
  Statement selector = db.prepare(insert_sql("router_selectors", {"run_id", "layer", "tree", "level", "input", "weight"}));
  Statement leaf = db.prepare(insert_sql("leaf_experts", {"run_id", "layer", "tree", "leaf", "expert", "weight"}));
  for (size_t l = 0; l < d.routers.size(); ++l) {
    const RouterParameters& router = d.routers[l];
    const auto layer = static_cast<int64_t>(l);
    for (int64_t t = 0; t < router.trees; ++t) {
      for (int64_t i = 0; i < router.depth; ++i) {
        const RouterLevel& lv = router.level(t, i);
        level.bind(1, run).bind(2, layer).bind(3, t).bind(4, i).bind(5, lv.threshold).bind(6, lv.temperature).run();
        for (const auto& [in, w] : lv.selectors) selector.bind(1, run).bind(2, layer).bind(3, t).bind(4, i).bind(5, in).bind(6, w).run();
      }
      const int64_t leaves = int64_t{1} << router.depth;
      for (int64_t f = 0; f < leaves; ++f)
        for (int64_t e = 0; e < router.experts; ++e) {
          const float w = router.leaf_experts.at(static_cast<size_t>(((t * leaves + f) * router.experts) + e));
          if (w > 0) leaf.bind(1, run).bind(2, layer).bind(3, t).bind(4, f).bind(5, e).bind(6, static_cast<double>(w)).run();
        }
    }
  }
}

}  // namespace

int64_t TraceStore::begin_run(const RunDescription& d) {
  Database& db = database();
  Transaction transaction(db);
  Statement insert = db.prepare(
        "INSERT INTO runs (name, status, created_at, run_directory, data_source, task, layers, experts, top_k, depth, trees, "
        "router_input, total_samples, config_json, data_json, preprocessing_json, family, family_options, tokens, token_kind, "
        "first_sample, shard) VALUES (?, 'tracing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, d.name).bind(2, utc_now()).bind(3, d.run_directory).bind(4, d.data_source).bind(5, d.task).bind(6, d.layers)
      .bind(7, d.experts).bind(8, d.top_k).bind(9, d.depth).bind(10, d.trees).bind(11, d.router_input).bind(12, d.total_samples)
      .bind(13, d.config_json).bind(14, d.data_json).bind(15, d.preprocessing_json)
      .bind(16, d.family).bind(17, d.family_options_json).bind(18, d.tokens);
  if (d.token_kind.empty()) insert.bind_null(19); else insert.bind(19, d.token_kind);
  insert.bind(20, d.first_sample);
  if (d.shard.empty()) insert.bind_null(21); else insert.bind(21, d.shard);
  insert.run();
  const int64_t run = db.last_insert_rowid();
  insert_description(db, run, d);
  transaction.commit();
  return run;
}

void TraceStore::store_router_tensors(int64_t run, int64_t layer, const std::map<std::string, StoredTensor>& tensors) {
  Database& db = database();
  Transaction transaction(db);
  this->run(run);  // names the id when absent
  write_router_tensors(db, run, layer, tensors);
  transaction.commit();
}

void TraceStore::finish_run(int64_t run) {
  Database& db = database();
  Transaction transaction(db);
  const RunSummary summary = this->run(run);
  if (summary.traced_samples != summary.total_samples)
    throw StoreError(path() + ": run " + std::to_string(run) + " has " + std::to_string(summary.traced_samples) + " of " +
                     std::to_string(summary.total_samples) + " samples traced");
  db.prepare("UPDATE runs SET status = 'complete', completed_at = ? WHERE run_id = ?").bind(1, utc_now()).bind(2, run).run();
  transaction.commit();
}

void TraceStore::delete_run(int64_t run) {
  Database& db = database();
  Transaction transaction(db);
  this->run(run);  // names a missing id
  db.prepare("DELETE FROM runs WHERE run_id = ?").bind(1, run).run();
  transaction.commit();
}

void TraceStore::store_explanation(Explanation& e) {
  Database& db = database();
  Transaction transaction(db);
  this->run(e.run);
  const std::string created_at = utc_now();
  db.prepare(insert_sql("explanations", {"run_id", "method", "parameters_json", "created_at"}))
      .bind(1, e.run).bind(2, e.method).bind(3, e.parameters_json).bind(4, created_at).run();
  const int64_t id = db.last_insert_rowid();
  Statement value = db.prepare(insert_sql("explanation_values", {"explanation_id", "seq", "target", "sample", "item", "value", "spread"}));
  for (size_t i = 0; i < e.values.size(); ++i) {
    const ExplanationValue& v = e.values[i];
    value.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, v.target).bind(4, v.sample).bind(5, v.item).bind(6, v.value)
        .bind(7, v.spread).run();
  }
  transaction.commit();
  e.id = id;
  e.created_at = created_at;
}

}  // namespace ndtmoe
