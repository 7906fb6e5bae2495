#include "ndtmoe/trace/tracer.h"

#include <algorithm>
#include <filesystem>
#include <future>

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/model/ndt_family.h"
#include "ndtmoe/model/neuron_records.h"
#include "ndtmoe/model/token_embedding.h"
#include "ndtmoe/trace/neuron_summaries.h"
#include "ndtmoe/trace/trace_writer.h"

namespace ndtmoe {

namespace {

MixturePredictor& mixture_student(LoadedRun& run) {
  auto* model = dynamic_cast<MixturePredictor*>(run.experiment.student.get());
  if (!model) throw std::invalid_argument("the run has no mixture-of-experts student to trace");
  return *model;
}

// A family-specific record as a [B, ...] CPU tensor, or an empty [B, 0] one when the family has none.
torch::Tensor record_or_empty(const RoutingDecision& r, const char* name) {
  const torch::Tensor record = r.record(name);
  return record.defined() ? record.cpu() : torch::zeros({r.top_experts.size(0), 0, 1});
}

bool same_source(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.rfind("builtin:", 0) == 0 || b.rfind("builtin:", 0) == 0) return false;
  std::error_code error;
  return std::filesystem::weakly_canonical(a, error) == std::filesystem::weakly_canonical(b, error) && !error;
}

// fit / validation / test when the traced data is the run's own (same rows, same seed), else 'traced'.
std::vector<std::string> sample_splits(const LoadedRun& run, const std::string& data_source, const Dataset& data) {
  const auto rows = static_cast<size_t>(data.rows());
  if (!run.data.test_source.empty() && same_source(data_source, run.data.test_source)) return std::vector<std::string>(rows, "test");
  std::vector<std::string> splits(rows, "traced");
  if (!same_source(data_source, run.data.source)) return splits;
  const Split split = run.data.split(data);
  for (int64_t r : split.test) splits[static_cast<size_t>(r)] = "test";
  const Split inner = fit_validation_split(data, split.train, run.experiment.config);
  for (int64_t r : inner.train) splits[static_cast<size_t>(r)] = "fit";
  for (int64_t r : inner.test) splits[static_cast<size_t>(r)] = "validation";
  return splits;
}

std::vector<RouterInputInfo> router_inputs(const Preprocessor& pre, const ModelConfig& config) {
  std::vector<RouterInputInfo> inputs;
  if (config.router_input != RouterInput::Hidden) {
    const auto names = pre.encoded_names();
    const auto sources = pre.encoded_sources();
    for (size_t i = 0; i < names.size(); ++i) {
      const FeatureEncoding& f = pre.features()[static_cast<size_t>(sources[i])];
      inputs.push_back({names[i], sources[i], f.nominal ? names[i].substr(f.name.size() + 1) : std::string()});
    }
  }
  if (config.router_input != RouterInput::Input)
    for (int64_t h = 0; h < config.d_model; ++h) inputs.push_back({"hidden[" + std::to_string(h) + "]", -1, {}});
  return inputs;
}

std::map<std::string, StoredTensor> stored_tensors(const std::map<std::string, torch::Tensor>& tensors) {
  std::map<std::string, StoredTensor> stored;
  for (const auto& [name, tensor] : tensors) {
    const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    stored[name] = {values.sizes().vec(), std::vector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel())};
  }
  return stored;
}

// The parameters of the experts, most used by the whole trace first and then the unused ones, for
// families whose experts the views draw (MixturePredictor::expert_tensors; a model keeps as many as it
// stores, so a small code keeps all its experts and explicit routing over them stays exact). From the
// store's counts, so a resumed trace ranks all of its samples.
void store_expert_tensors(TraceStore& store, int64_t run, MixturePredictor& student) {
  const std::vector<CountCell> load = store.expert_layers(run);
  const int64_t experts = student.config().experts;
  for (int64_t l = 0; l < student.moe_layer_count(); ++l) {
    std::vector<const CountCell*> used;
    for (const CountCell& cell : load)
      if (cell.column == l && cell.samples > 0) used.push_back(&cell);
    std::stable_sort(used.begin(), used.end(), [](const CountCell* a, const CountCell* b) { return a->samples > b->samples; });
    std::vector<int64_t> ids;
    std::vector<bool> listed(static_cast<size_t>(experts), false);
    for (const CountCell* cell : used) {
      ids.push_back(cell->row);
      listed[static_cast<size_t>(cell->row)] = true;
    }
    for (int64_t e = 0; e < experts; ++e)
      if (!listed[static_cast<size_t>(e)]) ids.push_back(e);
    const auto tensors = student.expert_tensors(l, torch::tensor(ids, torch::kLong));
    if (!tensors.empty()) store.store_router_tensors(run, l, stored_tensors(tensors));
  }
}

}  // namespace

std::vector<std::map<std::string, StoredTensor>> router_tensors(MixturePredictor& model) {
  torch::NoGradGuard no_grad;
  std::vector<std::map<std::string, StoredTensor>> layers;
  for (int64_t l = 0; l < model.moe_layer_count(); ++l) layers.push_back(stored_tensors(model.moe_layer(l)->router()->traced_parameters()));
  if (std::all_of(layers.begin(), layers.end(), [](const auto& layer) { return layer.empty(); })) layers.clear();
  return layers;
}

std::vector<RouterParameters> router_parameters(MixturePredictor& model) {
  torch::NoGradGuard no_grad;
  std::vector<RouterParameters> routers;
  for (int64_t l = 0; l < model.moe_layer_count(); ++l) {
    const auto router = model.moe_layer(l)->router_as<NDTRouterImpl>();
    if (!router) return {};  // a family without trees
    RouterParameters r;
    r.trees = router->options().trees();
    r.depth = router->options().depth();
    r.experts = router->options().num_experts();
    const torch::Tensor selectors = router->selector_weights().to(torch::kCPU, torch::kDouble);
    const torch::Tensor thresholds = router->thresholds().to(torch::kCPU, torch::kDouble);
    const torch::Tensor temperatures = router->log_temperatures().exp().to(torch::kCPU, torch::kDouble);
    for (int64_t t = 0; t < r.trees; ++t)
      for (int64_t i = 0; i < r.depth; ++i) {
        RouterLevel level{thresholds[t][i].item<double>(), temperatures[t][i].item<double>(), {}};
        const torch::Tensor w = selectors[t][i];
        const torch::Tensor order = w.argsort(0, /*descending=*/true);
        for (int64_t k = 0; k < w.size(0); ++k) {
          const int64_t input = order[k].item<int64_t>();
          const double weight = w[input].item<double>();
          if (weight <= 0) break;
          level.selectors.emplace_back(input, weight);
        }
        r.levels.push_back(std::move(level));
      }
    const torch::Tensor map = router->leaf_expert_map().to(torch::kCPU, torch::kFloat).contiguous();
    r.leaf_experts.assign(map.data_ptr<float>(), map.data_ptr<float>() + map.numel());
    routers.push_back(std::move(r));
  }
  return routers;
}

RunDescription describe_run(LoadedRun& run, const std::string& run_directory, const std::string& data_source,
                            const Dataset& data, const TraceOptions& options) {
  const Experiment& ex = run.experiment;
  MixturePredictor& student = mixture_student(run);
  const ModelConfig& config = student.config();
  const Preprocessor& pre = ex.preprocessor;
  RunDescription d;
  d.name = options.name.empty() ? std::filesystem::path(run_directory).lexically_normal().filename().string() : options.name;
  if (d.name.empty()) d.name = std::filesystem::path(run_directory).lexically_normal().parent_path().filename().string();
  d.run_directory = std::filesystem::absolute(run_directory).lexically_normal().string();
  d.data_source = data_source;
  d.task = to_string(pre.task());
  d.router_input = to_string(config.router_input);
  d.layers = config.layers;
  d.experts = config.experts;
  d.top_k = config.top_k;
  d.family = config.family;
  d.family_options_json = config.family_options.dump();
  // Any family whose router is the trees (ndt, mxd with its tree gate) is stored with them.
  if (const auto tree = student.moe_layer(0)->router_as<NDTRouterImpl>()) {
    d.depth = tree->options().depth();
    d.trees = tree->options().trees();
  }
  if (config.kind == ModelKind::TransformerMixture) {
    d.tokens = student.routed_tokens();
    d.token_kind = to_string(token_kind(config));
  }
  const auto [first, end] = options.shard.rows(data.rows());
  d.first_sample = first;
  d.total_samples = end - first;
  if (!options.shard.whole()) d.shard = options.shard.text();
  nlohmann::json experiment = ex.config.to_json();
  if (run.manifest.contains("decomposition")) experiment["decomposition"] = run.manifest["decomposition"];  // a decomposition traced as a run
  d.config_json = experiment.dump();
  d.data_json = run.data.to_json().dump();
  d.preprocessing_json = pre.to_json().dump();
  for (const FeatureEncoding& f : pre.features()) d.features.push_back({f.name, f.nominal, f.categories, f.mean, f.scale, f.quantiles});
  d.router_inputs = router_inputs(pre, config);
  d.classes = pre.class_names();
  for (const ModelReport& report : ex.reports) {
    d.metrics[report.name] = report.metrics;
    for (const TrainProgress& p : report.training.log)
      d.training.push_back({report.name, p.epoch, p.step, p.epoch_end, p.lr, p.samples_per_s, p.losses, p.metrics});
  }
  if (!ex.agreement.empty()) d.metrics["agreement"] = ex.agreement;
  d.routers = router_parameters(student);
  d.router_tensors = router_tensors(student);
  return d;
}

namespace {

// The threshold above which the trace records neurons, or none when it records none.
std::optional<double> neuron_threshold_for(MixturePredictor& student, const TraceOptions& options) {
  const bool wanted = options.neurons.value_or(find_family(student.config().family).records_neurons && options.shard.whole());
  if (!wanted) return std::nullopt;
  if (!options.shard.whole())
    throw std::invalid_argument("neuron summaries rank every sample of the data, which a shard (" + options.shard.text() +
                                ") does not hold: trace the whole data to record neurons, or shards without them");
  if (!has_neurons(student))
    throw std::invalid_argument("the " + student.config().family + " student has no MLP experts whose neurons could be recorded");
  return options.neuron_threshold;
}

// Fills the batch's predictions, confidences and per-layer routing from its inputs (on a worker thread
// while tracing, hence its own no-grad guard).
// `cached_teacher` holds the teacher's outputs for these rows where the run computed them in training.
void run_student(Experiment& ex, MixturePredictor& student, TraceBatch& batch, torch::Device device, bool with_teacher, bool with_baselines,
                 const torch::Tensor& cached_teacher = {}, std::optional<double> neuron_threshold = std::nullopt) {
  torch::NoGradGuard no_grad;
  const bool classification = ex.preprocessor.task() == TaskKind::Classification;
  std::optional<NeuronRecording> recording;
  if (neuron_threshold) recording.emplace(student);
  PredictorOutput out = student.run(batch.inputs.to(device));
  const torch::Tensor teacher = !with_teacher ? torch::Tensor() : cached_teacher.defined() ? cached_teacher : ex.teacher_outputs(batch.inputs, device);
  const auto summarize = [&](const torch::Tensor& output, torch::Tensor& prediction, torch::Tensor& confidence) {
    if (classification) {
      auto [p, c] = torch::softmax(output.to(torch::kCPU, torch::kFloat), -1).max(-1);
      confidence = p;
      prediction = c;
    } else {
      prediction = ex.preprocessor.restore_target(output.to(torch::kCPU)).flatten();
    }
  };
  summarize(out.output, batch.predictions, batch.confidences);
  batch.tokens = student.routed_tokens();
  const torch::Tensor values = student.token_values(batch.inputs);
  if (values.defined()) batch.token_values = values.cpu();
  if (teacher.defined()) summarize(teacher, batch.teacher_predictions, batch.teacher_confidences);
  if (with_baselines)
    for (const auto& [name, model] : {std::pair{"mlp", ex.mlp}, std::pair{"moe", ex.moe}}) {
      if (!model) continue;
      TraceBatch::Predictions& p = batch.other_models[name];
      summarize(predict(*model, batch.inputs, device), p.predictions, p.confidences);
    }
  for (const LayerRouting& layer : out.routing) {
    const RoutingDecision& r = layer.decision;
    TraceBatch::Layer traced{r.top_experts.cpu(), r.top_weights.cpu(), record_or_empty(r, kDecisionsRecord),
                             record_or_empty(r, kSplitValuesRecord), record_or_empty(r, kLeafProbsRecord), {}, {}, {}};
    if (neuron_threshold) {
      const NeuronRows rows = sparse_neurons(r.record(kNeuronActivationsRecord), r.top_experts, *neuron_threshold);
      traced.neuron_offsets = rows.offsets;
      traced.neurons = rows.neurons;
      traced.neuron_activations = rows.activations;
    }
    batch.layers.push_back(std::move(traced));
  }
}

TraceBatch infer_batch(Experiment& ex, MixturePredictor& student, const torch::Tensor& x, const torch::Tensor& truth,
                       const std::vector<std::string>& splits, const Dataset& data, int64_t begin, int64_t end,
                       torch::Device device, bool with_teacher, bool with_baselines, const torch::Tensor& cached_teacher,
                       std::optional<double> neuron_threshold) {
  TraceBatch batch;
  batch.first_sample = begin;
  batch.splits.assign(splits.begin() + begin, splits.begin() + end);
  batch.source_lines.assign(data.features.source_lines.begin() + begin, data.features.source_lines.begin() + end);
  batch.inputs = x.slice(0, begin, end);
  batch.labels = truth.slice(0, begin, end);
  run_student(ex, student, batch, device, with_teacher, with_baselines,
              cached_teacher.defined() ? cached_teacher.slice(0, begin, end) : torch::Tensor(), neuron_threshold);
  return batch;
}

// Inference of the next batch overlaps the store's writing of the current one.
TraceResult trace_rows(TraceStore& store, int64_t run_id, LoadedRun& run, const std::vector<std::string>& splits,
                       const Dataset& data, torch::Device device, const TraceOptions& options, const TraceCallback& progress,
                       const std::atomic<bool>* cancel) {
  Experiment& ex = run.experiment;
  MixturePredictor& student = mixture_student(run);
  student.to(device);
  student.eval();
  const bool classification = ex.preprocessor.task() == TaskKind::Classification;
  const torch::Tensor x = ex.preprocessor.encode_features(data);
  const torch::Tensor truth = classification ? torch::tensor(data.labels, torch::kLong) : torch::tensor(data.targets, torch::kDouble);
  const RunSummary summary = store.run(run_id);
  const int64_t total = summary.end_sample();  // rows first_sample .. total - 1 of the data: all of it or one shard
  const torch::Tensor cached_teacher = options.teacher ? ex.teacher_cache.outputs_for(x) : torch::Tensor();
  const std::optional<double> threshold = neuron_threshold_for(student, options);
  const auto infer = [&](int64_t begin) {
    return std::async(std::launch::async, [&, begin] {
      return infer_batch(ex, student, x, truth, splits, data, begin, std::min(total, begin + options.batch_size), device, options.teacher,
                         options.baselines, cached_teacher, threshold);
    });
  };
  TraceResult result{run_id, false};
  int64_t begin = summary.first_sample + summary.traced_samples;
  std::future<TraceBatch> next = begin < total ? infer(begin) : std::future<TraceBatch>();
  for (; begin < total; begin += options.batch_size) {
    if (cancel && cancel->load()) {
      result.cancelled = true;
      return result;
    }
    TraceBatch batch = next.get();
    if (begin + options.batch_size < total) next = infer(begin + options.batch_size);
    append_batch(store, run_id, batch);
    const int64_t positions = batch.token_values.defined() ? batch.token_values.ge(0).sum().item<int64_t>() : batch.size();
    result.records += positions * static_cast<int64_t>(batch.layers.size());
    if (progress) progress({begin + batch.size() - summary.first_sample, summary.total_samples, {}});
  }
  store_expert_tensors(store, run_id, student);
  if (threshold) summarize_neurons(store, run_id, student, x, device, *threshold, classification);
  if (options.embeddings && options.shard.whole() && student.routed_tokens() == 1) {
    const auto report = [&](const std::string& stage, int64_t done, int64_t steps) {
      if (progress) progress({done, steps, stage});
    };
    if (!store_layer_embeddings(store, run_id, student, x, device, options.embedding, report, cancel)) {
      result.cancelled = true;
      return result;
    }
  }
  store.finish_run(run_id);
  return result;
}

}  // namespace

TraceResult trace_run(TraceStore& store, LoadedRun& run, const std::string& run_directory, const std::string& data_source,
                      const Dataset& data, torch::Device device, const TraceOptions& options, const TraceCallback& progress,
                      const std::atomic<bool>* cancel) {
  const int64_t id = store.begin_run(describe_run(run, run_directory, data_source, data, options));
  return trace_rows(store, id, run, sample_splits(run, data_source, data), data, device, options, progress, cancel);
}

TraceResult resume_trace(TraceStore& store, int64_t run_id, LoadedRun& run, const Dataset& data, torch::Device device,
                         const TraceOptions& options, const TraceCallback& progress, const std::atomic<bool>* cancel) {
  const RunSummary summary = store.run(run_id);
  if (summary.complete()) throw StoreError(store.path() + ": run " + std::to_string(run_id) + " is already complete");
  TraceOptions continued = options;
  try {
    continued.shard = summary.shard.empty() ? Shard{} : parse_shard(summary.shard);
  } catch (const std::invalid_argument& e) {
    throw StoreError(store.path() + ": run " + std::to_string(run_id) + ": " + e.what() + "; the store is damaged");
  }
  const Shard& shard = continued.shard;
  if (shard.rows(data.rows()) != std::pair{summary.first_sample, summary.end_sample()})
    throw StoreError(store.path() + ": run " + std::to_string(run_id) + " traces samples " + std::to_string(summary.first_sample) + ".." +
                     std::to_string(summary.end_sample() - 1) + (shard.whole() ? "" : " (shard " + shard.text() + ")") + " but " +
                     summary.data_source + " now has " + std::to_string(data.rows()) + " rows");
  return trace_rows(store, run_id, run, sample_splits(run, summary.data_source, data), data, device, continued, progress, cancel);
}

SampleTrace trace_inputs(LoadedRun& run, const SampleTrace& like, const std::vector<float>& inputs, torch::Device device) {
  MixturePredictor& student = mixture_student(run);
  student.to(device);
  student.eval();
  TraceBatch batch;
  batch.inputs = torch::tensor(inputs, torch::kFloat).unsqueeze(0);
  run_student(run.experiment, student, batch, device, /*with_teacher=*/false, /*with_baselines=*/false);
  SampleTrace trace = like;
  trace.inputs = inputs;
  trace.prediction = batch.predictions[0].item<double>();
  trace.confidence = batch.confidences.defined() ? batch.confidences[0].item<double>() : std::nan("");
  trace.has_teacher = false;
  trace.layers.clear();
  trace.tokens.clear();
  const auto to_vector = [](const torch::Tensor& t, int64_t row, auto type) {
    const torch::Tensor flat = t[row].flatten().contiguous().to(c10::CppTypeToScalarType<decltype(type)>::value);
    return std::vector<decltype(type)>(flat.data_ptr<decltype(type)>(), flat.data_ptr<decltype(type)>() + flat.numel());
  };
  // Row `row` of every layer (a position of the sample; padding has expert -1).
  const auto layers_of = [&](int64_t row) {
    std::vector<LayerTrace> layers;
    for (const TraceBatch::Layer& layer : batch.layers) {
      LayerTrace l;
      l.experts = to_vector(layer.experts, row, int32_t{});
      l.expert = l.experts.front();
      l.weights = to_vector(layer.weights, row, float{});
      l.decisions = to_vector(layer.decisions, row, float{});
      l.split_values = to_vector(layer.split_values, row, float{});
      const auto [probs, leaves] = layer.leaf_probs.max(-1);
      l.leaves = to_vector(leaves, row, int32_t{});
      l.leaf_probs = to_vector(probs, row, float{});
      layers.push_back(std::move(l));
    }
    return layers;
  };
  if (!batch.token_values.defined()) {
    trace.layers = layers_of(0);
    return trace;
  }
  for (int64_t position = 0; position < batch.tokens; ++position) {
    const int64_t value = batch.token_values[0][position].item<int64_t>();
    if (value >= 0) trace.tokens.push_back({position, value, layers_of(position)});
  }
  trace.layers = trace.tokens.front().layers;
  return trace;
}

}  // namespace ndtmoe
