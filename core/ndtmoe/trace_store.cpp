#include "ndtmoe/trace_store.h"

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ndtmoe/trace_aggregates.h"
#include "ndtmoe/trace_batch.h"
#include "ndtmoe/trace_schema.h"

namespace ndtmoe {

namespace {

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
      db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536");
      migrate(db);
    } else if (const int version = schema_version(db); version != kTraceSchemaVersion) {
      if (version > kTraceSchemaVersion) migrate(db);  // raises the "newer version" error
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

namespace {

void insert_description(Database& db, int64_t run, const RunDescription& d) {
  Statement feature = db.prepare(insert_sql("features", {"run_id", "feature", "name", "nominal", "categories_json", "mean", "scale"}));
  for (size_t f = 0; f < d.features.size(); ++f) {
    const FeatureInfo& info = d.features[f];
    feature.bind(1, run).bind(2, static_cast<int64_t>(f)).bind(3, info.name).bind(4, int64_t{info.nominal})
        .bind(5, nlohmann::json(info.categories).dump());
    if (info.nominal) feature.bind_null(6).bind_null(7);
    else feature.bind(6, info.mean).bind(7, info.scale);
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

  Statement tensor = db.prepare(insert_sql("router_tensors", {"run_id", "layer", "name", "shape", "data"}));
  for (size_t l = 0; l < d.router_tensors.size(); ++l)
    for (const auto& [name, t] : d.router_tensors[l])
      tensor.bind(1, run).bind(2, static_cast<int64_t>(l)).bind(3, name).bind(4, nlohmann::json(t.shape).dump())
          .bind_blob(5, t.values.data(), t.values.size() * sizeof(float)).run();

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
  db.prepare(
        "INSERT INTO runs (name, status, created_at, run_directory, data_source, task, layers, experts, top_k, depth, trees, "
        "router_input, total_samples, config_json, data_json, preprocessing_json, family, family_options) "
        "VALUES (?, 'tracing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, d.name).bind(2, utc_now()).bind(3, d.run_directory).bind(4, d.data_source).bind(5, d.task).bind(6, d.layers)
      .bind(7, d.experts).bind(8, d.top_k).bind(9, d.depth).bind(10, d.trees).bind(11, d.router_input).bind(12, d.total_samples)
      .bind(13, d.config_json).bind(14, d.data_json).bind(15, d.preprocessing_json)
      .bind(16, d.family).bind(17, d.family_options_json).run();
  const int64_t run = db.last_insert_rowid();
  insert_description(db, run, d);
  transaction.commit();
  return run;
}

void TraceStore::append(int64_t run, const TraceBatch& batch) {
  Database& db = database();
  Transaction transaction(db);
  const RunSummary summary = this->run(run);
  if (summary.complete()) throw StoreError(path() + ": run " + std::to_string(run) + " is already complete");
  if (batch.first_sample != summary.traced_samples)
    throw StoreError(path() + ": run " + std::to_string(run) + " continues at sample " + std::to_string(summary.traced_samples) +
                     ", not " + std::to_string(batch.first_sample));
  const bool classification = summary.task == "classification";
  const bool has_teacher = batch.teacher_predictions.defined();
  const torch::Tensor inputs = batch.inputs.to(torch::kFloat).contiguous();
  const int64_t width = inputs.size(1);
  const auto column = [&](const torch::Tensor& t) {
    return t.defined() ? t.to(classification ? torch::kLong : torch::kDouble).contiguous() : torch::Tensor();
  };
  const auto real_column = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kDouble).contiguous() : torch::Tensor(); };
  const torch::Tensor labels = column(batch.labels), predictions = column(batch.predictions);
  const torch::Tensor teacher = has_teacher ? column(batch.teacher_predictions) : torch::Tensor();
  const torch::Tensor confidences = real_column(batch.confidences), teacher_conf = real_column(batch.teacher_confidences);

  BulkInsert sample(db, "samples", {"run_id", "sample", "split", "source_line", "label", "target", "prediction", "confidence",
                                    "teacher_prediction", "teacher_confidence", "correct", "agrees", "inputs"});
  const auto optional_real = [&](const torch::Tensor& t, int64_t i) -> BulkInsert& {
    return t.defined() ? sample.add(t.data_ptr<double>()[i]) : sample.add_null();
  };
  for (int64_t i = 0; i < batch.size(); ++i) {
    sample.add(run).add(batch.first_sample + i).add(batch.splits[static_cast<size_t>(i)]).add(batch.source_lines[static_cast<size_t>(i)]);
    if (classification) {
      const int64_t label = labels.data_ptr<int64_t>()[i], predicted = predictions.data_ptr<int64_t>()[i];
      const std::optional<int64_t> taught = has_teacher ? std::optional(teacher.data_ptr<int64_t>()[i]) : std::nullopt;
      sample.add(label).add_null().add(predicted).add(confidences.data_ptr<double>()[i]);
      if (taught) sample.add(*taught); else sample.add_null();
      optional_real(teacher_conf, i).add(int64_t{label == predicted});
      if (taught) sample.add(int64_t{*taught == predicted}); else sample.add_null();
    } else {
      sample.add_null().add(labels.data_ptr<double>()[i]).add(predictions.data_ptr<double>()[i]).add_null();
      optional_real(teacher, i).add_null().add_null().add_null();
    }
    sample.add_blob(inputs.data_ptr<float>() + i * width, static_cast<size_t>(width) * sizeof(float));
  }
  sample.finish();

  BulkInsert routing(db, "routing", {"run_id", "sample", "layer", "expert", "weight", "experts", "weights", "decisions", "split_values",
                                     "leaves", "leaf_probs"});
  BulkInsert leaf(db, "tree_leaves", {"run_id", "layer", "tree", "leaf", "sample", "probability"});
  for (size_t l = 0; l < batch.layers.size(); ++l) {
    const TraceBatch::Layer& layer = batch.layers[l];
    const auto layer_id = static_cast<int64_t>(l);
    const torch::Tensor experts = layer.experts.to(torch::kInt).contiguous(), weights = layer.weights.to(torch::kFloat).contiguous();
    const torch::Tensor decisions = layer.decisions.to(torch::kFloat).flatten(1).contiguous();
    const torch::Tensor splits = layer.split_values.to(torch::kFloat).flatten(1).contiguous();
    const auto [top_probs, top_leaves] = layer.leaf_probs.to(torch::kFloat).max(-1);  // [B, T]
    const torch::Tensor leaves = top_leaves.to(torch::kInt).contiguous(), leaf_probs = top_probs.contiguous();
    const auto* e = experts.data_ptr<int32_t>();
    const auto* w = weights.data_ptr<float>();
    const auto* li = leaves.data_ptr<int32_t>();
    const auto* lp = leaf_probs.data_ptr<float>();
    const int64_t K = experts.size(1), TD = decisions.size(1), T = leaves.size(1);
    for (int64_t i = 0; i < batch.size(); ++i) {
      const int64_t s = batch.first_sample + i;
      routing.add(run).add(s).add(layer_id).add(int64_t{e[i * K]}).add(double{w[i * K]})
          .add_blob(e + i * K, K * sizeof(int32_t)).add_blob(w + i * K, K * sizeof(float))
          .add_blob(decisions.data_ptr<float>() + i * TD, TD * sizeof(float))
          .add_blob(splits.data_ptr<float>() + i * TD, TD * sizeof(float))
          .add_blob(li + i * T, T * sizeof(int32_t)).add_blob(lp + i * T, T * sizeof(float));
      for (int64_t t = 0; t < T; ++t) leaf.add(run).add(layer_id).add(t).add(int64_t{li[i * T + t]}).add(s).add(double{lp[i * T + t]});
    }
  }
  routing.finish();
  leaf.finish();
  BulkInsert others(db, "model_predictions", {"run_id", "model", "sample", "prediction", "confidence"});
  for (const auto& [model, p] : batch.other_models) {
    const torch::Tensor predicted = p.predictions.to(torch::kDouble).contiguous();
    const torch::Tensor confidence = p.confidences.defined() ? p.confidences.to(torch::kDouble).contiguous() : torch::Tensor();
    for (int64_t i = 0; i < batch.size(); ++i) {
      others.add(run).add(model).add(batch.first_sample + i).add(predicted.data_ptr<double>()[i]);
      if (confidence.defined()) others.add(confidence.data_ptr<double>()[i]); else others.add_null();
    }
  }
  others.finish();
  add_batch_aggregates(db, run, summary, batch);
  db.prepare("UPDATE runs SET traced_samples = traced_samples + ? WHERE run_id = ?").bind(1, batch.size()).bind(2, run).run();
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

int64_t TraceStore::store_explanation(const Explanation& e) {
  Database& db = database();
  Transaction transaction(db);
  this->run(e.run);
  db.prepare(insert_sql("explanations", {"run_id", "method", "parameters_json", "created_at"}))
      .bind(1, e.run).bind(2, e.method).bind(3, e.parameters_json).bind(4, utc_now()).run();
  const int64_t id = db.last_insert_rowid();
  Statement value = db.prepare(insert_sql("explanation_values", {"explanation_id", "seq", "target", "sample", "item", "value", "spread"}));
  for (size_t i = 0; i < e.values.size(); ++i) {
    const ExplanationValue& v = e.values[i];
    value.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, v.target).bind(4, v.sample).bind(5, v.item).bind(6, v.value)
        .bind(7, v.spread).run();
  }
  transaction.commit();
  return id;
}

}  // namespace ndtmoe
