// The read side of the trace store: what the views and `ndtmoe query` ask.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "ndtmoe/data/quantile_scale.h"
#include "ndtmoe/store/shard.h"
#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

namespace {

const char* const kRunColumns =
    "SELECT run_id, name, status, created_at, run_directory, data_source, task, router_input, layers, experts, top_k, depth, "
    "trees, total_samples, traced_samples, family, family_options, tokens, token_kind, first_sample, shard FROM runs";

// A runs row whose sizes no trained model has (the views would size arrays by them).
void check_sizes(const RunSummary& r, const std::string& path) {
  const auto outside = [](int64_t value, int64_t low, int64_t high) { return value < low || value > high; };
  std::string problem;
  if (outside(r.layers, 1, 256)) problem = "layers " + std::to_string(r.layers) + " is outside 1..256";
  else if (outside(r.experts, 1, 65536)) problem = "experts " + std::to_string(r.experts) + " is outside 1..65536";
  else if (outside(r.top_k, 1, r.experts)) problem = "top_k " + std::to_string(r.top_k) + " is outside 1..experts";
  else if (outside(r.depth, 0, 16) || outside(r.trees, 0, 1024)) problem = "depth " + std::to_string(r.depth) + " or trees " + std::to_string(r.trees) + " is outside 0..16, 0..1024";
  else if (outside(r.tokens, 0, 65536)) problem = "tokens " + std::to_string(r.tokens) + " is outside 0..65536";
  else if (outside(r.traced_samples, 0, r.total_samples)) problem = "traced_samples exceeds total_samples";
  else if (r.first_sample < 0) problem = "first_sample " + std::to_string(r.first_sample) + " is negative";
  if (problem.empty() && !r.shard.empty()) {
    try {
      parse_shard(r.shard);
    } catch (const std::invalid_argument& e) {
      problem = e.what();
    }
  }
  if (!problem.empty()) throw StoreError(path + ": runs row " + std::to_string(r.id) + ": " + problem + "; the store is damaged");
}

// A row that points outside what its run declares, or a column that does not hold what it should.
[[noreturn]] void damaged_row(const std::string& path, const char* table, int64_t run, const std::string& what) {
  throw StoreError(path + ": " + table + " row of run " + std::to_string(run) + ": " + what + "; the store is damaged");
}

// items[index], where `index` was read from `table`.
template <class T>
T& element(std::vector<T>& items, int64_t index, const std::string& path, const char* table, int64_t run, const char* what) {
  if (index < 0 || index >= static_cast<int64_t>(items.size()))
    damaged_row(path, table, run, std::string(what) + " " + std::to_string(index) + " is outside the run's " + std::to_string(items.size()));
  return items[static_cast<size_t>(index)];
}

// A JSON column read as T.
template <class T>
T json_column(const std::string& text, const std::string& path, const char* table, int64_t run) {
  try {
    return nlohmann::json::parse(text).get<T>();
  } catch (const nlohmann::json::exception& e) {
    damaged_row(path, table, run, std::string("malformed JSON: ") + e.what());
  }
}

RunSummary read_run(Database& db, Statement& s) {
  RunSummary r;
  r.id = s.integer(0);
  r.name = s.text(1);
  r.status = s.text(2);
  r.created_at = s.text(3);
  r.run_directory = s.text(4);
  r.data_source = s.text(5);
  r.task = s.text(6);
  r.router_input = s.text(7);
  r.layers = s.integer(8);
  r.experts = s.integer(9);
  r.top_k = s.integer(10);
  r.depth = s.integer(11);
  r.trees = s.integer(12);
  r.total_samples = s.integer(13);
  r.traced_samples = s.integer(14);
  r.family = s.text(15);
  r.family_options_json = s.text(16);
  r.tokens = s.integer(17);
  if (!s.is_null(18)) r.token_kind = s.text(18);
  r.first_sample = s.integer(19);
  if (!s.is_null(20)) r.shard = s.text(20);
  check_sizes(r, db.path());
  Statement metrics = db.prepare("SELECT model, metric, value FROM metrics WHERE run_id = ?");
  metrics.bind(1, r.id);
  while (metrics.step()) r.metrics[metrics.text(0)][metrics.text(1)] = metrics.real(2);
  return r;
}

// The index of (tree, level) in RouterParameters::levels, or -1 when either is outside the run's trees.
int64_t tree_level(int64_t tree, int64_t level, const RouterParameters& r) {
  return tree < 0 || tree >= r.trees || level < 0 || level >= r.depth ? -1 : tree * r.depth + level;
}

// Rows of (row, column, samples, assignments, weight).
std::vector<CountCell> count_cells(Statement& s) {
  std::vector<CountCell> cells;
  while (s.step()) cells.push_back({s.integer(0), s.integer(1), s.integer(2), s.integer(3), s.real(4)});
  return cells;
}

// The cells, refused with the table named when an index lies outside [0, rows) x [0, columns) or a count
// is negative: a damaged store must not make a view index past its arrays.
std::vector<CountCell> checked(std::vector<CountCell> cells, const std::string& path, const std::string& table, int64_t run,
                               int64_t rows, int64_t columns) {
  for (const CountCell& c : cells)
    if (c.row < 0 || c.row >= rows || c.column < 0 || c.column >= columns || c.samples < 0 || c.assignments < 0)
      throw StoreError(path + ": table " + table + " of run " + std::to_string(run) + " has a row for (" + std::to_string(c.row) + ", " +
                       std::to_string(c.column) + ") outside the run's " + std::to_string(rows) + " x " + std::to_string(columns) +
                       " or a negative count: the store is damaged");
  return cells;
}

struct RunShape {
  int64_t depth = 0, tokens = 0;
};

RunShape run_shape(Database& db, int64_t run) {
  Statement s = db.prepare("SELECT depth, tokens FROM runs WHERE run_id = ?");
  s.bind(1, run);
  if (!s.step()) throw StoreError(db.path() + ": no run with id " + std::to_string(run));
  return {s.integer(0), s.integer(1)};
}

}  // namespace

std::vector<RunSummary> TraceStore::runs() {
  Database& db = database();
  Statement s = db.prepare(std::string(kRunColumns) + " ORDER BY run_id");
  std::vector<RunSummary> all;
  while (s.step()) all.push_back(read_run(db, s));
  return all;
}

RunSummary TraceStore::run(int64_t run) {
  Database& db = database();
  Statement s = db.prepare(std::string(kRunColumns) + " WHERE run_id = ?");
  s.bind(1, run);
  if (!s.step()) throw StoreError(path() + ": no run with id " + std::to_string(run));
  return read_run(db, s);
}

RunDescription TraceStore::description(int64_t run) {
  Database& db = database();
  const RunSummary summary = this->run(run);
  RunDescription d;
  d.name = summary.name;
  d.run_directory = summary.run_directory;
  d.data_source = summary.data_source;
  d.task = summary.task;
  d.router_input = summary.router_input;
  d.layers = summary.layers;
  d.experts = summary.experts;
  d.top_k = summary.top_k;
  d.depth = summary.depth;
  d.trees = summary.trees;
  d.family = summary.family;
  d.family_options_json = summary.family_options_json;
  d.total_samples = summary.total_samples;
  d.first_sample = summary.first_sample;
  d.shard = summary.shard;
  d.metrics = summary.metrics;
  Statement json = db.prepare("SELECT config_json, data_json, preprocessing_json FROM runs WHERE run_id = ?");
  json.bind(1, run).step();
  d.config_json = json.text(0);
  d.data_json = json.text(1);
  d.preprocessing_json = json.text(2);

  Statement features = db.prepare("SELECT name, nominal, categories_json, mean, scale, quantiles_json FROM features WHERE run_id = ? ORDER BY feature");
  features.bind(1, run);
  while (features.step()) {
    FeatureInfo f{features.text(0), features.integer(1) != 0, json_column<std::vector<std::string>>(features.text(2), db.path(), "features", run)};
    if (!f.nominal) f.mean = features.real(3), f.scale = features.real(4);
    if (!features.is_null(5)) {
      f.quantiles = json_column<std::vector<double>>(features.text(5), db.path(), "features", run);
      if (f.nominal || !valid_quantiles(f.quantiles))
        throw StoreError(db.path() + ": run " + std::to_string(run) + " feature '" + f.name +
                         "': its quantiles are not 2 or more finite ascending numbers; the store is damaged");
    }
    d.features.push_back(std::move(f));
  }
  Statement inputs = db.prepare("SELECT name, feature, category FROM router_inputs WHERE run_id = ? ORDER BY input");
  inputs.bind(1, run);
  while (inputs.step()) d.router_inputs.push_back({inputs.text(0), inputs.is_null(1) ? -1 : inputs.integer(1), inputs.text(2)});
  Statement classes = db.prepare("SELECT name FROM classes WHERE run_id = ? ORDER BY class");
  classes.bind(1, run);
  while (classes.step()) d.classes.push_back(classes.text(0));

  Statement steps = db.prepare(
      "SELECT model, seq, epoch, step, epoch_end, lr, samples_per_s FROM training_steps WHERE run_id = ? ORDER BY model, seq");
  Statement values = db.prepare("SELECT model, seq, kind, name, value FROM training_values WHERE run_id = ? ORDER BY model, seq");
  steps.bind(1, run);
  values.bind(1, run);
  std::map<std::pair<std::string, int64_t>, size_t> index;
  while (steps.step()) {
    index[{steps.text(0), steps.integer(1)}] = d.training.size();
    d.training.push_back({steps.text(0), steps.integer(2), steps.integer(3), steps.integer(4) != 0, steps.real(5), steps.real(6), {}, {}});
  }
  while (values.step()) {
    const auto found = index.find({values.text(0), values.integer(1)});
    if (found == index.end()) damaged_row(db.path(), "training_values", run, "step " + std::to_string(values.integer(1)) + " of " + values.text(0) + " is not in training_steps");
    TrainingStep& step = d.training[found->second];
    (values.text(2) == "loss" ? step.losses : step.metrics)[values.text(3)] = values.real(4);
  }

  d.routers.assign(summary.has_trees() ? static_cast<size_t>(summary.layers) : 0, RouterParameters{});
  for (RouterParameters& r : d.routers) {
    r.trees = summary.trees;
    r.depth = summary.depth;
    r.experts = summary.experts;
    r.levels.resize(static_cast<size_t>(r.trees * r.depth));
    r.leaf_experts.assign(static_cast<size_t>((r.trees << r.depth) * r.experts), 0.0f);
  }
  Statement levels = db.prepare("SELECT layer, tree, level, threshold, temperature FROM router_levels WHERE run_id = ?");
  levels.bind(1, run);
  while (levels.step()) {
    RouterParameters& r = element(d.routers, levels.integer(0), db.path(), "router_levels", run, "layer");
    RouterLevel& lv = element(r.levels, tree_level(levels.integer(1), levels.integer(2), r), db.path(), "router_levels", run, "tree level");
    lv.threshold = levels.real(3);
    lv.temperature = levels.real(4);
  }
  Statement selectors = db.prepare(
      "SELECT layer, tree, level, input, weight FROM router_selectors WHERE run_id = ? ORDER BY layer, tree, level, weight DESC, input");
  selectors.bind(1, run);
  while (selectors.step()) {
    RouterParameters& r = element(d.routers, selectors.integer(0), db.path(), "router_selectors", run, "layer");
    element(r.levels, tree_level(selectors.integer(1), selectors.integer(2), r), db.path(), "router_selectors", run, "tree level")
        .selectors.emplace_back(selectors.integer(3), selectors.real(4));
  }
  Statement leaves = db.prepare("SELECT layer, tree, leaf, expert, weight FROM leaf_experts WHERE run_id = ?");
  leaves.bind(1, run);
  while (leaves.step()) {
    RouterParameters& r = element(d.routers, leaves.integer(0), db.path(), "leaf_experts", run, "layer");
    const int64_t tree = leaves.integer(1), leaf = leaves.integer(2), expert = leaves.integer(3), leaf_count = int64_t{1} << r.depth;
    if (tree < 0 || tree >= r.trees || leaf < 0 || leaf >= leaf_count || expert < 0 || expert >= r.experts)
      damaged_row(db.path(), "leaf_experts", run, "tree " + std::to_string(tree) + " leaf " + std::to_string(leaf) + " expert " + std::to_string(expert) + " is outside the run's trees");
    r.leaf_experts[static_cast<size_t>((tree * leaf_count + leaf) * r.experts + expert)] = static_cast<float>(leaves.real(4));
  }
  Statement tensors = db.prepare("SELECT layer, name, shape, data FROM router_tensors WHERE run_id = ? ORDER BY layer, name");
  tensors.bind(1, run);
  while (tensors.step()) {
    const auto layer = static_cast<size_t>(tensors.integer(0));
    if (layer >= static_cast<size_t>(summary.layers)) throw StoreError(db.path() + ": run " + std::to_string(run) + " has router parameters of layer " + std::to_string(layer) + ", beyond its layers");
    if (d.router_tensors.size() <= layer) d.router_tensors.resize(layer + 1);
    StoredTensor& t = d.router_tensors[layer][tensors.text(1)];
    t.shape = json_column<std::vector<int64_t>>(tensors.text(2), db.path(), "router_tensors", run);
    t.values = tensors.blob<float>(3);
    int64_t size = 1;
    for (int64_t extent : t.shape) {
      if (extent < 0 || (extent > 0 && size > static_cast<int64_t>(t.values.size()) / extent))
        damaged_row(db.path(), "router_tensors", run, "shape " + tensors.text(2).substr(0, 60) + " does not fit its values");
      size *= extent;
    }
    if (size != static_cast<int64_t>(t.values.size()))
      throw StoreError(db.path() + ": run " + std::to_string(run) + ": router parameter " + tensors.text(1) + " of layer " +
                       std::to_string(layer) + " has " + std::to_string(t.values.size()) + " values for shape " + tensors.text(2));
  }
  return d;
}

SampleTrace TraceStore::sample(int64_t run, int64_t sample) {
  Database& db = database();
  const RunSummary summary = this->run(run);
  Statement s = db.prepare(
      "SELECT split, source_line, label, target, prediction, confidence, teacher_prediction, teacher_confidence, inputs "
      "FROM samples WHERE run_id = ? AND sample = ?");
  s.bind(1, run).bind(2, sample);
  if (!s.step()) throw StoreError(path() + ": run " + std::to_string(run) + " has no sample " + std::to_string(sample));
  SampleTrace t;
  t.sample = sample;
  t.split = s.text(0);
  t.source_line = s.integer(1);
  if (!s.is_null(2)) t.label = s.integer(2);
  t.target = s.real(3);
  t.prediction = s.real(4);
  t.confidence = s.real(5);
  t.has_teacher = !s.is_null(6);
  t.teacher_prediction = s.real(6);
  t.teacher_confidence = s.real(7);
  t.inputs = s.blob<float>(8);
  // One row per layer for a model over whole samples (token 0), one per token and layer otherwise.
  Statement routing = db.prepare(
      "SELECT layer, expert, experts, weights, decisions, split_values, leaves, leaf_probs, token, token_value, neurons, "
      "neuron_activations FROM routing WHERE run_id = ? AND sample = ? ORDER BY token, layer");
  routing.bind(1, run).bind(2, sample);
  while (routing.step()) {
    if (!routing.is_null(9) && (t.tokens.empty() || t.tokens.back().position != routing.integer(8)))
      t.tokens.push_back({routing.integer(8), routing.integer(9), {}});
    LayerTrace l;
    l.expert = routing.integer(1);
    l.experts = routing.blob<int32_t>(2);
    l.weights = routing.blob<float>(3);
    l.decisions = routing.blob<float>(4);
    l.split_values = routing.blob<float>(5);
    l.leaves = routing.blob<int32_t>(6);
    l.leaf_probs = routing.blob<float>(7);
    l.neurons = routing.blob<int32_t>(10);
    l.neuron_activations = routing.blob<float>(11);
    // The blobs' sizes are what the views index by: checked against the run's shape.
    const auto tree_values = static_cast<size_t>(summary.trees * summary.depth);
    const bool trees_fit = summary.trees == 0 || (l.decisions.size() == tree_values && l.split_values.size() == tree_values &&
                                                  l.leaves.size() == static_cast<size_t>(summary.trees) && l.leaf_probs.size() == l.leaves.size());
    if (l.experts.size() != static_cast<size_t>(summary.top_k) || l.weights.size() != l.experts.size() || !trees_fit ||
        l.neurons.size() != l.neuron_activations.size() ||
        routing.integer(0) < 0 || routing.integer(0) >= summary.layers || l.expert < 0 || l.expert >= summary.experts)
      throw StoreError(path() + ": routing row (run " + std::to_string(run) + ", sample " + std::to_string(sample) + ", token " +
                       std::to_string(routing.integer(8)) + ", layer " + std::to_string(routing.integer(0)) +
                       ") does not fit the run's layers, experts, top-k or trees: the store is damaged");
    for (int32_t e : l.experts)
      if (e < 0 || e >= summary.experts)
        throw StoreError(path() + ": routing row (run " + std::to_string(run) + ", sample " + std::to_string(sample) + ") names expert " +
                         std::to_string(e) + " of " + std::to_string(summary.experts) + ": the store is damaged");
    (t.tokens.empty() ? t.layers : t.tokens.back().layers).push_back(std::move(l));
  }
  if (!t.tokens.empty()) t.layers = t.tokens.front().layers;
  return t;
}

SampleTrace SampleTrace::with_token(int64_t position) const {
  SampleTrace t = *this;
  for (const TokenTrace& token : tokens)
    if (token.position == position) t.layers = token.layers;
  return t;
}

const char* to_string(TokenAxis axis) { return axis == TokenAxis::Value ? "value" : "position"; }

std::vector<CountCell> TraceStore::expert_tokens(int64_t run, int64_t layer, TokenAxis axis) {
  Statement s = database().prepare(
      "SELECT expert, key, tokens, assignments, weight FROM expert_tokens WHERE run_id = ? AND layer = ? AND axis = ? ORDER BY expert, key");
  s.bind(1, run).bind(2, layer).bind(3, std::string(to_string(axis)));
  const RunSummary summary = this->run(run);
  // Values are bytes for text, else the position's index like positions.
  const int64_t keys = axis == TokenAxis::Value && summary.token_kind == "byte" ? 256 : summary.tokens;
  return checked(count_cells(s), path(), "expert_tokens", run, summary.experts, keys);
}

std::vector<TokenHit> TraceStore::expert_token_hits(int64_t run, int64_t layer, int64_t expert, TokenAxis axis, std::optional<int64_t> key,
                                                   int64_t limit) {
  // Both read the expert index (run, layer, expert, token_value); a position is a filter on its rows.
  const std::string by_key = !key ? "" : axis == TokenAxis::Value ? " AND token_value = :key" : " AND token = :key";
  Statement s = database().prepare("SELECT sample, token, token_value, weight FROM routing WHERE run_id = :run AND layer = :layer "
                                   "AND expert = :expert" + by_key + " LIMIT :limit");
  s.bind(s.parameter_index(":run"), run).bind(s.parameter_index(":layer"), layer).bind(s.parameter_index(":expert"), expert)
      .bind(s.parameter_index(":limit"), limit);
  if (key) s.bind(s.parameter_index(":key"), *key);
  std::vector<TokenHit> hits;
  while (s.step()) hits.push_back({s.integer(0), s.integer(1), s.integer(2), s.real(3)});
  std::sort(hits.begin(), hits.end(), [](const TokenHit& a, const TokenHit& b) {
    return std::tie(a.sample, a.position) < std::tie(b.sample, b.position);
  });
  return hits;
}

// The query starts from the narrowest index — the routing index for an expert, tree_leaves for a node
// or leaf (a node stands for the leaves whose low `level` bits equal it) — and looks the other tables
// up per candidate (CROSS JOIN fixes that order).
Statement TraceStore::filtered(int64_t run, const SampleFilter& f, bool with_samples, const std::string& columns) {
  const bool by_expert = f.expert.has_value(), by_node = f.leaf || f.node;
  if ((by_expert || by_node) && !f.layer) throw StoreError(path() + ": an expert, leaf or node filter needs a layer");
  const bool by_sample = with_samples || f.label || f.predicted || f.split || f.misclassified || f.disagreement || f.max_confidence;
  const RunShape shape = run_shape(database(), run);
  const int64_t depth = shape.depth;
  std::string sql, from;
  if (by_node)
    sql = "WITH RECURSIVE node_leaves(leaf) AS (SELECT :node UNION ALL SELECT leaf + (1 << :level) FROM node_leaves "
          "WHERE leaf + (1 << :level) < (1 << :depth)) ";
  const std::string node_match = " t.run_id = :run AND t.layer = :layer AND t.tree = :tree AND t.leaf IN node_leaves";
  if (by_expert) {
    // Named, since without statistics SQLite prefers walking the primary key in sample order (no sort)
    // over the index, and reads every routing row of the run.
    sql += "SELECT r.sample" + columns + " FROM routing r INDEXED BY routing_by_expert";
    from = "r";
    if (by_node) sql += " CROSS JOIN tree_leaves t ON" + node_match + " AND t.sample = r.sample";
  } else if (by_node) {
    sql += "SELECT t.sample" + columns + " FROM tree_leaves t";
    from = "t";
  } else {
    sql += "SELECT s.sample" + columns + " FROM samples s";
    from = "s";
  }
  if (by_sample && from != "s") sql += " CROSS JOIN samples s ON s.run_id = :run AND s.sample = " + from + ".sample";
  sql += " WHERE " + from + ".run_id = :run";
  if (by_expert) sql += " AND r.layer = :layer AND r.expert = :expert";
  else if (by_node) sql += " AND" + node_match;
  if (f.samples) sql += " AND " + from + ".sample IN (SELECT value FROM json_each(:samples))";
  if (f.label) sql += " AND s.label = :label";
  if (f.predicted) sql += " AND s.prediction = :predicted";
  if (f.split) sql += " AND s.split = :split";
  if (f.misclassified) sql += " AND s.correct = 0";
  if (f.disagreement) sql += " AND s.agrees = 0";
  if (f.max_confidence) sql += " AND s.confidence <= :confidence";
  if (by_expert && f.token_value) sql += " AND r.token_value = :token_value";
  if (by_expert && f.token_position) sql += " AND r.token = :token_position";
  // A token-level run has a routing row per token: a sample counts once. Other runs have one row per
  // sample and layer, and grouping them would only cost a sort.
  sql += std::string(by_expert && shape.tokens > 0 ? " GROUP BY 1" : "") + " ORDER BY 1 LIMIT :limit";

  Statement s = database().prepare(sql);
  const auto bind = [&](const char* name, auto value) {
    if (const int index = s.parameter_index(name); index > 0) s.bind(index, value);
  };
  bind(":run", run);
  bind(":limit", f.limit);
  if (f.samples) bind(":samples", nlohmann::json(*f.samples).dump());
  if (f.layer) bind(":layer", *f.layer);
  if (f.expert) bind(":expert", *f.expert);
  bind(":tree", f.tree.value_or(0));
  bind(":node", f.leaf ? *f.leaf : f.node.value_or(0));
  bind(":level", f.leaf ? depth : f.level.value_or(0));
  bind(":depth", depth);
  if (f.label) bind(":label", *f.label);
  if (f.predicted) bind(":predicted", *f.predicted);
  if (f.split) bind(":split", *f.split);
  if (f.max_confidence) bind(":confidence", *f.max_confidence);
  if (f.token_value) bind(":token_value", *f.token_value);
  if (f.token_position) bind(":token_position", *f.token_position);
  return s;
}

std::vector<int64_t> TraceStore::samples(int64_t run, const SampleFilter& f) {
  Statement s = filtered(run, f, false, "");
  std::vector<int64_t> ids;
  while (s.step()) ids.push_back(s.integer(0));
  return ids;
}

std::vector<SampleRow> TraceStore::sample_rows(int64_t run, const SampleFilter& f) {
  Statement s = filtered(run, f, true, ", s.split, coalesce(s.label, s.target), s.prediction, s.confidence, s.teacher_prediction, s.teacher_confidence");
  std::vector<SampleRow> rows;
  while (s.step()) rows.push_back({s.integer(0), s.text(1), s.real(2), s.real(3), s.real(4), s.real(5), s.real(6)});
  return rows;
}

SampleTable TraceStore::sample_table(int64_t run, const std::optional<std::string>& split) {
  Statement s = database().prepare(
      "SELECT sample, coalesce(label, target), prediction, confidence, split, inputs FROM samples WHERE run_id = ? "
      "AND (? IS NULL OR split = ?) ORDER BY sample");
  s.bind(1, run).bind(2, split).bind(3, split);
  SampleTable table;
  while (s.step()) {
    table.ids.push_back(s.integer(0));
    table.truth.push_back(s.real(1));
    table.predictions.push_back(s.real(2));
    table.confidences.push_back(s.real(3));
    table.splits.push_back(s.text(4));
    const std::vector<float> inputs = s.blob<float>(5);
    if (table.width == 0) table.width = static_cast<int64_t>(inputs.size());
    if (static_cast<int64_t>(inputs.size()) != table.width)
      throw StoreError(path() + ": run " + std::to_string(run) + " sample " + std::to_string(table.ids.back()) + " has " +
                       std::to_string(inputs.size()) + " inputs, not " + std::to_string(table.width));
    table.inputs.insert(table.inputs.end(), inputs.begin(), inputs.end());
  }
  return table;
}

std::vector<int32_t> TraceStore::top_leaves(int64_t run, int64_t layer, int64_t tree) {
  const RunSummary summary = this->run(run);
  std::vector<int32_t> leaves(static_cast<size_t>(summary.first_sample + summary.traced_samples), -1);  // a shard's ids start later
  Statement s = database().prepare("SELECT sample, leaf FROM tree_leaves WHERE run_id = ? AND layer = ? AND tree = ?");
  s.bind(1, run).bind(2, layer).bind(3, tree);
  while (s.step()) leaves.at(static_cast<size_t>(s.integer(0))) = static_cast<int32_t>(s.integer(1));
  return leaves;
}

std::vector<CountCell> TraceStore::expert_classes(int64_t run, int64_t layer) {
  Statement s = database().prepare(
      "SELECT expert, class, samples, assignments, weight FROM expert_classes WHERE run_id = ? AND layer = ? ORDER BY expert, class");
  s.bind(1, run).bind(2, layer);
  Statement classes = database().prepare("SELECT count(*) FROM classes WHERE run_id = ?");
  classes.bind(1, run);
  classes.step();
  return checked(count_cells(s), path(), "expert_classes", run, this->run(run).experts, classes.integer(0));
}

std::vector<CountCell> TraceStore::leaf_experts(int64_t run, int64_t layer, int64_t tree) {
  Statement s = database().prepare(
      "SELECT l.leaf, r.expert, count(*), count(*), 0.0 FROM tree_leaves l JOIN routing r "
      "ON r.run_id = l.run_id AND r.sample = l.sample AND r.token = l.token AND r.layer = l.layer "
      "WHERE l.run_id = ? AND l.layer = ? AND l.tree = ? GROUP BY l.leaf, r.expert ORDER BY l.leaf, r.expert");
  s.bind(1, run).bind(2, layer).bind(3, tree);
  const RunSummary summary = this->run(run);
  return checked(count_cells(s), path(), "tree_leaves", run, int64_t{1} << std::min<int64_t>(summary.depth, 30), summary.experts);
}

std::vector<float> TraceStore::node_split_values(int64_t run, int64_t layer, int64_t tree, int64_t level, int64_t node) {
  const RunSummary summary = this->run(run);
  if (tree < 0 || tree >= summary.trees || level < 0 || level >= summary.depth || node < 0 || node >= (int64_t{1} << level))
    throw StoreError(path() + ": run " + std::to_string(run) + " has no tree " + std::to_string(tree) + " level " + std::to_string(level) +
                     " node " + std::to_string(node));
  Statement s = database().prepare(
      "SELECT r.split_values FROM tree_leaves l JOIN routing r "
      "ON r.run_id = l.run_id AND r.sample = l.sample AND r.token = l.token AND r.layer = l.layer "
      "WHERE l.run_id = ? AND l.layer = ? AND l.tree = ? AND (l.leaf & ?) = ?");
  s.bind(1, run).bind(2, layer).bind(3, tree).bind(4, (int64_t{1} << level) - 1).bind(5, node);
  const auto at = static_cast<size_t>(tree * summary.depth + level);
  std::vector<float> values;
  while (s.step()) {
    const std::vector<float> split = s.blob<float>(0);
    if (at >= split.size())
      throw StoreError(path() + ": run " + std::to_string(run) + " layer " + std::to_string(layer) + " has a routing row with " +
                       std::to_string(split.size()) + " split values, not " + std::to_string(summary.trees * summary.depth) + ": the store is damaged");
    values.push_back(split[at]);
  }
  return values;
}

std::vector<CountCell> TraceStore::expert_layers(int64_t run) {
  Statement s = database().prepare(
      "SELECT expert, layer, samples, assignments, weight FROM expert_load WHERE run_id = ? ORDER BY expert, layer");
  s.bind(1, run);
  const RunSummary summary = this->run(run);
  return checked(count_cells(s), path(), "expert_load", run, summary.experts, summary.layers);
}

std::vector<FlowCell> TraceStore::flow(int64_t run) {
  Statement s = database().prepare(
      "SELECT layer, from_expert, to_expert, samples FROM expert_flow WHERE run_id = ? ORDER BY layer, from_expert, to_expert");
  s.bind(1, run);
  const RunSummary summary = this->run(run);
  std::vector<FlowCell> cells;
  while (s.step()) {
    cells.push_back({s.integer(0), s.integer(1), s.integer(2), s.integer(3)});
    const FlowCell& f = cells.back();
    if (f.layer < 0 || f.layer + 1 >= summary.layers || f.from_expert < 0 || f.from_expert >= summary.experts || f.to_expert < 0 ||
        f.to_expert >= summary.experts || f.samples < 0)
      throw StoreError(path() + ": table expert_flow of run " + std::to_string(run) + " has a row (layer " + std::to_string(f.layer) +
                       ", " + std::to_string(f.from_expert) + " -> " + std::to_string(f.to_expert) + ") outside the run's sizes: the store is damaged");
  }
  return cells;
}

std::vector<TreeNodeCount> TraceStore::tree_nodes(int64_t run, int64_t layer, int64_t tree) {
  Statement s = database().prepare(
      "SELECT level, node, class, samples FROM tree_nodes WHERE run_id = ? AND layer = ? AND tree = ? ORDER BY level, node, class");
  s.bind(1, run).bind(2, layer).bind(3, tree);
  std::vector<TreeNodeCount> nodes;
  while (s.step()) {
    if (nodes.empty() || nodes.back().level != s.integer(0) || nodes.back().node != s.integer(1))
      nodes.push_back({s.integer(0), s.integer(1), 0, {}});
    nodes.back().samples += s.integer(3);
    if (s.integer(2) >= 0) nodes.back().classes[s.integer(2)] = s.integer(3);
  }
  return nodes;
}

std::vector<std::string> TraceStore::other_models(int64_t run) {
  Statement s = database().prepare("SELECT DISTINCT model FROM model_predictions WHERE run_id = ? ORDER BY model");
  s.bind(1, run);
  std::vector<std::string> models;
  while (s.step()) models.push_back(s.text(0));
  return models;
}

std::vector<double> TraceStore::model_predictions(int64_t run, const std::string& model) {
  Statement s = database().prepare("SELECT sample, prediction FROM model_predictions WHERE run_id = ? AND model = ? ORDER BY sample");
  s.bind(1, run).bind(2, model);
  std::vector<double> predictions;
  while (s.step()) {
    if (s.integer(0) != static_cast<int64_t>(predictions.size()))
      throw StoreError(path() + ": run " + std::to_string(run) + ": the predictions of model " + model + " skip sample " +
                       std::to_string(predictions.size()));
    predictions.push_back(s.real(1));
  }
  return predictions;
}

std::vector<Explanation> TraceStore::explanations(int64_t run, const std::string& method) {
  Database& db = database();
  Statement s = db.prepare(
      "SELECT explanation_id, method, parameters_json, created_at FROM explanations WHERE run_id = ? AND (? = '' OR method = ?) "
      "ORDER BY explanation_id");
  s.bind(1, run).bind(2, method).bind(3, method);
  std::vector<Explanation> all;
  Statement values = db.prepare("SELECT target, sample, item, value, spread FROM explanation_values WHERE explanation_id = ? ORDER BY seq");
  while (s.step()) {
    Explanation e{s.integer(0), run, s.text(1), s.text(2), s.text(3), {}};
    values.bind(1, e.id);
    while (values.step())
      e.values.push_back({values.text(0), values.is_null(1) ? std::nullopt : std::optional<int64_t>(values.integer(1)), values.text(2),
                          values.real(3), values.real(4)});
    values.reset();
    all.push_back(std::move(e));
  }
  return all;
}

}  // namespace ndtmoe
