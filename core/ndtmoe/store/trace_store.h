#pragma once
// The trace store: one SQLite file holding many traced runs — their configuration, data description,
// training curves, metrics, router parameters, and every sample's prediction and per-layer routing —
// plus aggregates the views read (expert x class, expert load, flow between layers, tree node counts)
// and stored explanations. Writes are batched in transactions; a run is 'tracing' until its last batch
// and its aggregates commit, so a killed writer leaves a consistent file with the run marked
// incomplete. WAL mode lets readers query while a writer writes.

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ndtmoe/store/sqlite.h"

namespace ndtmoe {

struct RouterInputInfo {
  std::string name;
  int64_t feature = -1;   // source feature, or -1 for a hidden unit
  std::string category;   // one-hot slot of a nominal feature
};

struct FeatureInfo {
  std::string name;
  bool nominal = false;
  std::vector<std::string> categories;
  double mean = 0.0, scale = 1.0;  // standardization of a numeric feature
  std::vector<double> quantiles{};  // non-empty: quantile scaling instead (quantile_scale.h)
};

struct RouterLevel {
  double threshold = 0.0, temperature = 1.0;
  std::vector<std::pair<int64_t, double>> selectors;  // (router input, entmax weight), non-zero only, by weight descending
};

struct RouterParameters {
  int64_t trees = 0, depth = 0, experts = 0;
  std::vector<RouterLevel> levels;  // [tree * depth + level]
  std::vector<float> leaf_experts;  // [(tree * 2^depth + leaf) * experts + expert]
  const RouterLevel& level(int64_t tree, int64_t level) const { return levels.at(static_cast<size_t>(tree * depth + level)); }
};

// A router parameter a family keeps in the store beyond the tree tables (the linear gate's
// "gate_weight" [N, inputs] and "gate_bias" [N]).
struct StoredTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major
};

struct TrainingStep {
  std::string model;
  int64_t epoch = 0, step = 0;
  bool epoch_end = false;
  double lr = 0, samples_per_s = 0;
  std::map<std::string, double> losses, metrics;
};

// Everything about a run except its samples, written when tracing starts.
struct RunDescription {
  std::string name, run_directory, data_source, task, router_input;
  std::string family = "ndt", family_options_json = "{}";   // the student's model family and its options
  int64_t layers = 0, experts = 0, top_k = 0, total_samples = 0;
  int64_t depth = 0, trees = 0;  // ndt family; 0 for families without trees
  int64_t tokens = 0;            // positions per sample of a token-level student, 0 when it routes whole samples
  std::string token_kind;        // "feature", "patch" or "byte" for a token-level student
  int64_t first_sample = 0;      // a shard's samples are first_sample .. first_sample + total_samples - 1
  std::string shard;             // "i/n" for the i-th of n slices of the data (trace --shard); empty for a whole trace
  std::string config_json, data_json, preprocessing_json;
  std::vector<FeatureInfo> features;
  std::vector<RouterInputInfo> router_inputs;
  std::vector<std::string> classes;
  std::vector<TrainingStep> training;
  std::map<std::string, std::map<std::string, double>> metrics;  // model -> metric -> value
  std::vector<RouterParameters> routers;                         // one per layer (ndt family), else empty
  std::vector<std::map<std::string, StoredTensor>> router_tensors;  // per layer, by name; empty when the family stores none
};


struct RunSummary {
  int64_t id = 0;
  std::string name, status, created_at, run_directory, data_source, task, router_input;
  std::string family = "ndt", family_options_json = "{}";
  int64_t layers = 0, experts = 0, top_k = 0, total_samples = 0, traced_samples = 0;
  int64_t depth = 0, trees = 0;  // 0 for families without trees
  int64_t tokens = 0;            // positions per sample when the student routes token by token, else 0
  std::string token_kind;        // "feature", "patch" or "byte"; empty when not token-level
  int64_t first_sample = 0;      // sample ids run from first_sample (0 but for a shard)
  std::string shard;             // "i/n" for a shard of a trace, empty for a whole one
  int64_t end_sample() const { return first_sample + total_samples; }
  bool has_trees() const { return trees > 0; }
  bool token_level() const { return tokens > 0; }
  std::map<std::string, std::map<std::string, double>> metrics;
  bool complete() const { return status == "complete"; }
  // One model's test score: accuracy for classification, RMSE for regression; NaN when not measured.
  double test_score(const std::string& model) const {
    const auto scores = metrics.find(model);
    if (scores == metrics.end()) return std::numeric_limits<double>::quiet_NaN();
    const auto value = scores->second.find(task == "classification" ? "accuracy" : "rmse");
    return value == scores->second.end() ? std::numeric_limits<double>::quiet_NaN() : value->second;
  }
};

struct LayerTrace {
  int64_t expert = 0;  // top-1
  std::vector<int32_t> experts, leaves;
  std::vector<float> weights, decisions, split_values, leaf_probs;  // decisions [tree * depth + level]
  // Runs with neuron records: the neurons (expert * units + unit) that fired above the threshold, and
  // their gated activations; empty otherwise.
  std::vector<int32_t> neurons;
  std::vector<float> neuron_activations;
};

// One real token of a sample of a token-level run, with its routing in every layer.
struct TokenTrace {
  int64_t position = 0, value = 0;  // value: the byte, patch or feature index
  std::vector<LayerTrace> layers;
};

struct SampleTrace {
  int64_t sample = 0, source_line = 0;
  std::string split;
  std::optional<int64_t> label;
  double target = 0, prediction = 0, confidence = 0, teacher_prediction = 0, teacher_confidence = 0;
  bool has_teacher = false;
  std::vector<float> inputs;
  std::vector<LayerTrace> layers;  // the routing of the whole sample, or of one token (with_token)
  std::vector<TokenTrace> tokens;  // token-level runs: every real token, by position; layers is the first's
  // The sample with `layers` of the token at `position` (the same sample when there are no tokens).
  SampleTrace with_token(int64_t position) const;
};

// One cell of a count table: (row, column) -> samples whose top-1 expert is there, assignments among
// all top-K slots, and the summed routing weight.
struct CountCell {
  int64_t row = 0, column = 0, samples = 0, assignments = 0;
  double weight = 0;
};

// Where a token-level run's tokens go, per expert and token value or position.
enum class TokenAxis { Value, Position };
const char* to_string(TokenAxis axis);

// One (sample, token position) routed to an expert.
struct TokenHit {
  int64_t sample = 0, position = 0, value = 0;
  double weight = 0;  // the expert's gate weight for the token (top-1)
};

// A layer of MLP experts seen as one wide MLP: its neurons are the (expert, hidden unit) pairs, numbered
// expert * units_per_expert + unit. `positions` counts the samples (or real tokens) traced through it.
struct NeuronLayer {
  int64_t layer = 0, experts = 0, units_per_expert = 0, positions = 0;
  double threshold = 0;  // an activation above it is recorded as firing
  int64_t neurons() const { return experts * units_per_expert; }
};

// One firing of a neuron: the position (sample, token) and its gated activation there.
struct NeuronHit {
  int64_t sample = 0, token = 0;
  float activation = 0;
  int64_t label = -1;  // the sample's class; -1 for regression
};

// One neuron over a whole trace.
struct NeuronSummary {
  int64_t neuron = 0;
  int64_t active = 0;                   // positions where it fired
  double activation_sum = 0, max_activation = 0;
  std::vector<int64_t> histogram;       // its activations in equal bins over (threshold, max_activation]
  std::vector<NeuronHit> top;           // its strongest firings, strongest first
  int64_t top_class = -1;               // the commonest class among its top kSelectivityTop firings
  double top_class_share = 0;           // and that class's share of them
  // Silencing the neuron on the samples of its top kSelectivityTop firings: the share whose predicted
  // class changes and the mean drop of the originally predicted class's probability (regression: the
  // share whose standardized prediction moves by more than 0.01, and the mean absolute move). NaN where
  // not measured.
  double ablation_changed = std::numeric_limits<double>::quiet_NaN();
  double ablation_drop = std::numeric_limits<double>::quiet_NaN();
  double mean_activation() const { return active > 0 ? activation_sum / static_cast<double>(active) : 0.0; }
};

// A layer's hidden states (the rows its experts read) mapped to two dimensions, stored once every
// sample is traced: `method` "pca" (all samples) or "tsne" (an evenly spaced subset of at most the trace's
// embedding limit). `details` is what the method reports (PCA: each axis's share of the variance;
// t-SNE: perplexity, iterations, KL divergence).
struct LayerEmbedding {
  int64_t layer = 0;
  std::string method;
  std::vector<int64_t> samples;  // sample ids, ascending
  std::vector<float> x, y;       // one point per sample
  std::map<std::string, double> details;
};

// How well a layer's top-1 expert of a sample is predicted by the vote of its k nearest neighbours in
// that layer's hidden states (over the samples of the t-SNE subset), against the commonest expert's
// share, which a constant guess reaches.
struct ExpertNeighbours {
  int64_t layer = 0, k = 0, samples = 0;
  double agreement = 0, majority_share = 0;
};

struct FlowCell {
  int64_t layer = 0, from_expert = 0, to_expert = 0, samples = 0;
};

struct TreeNodeCount {
  int64_t level = 0, node = 0, samples = 0;
  std::map<int64_t, int64_t> classes;  // class -> samples (classification)
};

// Which samples to list; unset fields do not filter. Expert and tree-node filters read `layer`; the
// token filters (token-level runs) read `expert` and keep samples with such a token routed to it.
struct SampleFilter {
  std::optional<int64_t> layer, expert, tree, level, node, leaf, label, predicted, token_value, token_position;
  std::optional<std::string> split;
  std::optional<std::vector<int64_t>> samples;  // only these sample ids (a group chosen in a view)
  bool misclassified = false, disagreement = false;
  std::optional<double> max_confidence;
  int64_t limit = -1;
};

// Samples of a run as flat columns, in sample order (for analyses and the samples table).
struct SampleTable {
  std::vector<int64_t> ids;
  int64_t width = 0;                              // encoded inputs per sample
  std::vector<float> inputs;                      // [ids.size() * width]
  std::vector<double> truth, predictions, confidences;  // class index or target; confidence NaN for regression
  std::vector<std::string> splits;
  size_t size() const { return ids.size(); }
};

// The scalar columns of one sample, for tables.
struct SampleRow {
  int64_t sample = 0;
  std::string split;
  double truth = 0, prediction = 0, confidence = 0, teacher_prediction = 0, teacher_confidence = 0;  // NaN when absent
};

struct ExplanationValue {
  std::string target;
  std::optional<int64_t> sample;
  std::string item;
  double value = 0, spread = 0;
};

struct Explanation {
  int64_t id = 0, run = 0;
  std::string method, parameters_json, created_at;
  std::vector<ExplanationValue> values;
};

class TraceStore {
 public:
  enum class Mode { ReadOnly, ReadWrite };
  // Read-write creates the file (and migrates an older one); read-only refuses a missing file.
  explicit TraceStore(const std::string& path, Mode mode = Mode::ReadWrite);
  ~TraceStore();
  TraceStore(const TraceStore&) = delete;
  TraceStore& operator=(const TraceStore&) = delete;

  const std::string& path() const;
  // What SQLite's integrity check finds broken in the file (at most `limit` lines), empty when sound; see
  // Database::damage. Takes seconds on a store of a gigabyte, so views run it off the GUI thread.
  std::vector<std::string> damage(int limit = 10, const std::atomic<bool>* cancelled = nullptr);

  // Writing (a batch of samples: append_batch in trace_writer.h, with its aggregates).
  int64_t begin_run(const RunDescription& run);
  // Adds (or replaces, by name) router tensors of a layer that the tracer computes from the whole
  // trace, such as the generated maps of the experts a run used (imoie).
  void store_router_tensors(int64_t run, int64_t layer, const std::map<std::string, StoredTensor>& tensors);
  // Replaces the neuron summaries of a layer (the tracer writes them once every sample is traced).
  void store_neurons(int64_t run, const NeuronLayer& layer, const std::vector<NeuronSummary>& neurons);
  // Adds or replaces a layer's embedding by method, and a layer's neighbour agreement.
  void store_embedding(int64_t run, const LayerEmbedding& embedding);
  void store_expert_neighbours(int64_t run, const ExpertNeighbours& neighbours);
  // Marks the run complete once every sample is traced.
  void finish_run(int64_t run);
  void delete_run(int64_t run);
  // Stores the explanation and sets its id and creation time.
  void store_explanation(Explanation& explanation);

  // Reading.
  std::vector<RunSummary> runs();
  RunSummary run(int64_t run);  // throws StoreError naming the id when absent
  RunDescription description(int64_t run);
  SampleTrace sample(int64_t run, int64_t sample);
  std::vector<int64_t> samples(int64_t run, const SampleFilter& filter);
  std::vector<SampleRow> sample_rows(int64_t run, const SampleFilter& filter);
  SampleTable sample_table(int64_t run, const std::optional<std::string>& split = std::nullopt);
  // Each sample's most probable leaf of one tree, indexed by sample id.
  std::vector<int32_t> top_leaves(int64_t run, int64_t layer, int64_t tree);
  std::vector<CountCell> expert_classes(int64_t run, int64_t layer);  // row expert, column class
  // Per leaf of one tree, the samples (tokens) whose most probable leaf it is, by their top-1 expert in
  // that layer: row leaf, column expert. What the leaf's samples measurably went to, unlike the leaf's
  // leaf-to-expert mapping weights.
  std::vector<CountCell> leaf_experts(int64_t run, int64_t layer, int64_t tree);
  // The values tested at one level of a tree (the weighted sum of its selected inputs) of the samples
  // (tokens) at node `node` of that level: those whose most probable leaf has `node` as its low `level`
  // bits. What the decision path's figure draws as the node's histogram.
  std::vector<float> node_split_values(int64_t run, int64_t layer, int64_t tree, int64_t level, int64_t node);
  std::vector<CountCell> expert_layers(int64_t run);                  // row expert, column layer
  std::vector<FlowCell> flow(int64_t run);                            // layer l -> l + 1
  // Token-level runs: tokens whose top-1 expert is `row`, per token value or position (`column`).
  std::vector<CountCell> expert_tokens(int64_t run, int64_t layer, TokenAxis axis);
  // Tokens routed (top-1) to `expert` in `layer` with that value or position (any without a key), in
  // sample order, at most `limit`.
  std::vector<TokenHit> expert_token_hits(int64_t run, int64_t layer, int64_t expert, TokenAxis axis, std::optional<int64_t> key,
                                          int64_t limit = 100);
  // Runs with neuron records: each layer's neuron bookkeeping (empty without records), one layer's
  // summaries by neuron, one neuron's, and every recorded firing of a layer in sample and token order.
  std::vector<NeuronLayer> neuron_layers(int64_t run);
  // `with_firings` false leaves out the histograms and strongest firings (the run's measures need neither).
  std::vector<NeuronSummary> neurons(int64_t run, int64_t layer, bool with_firings = true);
  NeuronSummary neuron(int64_t run, int64_t layer, int64_t neuron);
  void for_each_neuron_position(int64_t run, int64_t layer,
                                const std::function<void(int64_t sample, int64_t token, int64_t label, const int32_t* neurons,
                                                         const float* activations, size_t count)>& visit);
  // Runs traced with embeddings: the (layer, method) pairs stored, without their points; one embedding
  // with its points (StoreError naming the run when absent); each layer's neighbour agreement.
  std::vector<LayerEmbedding> embeddings(int64_t run);
  LayerEmbedding embedding(int64_t run, int64_t layer, const std::string& method);
  std::vector<ExpertNeighbours> expert_neighbours(int64_t run);
  // Each sample's top-1 expert in `layer` (its first position's for token-level runs), indexed by sample
  // id; -1 where none is traced.
  std::vector<int32_t> top_experts(int64_t run, int64_t layer);
  std::vector<TreeNodeCount> tree_nodes(int64_t run, int64_t layer, int64_t tree);
  std::vector<Explanation> explanations(int64_t run, const std::string& method = {});
  // The run's other traced models (e.g. "mlp", "moe") and one model's predictions by sample id.
  std::vector<std::string> other_models(int64_t run);
  std::vector<double> model_predictions(int64_t run, const std::string& model);

  // The connection, for the layers above that write rows of their own (the trace writer).
  Database& database();

 private:
  // Runs the filter's query selecting `columns` (of samples `s` when `with_samples`).
  Statement filtered(int64_t run, const SampleFilter& filter, bool with_samples, const std::string& columns);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ndtmoe
