#include "ndtmoe/train/decomposition.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/sha256.h"
#include "ndtmoe/model/mxd_family.h"
#include "ndtmoe/model/spliced_model.h"
#include "ndtmoe/train/metrics.h"
#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/train/trainer.h"

namespace ndtmoe {

namespace {

struct Activations {
  torch::Tensor inputs, outputs;  // [R, in], [R, out] on the CPU
};

Activations collect(Predictor& model, const std::string& layer, const torch::Tensor& x, torch::Device device) {
  std::vector<torch::Tensor> inputs, outputs;
  ScopedLayerOverride capture(model, layer, [&](const torch::Tensor& in, const torch::Tensor& out) {
    inputs.push_back(in.detach().to(torch::kCPU));
    outputs.push_back(out.detach().to(torch::kCPU));
    return out;
  });
  predict(model, x, device);
  return {torch::cat(inputs), torch::cat(outputs)};
}

// The task metric of `model_name`'s outputs on encoded rows `x` against encoded targets `y`.
double task_metric(Experiment& ex, const std::string& model_name, const torch::Tensor& x, const torch::Tensor& y, torch::Device device) {
  torch::Tensor outputs = model_name == "teacher" ? ex.teacher_outputs(x, device) : predict(*model_named(ex, model_name), x, device);
  const TaskKind task = ex.preprocessor.task();
  const bool regression = task == TaskKind::Regression;
  const auto metrics = compute_metrics(regression ? ex.preprocessor.restore_target(outputs) : outputs,
                                       regression ? ex.preprocessor.restore_target(y) : y, task);
  return metrics.at(regression ? "rmse" : "accuracy");
}

double learning_rate(double peak, int64_t step, int64_t steps) {
  const int64_t warmup = std::max<int64_t>(1, steps / 20);
  if (step < warmup) return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
  const double progress = static_cast<double>(step - warmup) / static_cast<double>(std::max<int64_t>(1, steps - warmup));
  return peak * 0.5 * (1 + std::cos(M_PI * progress));
}

// Fits `replacement` to the layer's outputs; false when cancelled.
bool fit(SparseReplacement& replacement, const Activations& fit_rows, const DecompositionOptions& o, torch::Device device,
         const DecompositionCallback& progress, const std::atomic<bool>* cancel) {
  const std::string name = replacement->spec().kind;
  const int64_t rows = fit_rows.inputs.size(0), batches = (rows + o.batch_size - 1) / o.batch_size, steps = o.epochs * batches;
  torch::optim::Adam optimizer(replacement->parameters(), torch::optim::AdamOptions(o.lr));
  replacement->train();
  int64_t step = 0;
  for (int64_t epoch = 0; epoch < o.epochs; ++epoch) {
    const torch::Tensor order = torch::randperm(rows, torch::kLong);
    for (int64_t b = 0; b < batches; ++b, ++step) {
      if (cancel && cancel->load()) return false;
      const torch::Tensor index = order.narrow(0, b * o.batch_size, std::min(o.batch_size, rows - b * o.batch_size));
      const torch::Tensor x = fit_rows.inputs.index_select(0, index).to(device), y = fit_rows.outputs.index_select(0, index).to(device);
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate(o.lr, step, steps));
      torch::Tensor loss = normalized_reconstruction_loss(replacement->forward(x), y);
      const double value = loss.item<double>();
      if (!std::isfinite(value))
        throw TrainingDiverged("fitting the " + name + " stand-in diverged at step " + std::to_string(step + 1) + " of " +
                                 std::to_string(steps) + " (loss " + std::to_string(value) + "); try a lower --lr");
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      if (progress && (step % 50 == 0 || step + 1 == steps)) progress({name, step + 1, steps, value});
    }
  }
  replacement->eval();
  return true;
}

torch::Tensor replace_rows(SparseReplacement& replacement, const torch::Tensor& x, int64_t batch_size = 4096) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += batch_size) parts.push_back(replacement->forward(x.narrow(0, start, std::min(batch_size, x.size(0) - start))));
  return torch::cat(parts);
}

// The paper's check that the experts keep full rank: rank(W_n) / min(H, d) by singular values above the
// usual tolerance, averaged over the most used experts.
double mean_normalized_rank(const MixtureOfDecodersBank& bank, const torch::Tensor& rows_per_expert) {
  const torch::Tensor most_used = std::get<1>(rows_per_expert.topk(std::min<int64_t>(16, rows_per_expert.size(0))));
  double sum = 0;
  for (int64_t i = 0; i < most_used.size(0); ++i) {
    const torch::Tensor w = bank.expert_weights(most_used[i].item<int64_t>()).detach().to(torch::kCPU, torch::kDouble);
    const torch::Tensor singular = torch::linalg_svdvals(w);
    const double tolerance = singular.max().item<double>() * static_cast<double>(std::max(w.size(0), w.size(1))) * std::numeric_limits<float>::epsilon();
    sum += singular.gt(tolerance).sum().item<double>() / static_cast<double>(std::min(w.size(0), w.size(1)));
  }
  return sum / static_cast<double>(most_used.size(0));
}

void expert_usage(ReplacementResult& r, const torch::Tensor& test_inputs, torch::Device device) {
  MoELayer moe = r.module->moe();
  if (!moe) return;
  torch::NoGradGuard no_grad;
  const int64_t n = moe->options().experts;
  torch::Tensor rows_per_expert = torch::zeros({n}, torch::kLong);
  for (int64_t start = 0; start < test_inputs.size(0); start += 4096) {
    const torch::Tensor x = test_inputs.narrow(0, start, std::min<int64_t>(4096, test_inputs.size(0) - start)).to(device);
    rows_per_expert += moe->forward(x, x).expert_counts.to(torch::kCPU);
  }
  r.dead_experts = rows_per_expert.eq(0).to(torch::kDouble).mean().item<double>();
  r.busiest_expert = rows_per_expert.max().item<double>() / static_cast<double>(std::max<int64_t>(1, test_inputs.size(0)));
  if (const auto* decoders = dynamic_cast<const MixtureOfDecodersBank*>(&moe->experts())) r.expert_rank = mean_normalized_rank(*decoders, rows_per_expert);
}

}  // namespace

PredictorPtr model_named(const Experiment& ex, const std::string& name) {
  if (name == "student") return ex.student;
  if (name == "teacher") return ex.teacher;
  if (name == "mlp") return ex.mlp;
  if (name == "moe") return ex.moe;
  return nullptr;
}

double normalized_mse(const torch::Tensor& prediction, const torch::Tensor& target) {
  const torch::Tensor p = prediction.to(torch::kDouble), t = target.to(torch::kDouble);
  return ((p - t).pow(2).sum(-1) / t.pow(2).sum(-1).clamp_min(1e-12)).mean().item<double>();
}

std::vector<std::pair<std::string, DenseLayer>> decomposable_layers(const Experiment& ex) {
  std::vector<std::pair<std::string, DenseLayer>> all;
  for (const std::string model : {"teacher", "student", "mlp", "moe"})
    if (PredictorPtr p = model_named(ex, model))
      for (DenseLayer layer : p->dense_layers()) all.emplace_back(model + "." + layer.name, std::move(layer));
  return all;
}

DecompositionResult decompose_layer(Experiment& ex, const Dataset& fit_data, const Dataset& test_data, const DecompositionOptions& o, torch::Device device,
                                    const DecompositionCallback& progress, const std::atomic<bool>* cancel) {
  if (o.k < 1 || o.epochs < 1 || o.batch_size < 1 || o.max_rows < 1 || !(o.lr > 0) || o.budget_width < 1)
    throw std::invalid_argument("decompose: k, epochs, batch size, rows and budget width must be at least 1 and the learning rate positive");
  DecompositionResult result;
  result.layer = o.layer;
  std::string known;
  for (const auto& [name, layer] : decomposable_layers(ex)) {
    if (name == o.layer) result.dense = layer;
    known += (known.empty() ? "" : ", ") + name;
  }
  if (result.dense.name.empty())
    throw std::invalid_argument("no dense layer '" + o.layer + "' in this run (" + (known.empty() ? "it has none" : "its dense layers: " + known) + ")");
  const std::string model_name = o.layer.substr(0, o.layer.find('.'));
  Predictor& model = *model_named(ex, model_name);
  if (fit_data.rows() == 0 || test_data.rows() == 0) throw std::invalid_argument("decompose needs training rows to fit and test rows to evaluate");
  const torch::Tensor fit_x = ex.preprocessor.encode_features(fit_data), test_x = ex.preprocessor.encode_features(test_data);
  const torch::Tensor test_y = ex.preprocessor.encode_targets(test_data);
  result.metric_name = ex.preprocessor.task() == TaskKind::Regression ? "rmse" : "accuracy";

  torch::manual_seed(o.seed);
  Activations fit_rows = collect(model, result.dense.name, fit_x, device);
  if (fit_rows.inputs.size(0) > o.max_rows) {
    const torch::Tensor keep = torch::randperm(fit_rows.inputs.size(0), torch::kLong).narrow(0, 0, o.max_rows);
    fit_rows = {fit_rows.inputs.index_select(0, keep), fit_rows.outputs.index_select(0, keep)};
  }
  const Activations test_rows = collect(model, result.dense.name, test_x, device);
  result.fit_rows = fit_rows.inputs.size(0);
  result.test_rows = test_rows.inputs.size(0);
  result.original_metric = task_metric(ex, model_name, test_x, test_y, device);
  {
    ScopedLayerOverride ablated(model, result.dense.name, [](const torch::Tensor&, const torch::Tensor& out) { return torch::zeros_like(out); });
    result.ablated_metric = task_metric(ex, model_name, test_x, test_y, device);
  }

  const int64_t in = result.dense.inputs, out = result.dense.outputs;
  const int64_t budget = transcoder_parameters(in, out, o.budget_width * in);
  ReplacementSpec main{o.family, in, out, o.k, o.experts, o.hidden, o.family_options};
  if (o.family == "mxd") {
    if (main.hidden == 0) main.hidden = 4 * in;
    if (main.experts == 0) main = parameter_matched(main, budget);
  } else {
    if (main.experts == 0) main.experts = 16;
    if (main.hidden == 0) main = parameter_matched(main, budget);
  }
  std::vector<ReplacementSpec> specs{main};
  if (o.baselines)
    for (const std::string kind : {"transcoder", "skip-transcoder"}) specs.push_back(parameter_matched({kind, in, out, o.k, 0, 0, {}}, budget));

  for (const ReplacementSpec& spec : specs) {
    torch::manual_seed(o.seed);
    ReplacementResult r;
    r.module = SparseReplacement(spec);
    r.module->start_at_mean(fit_rows.outputs.mean(0));
    r.module->to(device);
    r.spec = r.module->spec();
    r.parameters = r.module->parameter_count();
    if (!fit(r.module, fit_rows, o, device, progress, cancel)) {
      result.cancelled = true;
      return result;
    }
    r.normalized_mse = normalized_mse(replace_rows(r.module, test_rows.inputs.to(device)).to(torch::kCPU), test_rows.outputs);
    {
      SparseReplacement stand_in = r.module;
      ScopedLayerOverride spliced(model, result.dense.name, [stand_in](const torch::Tensor& in_rows, const torch::Tensor&) mutable { return stand_in->forward(in_rows); });
      r.metric = task_metric(ex, model_name, test_x, test_y, device);
    }
    expert_usage(r, test_rows.inputs, device);
    result.replacements.push_back(std::move(r));
  }
  return result;
}

nlohmann::json DecompositionResult::to_json() const {
  nlohmann::json models = nlohmann::json::array();
  for (const ReplacementResult& r : replacements) {
    nlohmann::json j{{"spec", r.spec.to_json()}, {"parameters", r.parameters}, {"normalized_mse", r.normalized_mse}, {metric_name, r.metric}};
    if (r.module && r.module->moe()) j.update({{"dead_experts", r.dead_experts}, {"busiest_expert", r.busiest_expert}});
    if (r.spec.kind == "mxd") j["expert_rank"] = r.expert_rank;
    models.push_back(std::move(j));
  }
  return {{"layer", layer},
          {"inputs", dense.inputs},
          {"outputs", dense.outputs},
          {"per_token", dense.per_token},
          {"metric", metric_name},
          {"original", {{metric_name, original_metric}}},
          {"zero_ablated", {{metric_name, ablated_metric}, {"normalized_mse", 1.0}}},
          {"fit_rows", fit_rows},
          {"test_rows", test_rows},
          {"replacements", models}};
}

void save_decomposition(const std::string& directory, const DecompositionResult& result, const DecompositionOptions& o,
                        const std::string& run_directory) {
  std::filesystem::create_directories(directory);
  for (const ReplacementResult& r : result.replacements)
    write_atomically(directory + "/" + r.spec.kind + ".pt", [&](const std::string& tmp) {
      torch::serialize::OutputArchive archive;
      r.module->save(archive);
      archive.save_to(tmp);
    });
  nlohmann::json j = result.to_json();
  j["run"] = std::filesystem::absolute(run_directory).lexically_normal().string();
  j["options"] = {{"layer", o.layer}, {"family", o.family}, {"k", o.k}, {"epochs", o.epochs}, {"batch_size", o.batch_size},
                  {"lr", o.lr}, {"max_rows", o.max_rows}, {"budget_width", o.budget_width}, {"seed", o.seed}};
  nlohmann::json checksums = nlohmann::json::object();
  for (const ReplacementResult& r : result.replacements) checksums[r.spec.kind + ".pt"] = sha256_file(directory + "/" + r.spec.kind + ".pt");
  j["checksums"] = checksums;
  write_text_atomically(directory + "/" + kDecompositionFile, j.dump(2) + "\n");
}

}  // namespace ndtmoe
