#include "ndtmoe/train/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/table.h"
#include "ndtmoe/train/distributed.h"
#include "ndtmoe/train/metrics.h"

namespace ndtmoe {
namespace {

std::vector<torch::Tensor> state_tensors(torch::nn::Module& module) {
  std::vector<torch::Tensor> tensors;
  for (auto& p : module.named_parameters()) tensors.push_back(p.value());
  for (auto& b : module.named_buffers()) tensors.push_back(b.value());
  return tensors;
}

std::vector<torch::Tensor> snapshot(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> copies;
  for (auto& t : state_tensors(module)) copies.push_back(t.detach().clone());
  return copies;
}

void restore(torch::nn::Module& module, const std::vector<torch::Tensor>& saved) {
  torch::NoGradGuard no_grad;
  auto current = state_tensors(module);
  for (size_t i = 0; i < current.size(); ++i) current[i].copy_(saved[i]);
}

template <typename Fn>
torch::Tensor batched_inference(Predictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size, Fn select) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  std::vector<torch::Tensor> parts;
  for (int64_t start = 0; start < x.size(0); start += batch_size) {
    const int64_t n = std::min(batch_size, x.size(0) - start);
    parts.push_back(select(model.run(x.narrow(0, start, n).to(device))).to(torch::kCPU));
  }
  model.train(was_training);
  return torch::cat(parts);
}

}  // namespace

torch::Tensor predict(Predictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size) {
  return batched_inference(model, x, device, batch_size, [](const PredictorOutput& o) { return o.output; });
}

torch::Tensor predict_in_mode(Predictor& model, const std::string& mode, const torch::Tensor& x, torch::Device device, int64_t batch_size) {
  struct ModeGuard {
    Predictor& model;
    ~ModeGuard() { model.set_prediction_mode(""); }
  };
  model.set_prediction_mode(mode);
  const ModeGuard restore{model};
  return predict(model, x, device, batch_size);
}

torch::Tensor predict_hidden(Predictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size) {
  return batched_inference(model, x, device, batch_size, [](const PredictorOutput& o) { return o.hidden; });
}

torch::Device resolve_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) throw std::runtime_error("device 'cuda' requested but no CUDA device is available to libtorch");
    return torch::kCUDA;
  }
  if (name == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  throw std::invalid_argument("unknown device '" + name + "' (expected auto, cpu or cuda)");
}

Trainer::Trainer(PredictorPtr model, TaskKind task, TrainOptions options, torch::Device device, std::string name)
    : model_(std::move(model)), task_(task), options_(options), device_(device), name_(std::move(name)) {
  model_->to(device_);
  std::vector<torch::Tensor> parameters = model_->parameters();
  if (options_.hidden_target_width > 0 && options_.loss.lambda_h != 0.0) {
    const int64_t width = predict_hidden(*model_, torch::zeros({1, model_->config().in_features}), device_).size(1);
    hidden_projection_ = torch::nn::Linear(width, options_.hidden_target_width);
    hidden_projection_->to(device_);
    for (auto& p : hidden_projection_->parameters()) parameters.push_back(p);
  }
  optimizer_ = std::make_unique<torch::optim::AdamW>(
      parameters, torch::optim::AdamWOptions(options_.lr).weight_decay(options_.weight_decay));
}

double Trainer::scheduled_lr(int64_t step, int64_t total_steps) const {
  const double warmup = std::max<double>(1.0, options_.warmup_fraction * static_cast<double>(total_steps));
  if (static_cast<double>(step) < warmup) return options_.lr * (static_cast<double>(step) + 1) / warmup;
  const double progress = (static_cast<double>(step) - warmup) / std::max(1.0, static_cast<double>(total_steps) - warmup);
  return options_.lr * 0.5 * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
}

double Trainer::validation_loss(const TrainingSet& validation, std::map<std::string, double>* metrics) {
  torch::Tensor outputs;
  try {
    outputs = predict(*model_, validation.x, device_);
  } catch (const c10::Error&) {
    throw_if_weights_diverged();
    throw;
  }
  torch::Tensor y = validation.y.to(torch::kCPU);
  *metrics = compute_metrics(outputs, y, task_);
  return task_loss(outputs, y, task_).item<double>();
}

namespace {

// A module that initialises itself from the first batch it sees flags that with a bool buffer
// `initialized` (NDTRouter); true while one of them is still false.
bool awaits_data_initialization(Predictor& model) {
  for (const auto& buffer : model.named_buffers()) {
    const std::string& name = buffer.key();
    if ((name == "initialized" || (name.size() > 12 && name.compare(name.size() - 12, 12, ".initialized") == 0)) &&
        buffer.value().scalar_type() == torch::kBool && !buffer.value().item<bool>())
      return true;
  }
  return false;
}

}  // namespace

void Trainer::throw_diverged(const LossTerms& loss, double total) const {
  std::string culprits;
  for (const auto& [term, value] : loss.terms)
    if (!std::isfinite(value.item<double>())) culprits += (culprits.empty() ? "'" : ", '") + term + "'";
  if (culprits.empty()) culprits = "'total'";
  throw TrainingDiverged(name_ + ": loss " + culprits + " became " + (std::isnan(total) ? "NaN" : "infinite") + " at step " +
                         std::to_string(step_ + 1) + " (epoch " + std::to_string(epoch_ + 1) + "); lower the learning rate or check the input data");
}

void Trainer::throw_if_weights_diverged() const {
  for (const auto& p : model_->named_parameters())
    if (!torch::isfinite(p.value()).all().item<bool>())
      throw TrainingDiverged(name_ + ": weight '" + p.key() + "' became NaN or infinite by step " + std::to_string(step_) + " (epoch " +
                             std::to_string(epoch_ + 1) + "); lower the learning rate or check the input data");
}

std::vector<torch::Tensor> Trainer::trained_parameters() const {
  std::vector<torch::Tensor> parameters;
  for (const auto& group : optimizer_->param_groups())
    for (const torch::Tensor& p : group.params()) parameters.push_back(p);
  return parameters;
}

void Trainer::synchronize_replicas(ProcessGroup& group) {
  std::vector<torch::Tensor> state = trained_parameters();
  for (const torch::Tensor& buffer : model_->buffers()) state.push_back(buffer);
  group.broadcast(state);
}

double Trainer::average_gradients(ProcessGroup& group, double share, double total) {
  // Each rank's gradient is of the mean over its rows: weighted by its share of the global batch and
  // summed, it is the gradient of the mean over all of them, as one process at the global batch.
  std::vector<torch::Tensor> gradients;
  for (torch::Tensor& p : trained_parameters()) {
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    gradients.push_back(p.mutable_grad().mul_(share));
  }
  // The global loss travels with them, non-finite when any rank's is, so every rank stops together.
  const torch::Tensor loss = torch::tensor({std::isfinite(total) ? share * total : 0.0, std::isfinite(total) ? 0.0 : 1.0}, torch::kDouble);
  gradients.push_back(loss);
  group.sum(gradients);
  return loss[1].item<double>() > 0 ? std::nan("") : loss[0].item<double>();
}

void Trainer::check_replicas(ProcessGroup& group) const {
  torch::NoGradGuard no_grad;
  double checksum = 0;
  for (const torch::Tensor& p : trained_parameters()) checksum += p.to(torch::kDouble).sum().item<double>();
  const double reference = group.broadcast(checksum);
  const double spread = group.sum(std::abs(checksum - reference));
  if (spread > 1e-9 * (1 + std::abs(reference)))
    throw std::runtime_error(name_ + ": the replicas of the ranks differ after epoch " + std::to_string(epoch_) + " (parameter sums differ by " +
                             std::to_string(spread) + ")");
}

TrainResult Trainer::fit(const TrainingSet& train, const TrainingSet& validation, const ProgressCallback& progress,
                         const std::atomic<bool>* cancel) {
  TrainResult result;
  // Data-parallel: every rank takes its `batch` rows of each global batch of world × batch rows.
  ProcessGroup* group = process_group();
  const int64_t world = group ? group->world_size() : 1, rank = group ? group->rank() : 0;
  const int64_t n = train.size(), batch = std::min(options_.batch_size, n), global_batch = std::min(batch * world, n);
  if (n == 0) throw std::invalid_argument(name_ + ": no training rows");
  const int64_t steps_per_epoch = (n + global_batch - 1) / global_batch;  // the last, smaller batch is kept: small data sets need every row
  const int64_t total_steps = steps_per_epoch * options_.epochs;
  const bool distill = train.teacher_output.defined();
  const bool match_hidden = hidden_projection_ && train.teacher_hidden.defined();
  torch::Tensor x_all = train.x.to(device_), y_all = train.y.to(device_);
  torch::Tensor teacher_all = distill ? train.teacher_output.to(device_) : torch::Tensor();
  torch::Tensor hidden_all = match_hidden ? train.teacher_hidden.to(device_) : torch::Tensor();
  torch::Generator generator = at::detail::createCPUGenerator(options_.seed + 7919 * static_cast<uint64_t>(epoch_));

  if (group) synchronize_replicas(*group);
  model_->train();
  // Loss terms are summed on the device and read only when reported: one host sync per step (the
  // NaN check of the total) instead of one per term.
  std::map<std::string, torch::Tensor> running;
  double running_total = 0;
  int64_t running_steps = 0;
  auto clock_start = std::chrono::steady_clock::now();
  int64_t samples_since = 0;
  auto report = [&](bool epoch_end, const std::map<std::string, double>& metrics) {
    TrainProgress p;
    p.model = name_;
    p.epoch = epoch_ + (epoch_end ? 0 : 1);
    p.epochs = options_.epochs;
    p.step = step_;
    p.total_steps = total_steps;
    p.epoch_end = epoch_end;
    p.lr = scheduled_lr(std::max<int64_t>(0, step_ - 1), total_steps);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    p.samples_per_s = seconds > 0 ? static_cast<double>(samples_since) / seconds : 0;
    const double steps = static_cast<double>(std::max<int64_t>(1, running_steps));
    for (auto& [k, v] : running) p.losses[k] = v.item<double>() / steps;
    p.losses["total"] = running_total / steps;
    p.metrics = metrics;
    result.log.push_back(p);
    if (progress) progress(p);
    running.clear();
    running_total = 0;
    running_steps = 0;
  };

  bool first_epoch = true;
  while (epoch_ < options_.epochs) {
    torch::Tensor order = torch::randperm(n, generator, torch::TensorOptions().dtype(torch::kLong)).to(device_);
    if (group && first_epoch && awaits_data_initialization(*model_)) {
      // Data-aware initialisation (NODE's thresholds) reads the first batch: with ranks, all of the
      // global batch on every rank, so the replicas start as one model, the one a lone process starts.
      torch::NoGradGuard no_grad;
      model_->run(x_all.index_select(0, order.narrow(0, 0, global_batch)));
    }
    first_epoch = false;
    for (int64_t s = 0; s < steps_per_epoch; ++s) {
      if (cancel && cancel->load()) { result.cancelled = true; break; }
      const int64_t step_rows = std::min(global_batch, n - s * global_batch);
      const int64_t first = s * global_batch + rank * batch;
      const int64_t batch_rows = std::clamp<int64_t>(s * global_batch + step_rows - first, 0, batch);
      for (auto& g : optimizer_->param_groups())
        static_cast<torch::optim::AdamWOptions&>(g.options()).lr(scheduled_lr(step_, total_steps));
      optimizer_->zero_grad();
      LossTerms loss;
      double total = 0;
      if (batch_rows > 0) {  // a rank past the end of the last global batch contributes nothing
        torch::Tensor idx = order.narrow(0, first, batch_rows);
        torch::Tensor x_batch = x_all.index_select(0, idx);
        if (train.augment) x_batch = train.augment(x_batch, generator);
        PredictorOutput out;
        try {
          out = model_->run(x_batch);
        } catch (const c10::Error&) {
          throw_if_weights_diverged();
          throw;
        }
        torch::Tensor projected = match_hidden ? hidden_projection_->forward(out.hidden) : torch::Tensor();
        loss = distillation_loss(out, y_all.index_select(0, idx), distill ? teacher_all.index_select(0, idx) : torch::Tensor(), projected,
                                 match_hidden ? hidden_all.index_select(0, idx) : torch::Tensor(), task_, options_.loss);
        total = loss.total.item<double>();
        if (!std::isfinite(total) && !group) throw_diverged(loss, total);  // with ranks: after they all know
        loss.total.backward();
      }
      if (group) {
        const double local = total;
        total = average_gradients(*group, static_cast<double>(batch_rows) / static_cast<double>(step_rows), total);
        if (!std::isfinite(local)) throw_diverged(loss, local);
        if (!std::isfinite(total)) throw TrainingDiverged(name_ + ": the loss became NaN or infinite on another rank at step " + std::to_string(step_ + 1));
      }
      if (options_.clip_norm > 0) torch::nn::utils::clip_grad_norm_(model_->parameters(), options_.clip_norm);
      optimizer_->step();
      ++step_;
      samples_since += step_rows;
      running_total += total;
      for (auto& [term, value] : loss.terms) {
        torch::Tensor v = value.detach();
        running[term] = running.count(term) ? running[term] + v : v;
      }
      ++running_steps;
      if (options_.log_every > 0 && step_ % options_.log_every == 0 && s + 1 < steps_per_epoch) report(false, {});
    }
    if (result.cancelled) break;
    ++epoch_;
    std::map<std::string, double> metrics;
    double val_loss = validation.size() > 0 ? validation_loss(validation, &metrics)
                                            : running_total / static_cast<double>(std::max<int64_t>(1, running_steps));
    if (group) {  // rank 0's loss decides early stopping everywhere; the replicas must still be one model
      val_loss = group->broadcast(val_loss);
      check_replicas(*group);
    }
    metrics["val_loss"] = val_loss;
    model_->train();
    report(true, metrics);
    clock_start = std::chrono::steady_clock::now();
    samples_since = 0;
    if (val_loss < best_loss_ - 1e-6) {
      best_loss_ = val_loss;
      best_epoch_ = epoch_;
      epochs_without_improvement_ = 0;
      best_state_ = snapshot(*model_);
    } else if (options_.patience > 0 && ++epochs_without_improvement_ >= options_.patience) {
      result.stopped_early = true;
      break;
    }
  }
  if (!best_state_.empty()) restore(*model_, best_state_);
  model_->eval();
  result.best_epoch = best_epoch_;
  result.best_validation_loss = best_loss_;
  result.epochs_run = epoch_;
  return result;
}

void Trainer::save_state(const std::string& directory, const std::string& stem) const {
  write_atomically(directory + "/" + stem + ".optim.pt", [&](const std::string& tmp) { torch::save(*optimizer_, tmp); });
  nlohmann::json state{{"epoch", epoch_}, {"step", step_}, {"best_epoch", best_epoch_},
                       {"epochs_without_improvement", epochs_without_improvement_},
                       {"best_loss", std::isfinite(best_loss_) ? best_loss_ : -1.0}};
  if (hidden_projection_)
    write_atomically(directory + "/" + stem + ".projection.pt", [&](const std::string& tmp) { torch::save(hidden_projection_, tmp); });
  write_text_atomically(directory + "/" + stem + ".trainer.json", state.dump(2));
}

TrainerState parse_trainer_state(const std::string& text, const std::string& path) {
  TrainerState state;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    const auto count = [&](const char* key) {
      const nlohmann::json& value = j.at(key);
      if (!value.is_number_integer() || value.get<int64_t>() < 0)
        throw DataError(path + ": " + key + " is " + value.dump().substr(0, 40) + ", not a count (damaged trainer state: train the run anew)");
      return value.get<int64_t>();
    };
    state.epoch = count("epoch");
    state.step = count("step");
    state.best_epoch = count("best_epoch");
    state.epochs_without_improvement = count("epochs_without_improvement");
    const nlohmann::json& best = j.at("best_loss");
    if (!best.is_number() || !std::isfinite(best.get<double>()))
      throw DataError(path + ": best_loss is " + best.dump().substr(0, 40) + ", not a number (damaged trainer state: train the run anew)");
    state.best_loss = best.get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": malformed trainer state: " + e.what());
  }
  return state;
}

void Trainer::load_state(const std::string& directory, const std::string& stem) {
  // Mapped onto this trainer's device: a run trained on the CPU may resume on CUDA, and Adam's moments must
  // sit beside the parameters they update.
  if (hidden_projection_) torch::load(hidden_projection_, directory + "/" + stem + ".projection.pt", device_);
  torch::load(*optimizer_, directory + "/" + stem + ".optim.pt", device_);
  const std::string path = directory + "/" + stem + ".trainer.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open trainer state");
  const TrainerState state = parse_trainer_state(std::string(std::istreambuf_iterator<char>(in), {}), path);
  epoch_ = state.epoch;
  step_ = state.step;
  best_epoch_ = state.best_epoch;
  epochs_without_improvement_ = state.epochs_without_improvement;
  best_loss_ = state.best_loss < 0 ? std::numeric_limits<double>::infinity() : state.best_loss;
  best_state_ = snapshot(*model_);  // the checkpointed weights are the best so far
}

}  // namespace ndtmoe
