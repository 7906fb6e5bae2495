#include "ndtmoe/store/trace_schema.h"

#include <string>

namespace ndtmoe {

namespace {

// Version 1. Integer ids are 0-based positions (layer, tree, level, expert, class, sample = row of the
// traced data); BLOB columns are little-endian float32 or int32 arrays.
const char* const kSchemaV1 = R"SQL(
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('tracing', 'complete')),
  created_at TEXT NOT NULL,
  completed_at TEXT,
  run_directory TEXT NOT NULL,
  data_source TEXT NOT NULL,
  task TEXT NOT NULL CHECK (task IN ('classification', 'regression')),
  layers INTEGER NOT NULL,
  experts INTEGER NOT NULL,
  top_k INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  trees INTEGER NOT NULL,
  router_input TEXT NOT NULL,
  total_samples INTEGER NOT NULL,
  traced_samples INTEGER NOT NULL DEFAULT 0,
  config_json TEXT NOT NULL,
  data_json TEXT NOT NULL,
  preprocessing_json TEXT NOT NULL
);
CREATE TABLE features (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  feature INTEGER NOT NULL,
  name TEXT NOT NULL,
  nominal INTEGER NOT NULL,
  categories_json TEXT NOT NULL,
  mean REAL, scale REAL,
  PRIMARY KEY (run_id, feature)
) WITHOUT ROWID;
CREATE TABLE router_inputs (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  input INTEGER NOT NULL,
  name TEXT NOT NULL,
  feature INTEGER,
  category TEXT,
  PRIMARY KEY (run_id, input)
) WITHOUT ROWID;
CREATE TABLE classes (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  class INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (run_id, class)
) WITHOUT ROWID;
CREATE TABLE training_steps (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  model TEXT NOT NULL,
  seq INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  step INTEGER NOT NULL,
  epoch_end INTEGER NOT NULL,
  lr REAL,
  samples_per_s REAL,
  PRIMARY KEY (run_id, model, seq)
) WITHOUT ROWID;
CREATE TABLE training_values (
  run_id INTEGER NOT NULL,
  model TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('loss', 'metric')),
  name TEXT NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, model, seq, kind, name),
  FOREIGN KEY (run_id, model, seq) REFERENCES training_steps ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  model TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, model, metric)
) WITHOUT ROWID;
CREATE TABLE router_levels (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  level INTEGER NOT NULL,
  threshold REAL NOT NULL,
  temperature REAL NOT NULL,
  PRIMARY KEY (run_id, layer, tree, level)
) WITHOUT ROWID;
CREATE TABLE router_selectors (
  run_id INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  level INTEGER NOT NULL,
  input INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (run_id, layer, tree, level, input),
  FOREIGN KEY (run_id, layer, tree, level) REFERENCES router_levels ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE leaf_experts (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  leaf INTEGER NOT NULL,
  expert INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (run_id, layer, tree, leaf, expert)
) WITHOUT ROWID;
CREATE TABLE samples (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  sample INTEGER NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('fit', 'validation', 'test', 'traced')),
  source_line INTEGER,
  label INTEGER,
  target REAL,
  prediction REAL NOT NULL,
  confidence REAL,
  teacher_prediction REAL,
  teacher_confidence REAL,
  correct INTEGER,
  agrees INTEGER,
  inputs BLOB NOT NULL,
  PRIMARY KEY (run_id, sample)
) WITHOUT ROWID;
CREATE TABLE routing (
  run_id INTEGER NOT NULL,
  sample INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  expert INTEGER NOT NULL,
  weight REAL NOT NULL,
  experts BLOB NOT NULL,
  weights BLOB NOT NULL,
  decisions BLOB NOT NULL,
  split_values BLOB NOT NULL,
  leaves BLOB NOT NULL,
  leaf_probs BLOB NOT NULL,
  PRIMARY KEY (run_id, sample, layer),
  FOREIGN KEY (run_id, sample) REFERENCES samples ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX routing_by_expert ON routing (run_id, layer, expert);
CREATE TABLE tree_leaves (
  run_id INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  leaf INTEGER NOT NULL,
  sample INTEGER NOT NULL,
  probability REAL NOT NULL,
  PRIMARY KEY (run_id, layer, tree, leaf, sample),
  FOREIGN KEY (run_id, sample) REFERENCES samples ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE expert_classes (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  expert INTEGER NOT NULL,
  class INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  assignments INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (run_id, layer, expert, class)
) WITHOUT ROWID;
CREATE TABLE expert_load (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  expert INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  assignments INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (run_id, layer, expert)
) WITHOUT ROWID;
CREATE TABLE expert_flow (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  from_expert INTEGER NOT NULL,
  to_expert INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  PRIMARY KEY (run_id, layer, from_expert, to_expert)
) WITHOUT ROWID;
CREATE TABLE tree_nodes (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  level INTEGER NOT NULL,
  node INTEGER NOT NULL,
  class INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  PRIMARY KEY (run_id, layer, tree, level, node, class)
) WITHOUT ROWID;
CREATE TABLE explanations (
  explanation_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  method TEXT NOT NULL,
  parameters_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE explanation_values (
  explanation_id INTEGER NOT NULL REFERENCES explanations ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  target TEXT NOT NULL,
  sample INTEGER,
  item TEXT NOT NULL,
  value REAL,
  spread REAL,
  PRIMARY KEY (explanation_id, seq)
) WITHOUT ROWID;
CREATE INDEX explanations_by_run ON explanations (run_id, method);
)SQL";

// Version 2: model families and token positions. Every run names its student's family and that family's
// options; runs of version 1 were all of family ndt. Routing and tree leaves are keyed by token position
// as well (0 for models without tokens; the tables are rebuilt, their rows copied with token 0). Families
// without trees write depth = trees = 0, no rows in the tree tables, and NULL tree columns in `routing`; router parameters other than trees go to `router_tensors`
// (shape as a JSON array, data float32 row-major). The run's other models (the MLP and linear-gate
// baselines) have their predictions in `model_predictions`, so every model can be compared sample by sample.
const char* const kSchemaV2 = R"SQL(
ALTER TABLE runs ADD COLUMN family TEXT NOT NULL DEFAULT 'ndt';
ALTER TABLE runs ADD COLUMN family_options TEXT NOT NULL DEFAULT '{}';
CREATE TABLE router_tensors (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  name TEXT NOT NULL,
  shape TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (run_id, layer, name)
) WITHOUT ROWID;
CREATE TABLE model_predictions (
  run_id INTEGER NOT NULL,
  model TEXT NOT NULL,
  sample INTEGER NOT NULL,
  prediction REAL NOT NULL,
  confidence REAL,
  PRIMARY KEY (run_id, model, sample),
  FOREIGN KEY (run_id, sample) REFERENCES samples ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE routing_v2 (
  run_id INTEGER NOT NULL,
  sample INTEGER NOT NULL,
  token INTEGER NOT NULL DEFAULT 0,
  layer INTEGER NOT NULL,
  expert INTEGER NOT NULL,
  weight REAL NOT NULL,
  experts BLOB NOT NULL,
  weights BLOB NOT NULL,
  decisions BLOB,
  split_values BLOB,
  leaves BLOB,
  leaf_probs BLOB,
  PRIMARY KEY (run_id, sample, token, layer),
  FOREIGN KEY (run_id, sample) REFERENCES samples ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO routing_v2 (run_id, sample, token, layer, expert, weight, experts, weights, decisions, split_values, leaves, leaf_probs)
  SELECT run_id, sample, 0, layer, expert, weight, experts, weights, decisions, split_values, leaves, leaf_probs FROM routing;
DROP TABLE routing;
ALTER TABLE routing_v2 RENAME TO routing;
CREATE INDEX routing_by_expert ON routing (run_id, layer, expert);
CREATE TABLE tree_leaves_v2 (
  run_id INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  tree INTEGER NOT NULL,
  leaf INTEGER NOT NULL,
  sample INTEGER NOT NULL,
  token INTEGER NOT NULL DEFAULT 0,
  probability REAL NOT NULL,
  PRIMARY KEY (run_id, layer, tree, leaf, sample, token),
  FOREIGN KEY (run_id, sample) REFERENCES samples ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO tree_leaves_v2 (run_id, layer, tree, leaf, sample, token, probability)
  SELECT run_id, layer, tree, leaf, sample, 0, probability FROM tree_leaves;
DROP TABLE tree_leaves;
ALTER TABLE tree_leaves_v2 RENAME TO tree_leaves;
UPDATE runs SET family_options = json_object('depth', depth, 'trees', trees,
  'leaf_mode', coalesce(json_extract(config_json, '$.student.leaf_mode'), 'linear'));
)SQL";

// Version 3: token-level routing. A run whose student routes token by token (a transformer with MoE
// feed-forward blocks) has `tokens` positions per sample and their kind ('feature', 'patch', 'byte');
// it writes one routing row per (sample, real token, layer) with the token's value (the byte, the patch
// or feature index) in `token_value`, which the expert index now covers too (the samples and tokens
// behind an expert x value cell). `expert_tokens` counts tokens per expert and token value or position.
// The other aggregates count tokens instead of samples for such runs, and tree_leaves stays empty.
const char* const kSchemaV3 = R"SQL(
ALTER TABLE runs ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN token_kind TEXT;
ALTER TABLE routing ADD COLUMN token_value INTEGER;
DROP INDEX routing_by_expert;
CREATE INDEX routing_by_expert ON routing (run_id, layer, expert, token_value);
CREATE TABLE expert_tokens (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  axis TEXT NOT NULL CHECK (axis IN ('value', 'position')),
  expert INTEGER NOT NULL,
  key INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  assignments INTEGER NOT NULL,
  weight REAL NOT NULL,
  PRIMARY KEY (run_id, layer, axis, expert, key)
) WITHOUT ROWID;
)SQL";

// Version 4: neurons of layers of MLP experts (moe-x; other families on request). A routing row may carry
// the neurons that fired (int32 expert * units_per_expert + unit) with their gated activations (float32),
// only those above the layer's threshold. Once every sample is traced, `neuron_layers` holds each layer's
// bookkeeping and `neurons` one summary per neuron: firing count, activation sum and maximum, a histogram
// (int32 counts, equal bins over (threshold, max]), its strongest firings (int32 samples, tokens, labels;
// float32 activations; strongest first), the commonest class among the first 50 of them and its share,
// and what zeroing the neuron on those samples does to the prediction.
const char* const kSchemaV4 = R"SQL(
ALTER TABLE routing ADD COLUMN neurons BLOB;
ALTER TABLE routing ADD COLUMN neuron_activations BLOB;
CREATE TABLE neuron_layers (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  experts INTEGER NOT NULL,
  units_per_expert INTEGER NOT NULL,
  positions INTEGER NOT NULL,
  threshold REAL NOT NULL,
  PRIMARY KEY (run_id, layer)
) WITHOUT ROWID;
CREATE TABLE neurons (
  run_id INTEGER NOT NULL,
  layer INTEGER NOT NULL,
  neuron INTEGER NOT NULL,
  active INTEGER NOT NULL,
  activation_sum REAL NOT NULL,
  max_activation REAL NOT NULL,
  histogram BLOB NOT NULL,
  top_samples BLOB NOT NULL,
  top_tokens BLOB NOT NULL,
  top_labels BLOB NOT NULL,
  top_activations BLOB NOT NULL,
  top_class INTEGER,
  top_class_share REAL,
  ablation_changed REAL,
  ablation_drop REAL,
  PRIMARY KEY (run_id, layer, neuron),
  FOREIGN KEY (run_id, layer) REFERENCES neuron_layers ON DELETE CASCADE
) WITHOUT ROWID;
)SQL";

// Version 5: shards. `ndtmoe trace --shard i/n` traces the i-th of n equal slices of the data; its run
// holds samples first_sample .. first_sample + total_samples - 1 (ids stay rows of the whole data) and
// names the slice in `shard` ('i/n'; NULL for a whole trace). `ndtmoe store merge` joins the shards.
const char* const kSchemaV5 = R"SQL(
ALTER TABLE runs ADD COLUMN first_sample INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN shard TEXT;
)SQL";

// Version 6: quantile-scaled features (`ndtmoe train --numeric-scaling quantile`). A feature's model
// units are then the standard normal quantiles of its training ranks: `quantiles_json` holds the
// training values at evenly spaced probabilities, which map thresholds back to data units. NULL: the
// feature is standardized with `mean` and `scale`.
const char* const kSchemaV6 = R"SQL(
ALTER TABLE features ADD COLUMN quantiles_json TEXT;
)SQL";

// Version 7: embeddings. Once every sample of a whole trace is traced, each MoE layer's hidden states
// (the rows its experts read) are mapped to 2-D: `embeddings` holds one row per (layer, method) with the
// sample ids (int32) and the points (float32 x, y pairs), and `expert_neighbours` how well a sample's
// top-1 expert is predicted by its k nearest neighbours in those hidden states.
const char* const kSchemaV7 = R"SQL(
CREATE TABLE embeddings (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  method TEXT NOT NULL,
  samples BLOB NOT NULL,
  points BLOB NOT NULL,
  details_json TEXT NOT NULL,
  PRIMARY KEY (run_id, layer, method)
) WITHOUT ROWID;
CREATE TABLE expert_neighbours (
  run_id INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  layer INTEGER NOT NULL,
  k INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  agreement REAL NOT NULL,
  majority_share REAL NOT NULL,
  PRIMARY KEY (run_id, layer)
) WITHOUT ROWID;
)SQL";

}  // namespace

const std::vector<Migration>& trace_migrations() {
  static const std::vector<Migration> migrations{[](Database& db) { db.execute(kSchemaV1); },
                                                 [](Database& db) { db.execute(kSchemaV2); },
                                                 [](Database& db) { db.execute(kSchemaV3); },
                                                 [](Database& db) { db.execute(kSchemaV4); },
                                                 [](Database& db) { db.execute(kSchemaV5); },
                                                 [](Database& db) { db.execute(kSchemaV6); },
                                                 [](Database& db) { db.execute(kSchemaV7); }};
  return migrations;
}

int schema_version(Database& db) {
  Statement version = db.prepare("PRAGMA user_version");
  version.step();
  return static_cast<int>(version.integer(0));
}

void check_schema_version(Database& db, int version, int target) {
  if (version < 0)
    throw StoreError(db.path() + ": the trace store has schema version " + std::to_string(version) +
                     ", which no ndtmoe writes: the file is damaged (trace into a new store)");
  if (version > target)
    throw StoreError(db.path() + ": the trace store has schema version " + std::to_string(version) +
                     ", newer than this program's " + std::to_string(target) + "; open it with a newer ndtmoe");
}

void migrate(Database& db, const std::vector<Migration>& migrations) {
  const int target = static_cast<int>(migrations.size());
  if (schema_version(db) == target) return;  // current: no write lock taken
  // The version is read again inside each step's write transaction (BEGIN IMMEDIATE), so two processes
  // creating or migrating the same store at once take turns: the second finds the work done.
  for (;;) {
    Transaction transaction(db);
    const int found = schema_version(db);
    check_schema_version(db, found, target);
    if (found == target) return;
    migrations[static_cast<size_t>(found)](db);
    db.execute("PRAGMA user_version = " + std::to_string(found + 1));
    transaction.commit();
  }
}

}  // namespace ndtmoe
