#pragma once
// One training loop for every model: AdamW, linear warm-up then cosine decay, gradient clipping,
// early stopping on a validation split (the best weights are restored), optional distillation from
// precomputed teacher outputs, progress reports, cancellation, and NaN/Inf detection.

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <torch/torch.h>

#include "ndtmoe/train/distillation_loss.h"
#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

struct TrainOptions {
  int64_t epochs = 100;
  int64_t batch_size = 64;
  double lr = 3e-3;
  double weight_decay = 1e-4;
  double warmup_fraction = 0.05;
  int64_t patience = 20;       // epochs without validation improvement before stopping; 0 disables
  double clip_norm = 1.0;      // 0 disables clipping
  int64_t log_every = 10;      // steps between progress reports (epoch ends always report)
  LossWeights loss;
  uint64_t seed = 0;
  int64_t hidden_target_width = 0;  // teacher hidden width for hidden matching; 0 disables it
};

// A random transformation of one training batch's inputs (data augmentation); draws from the generator.
using BatchAugmentation = std::function<torch::Tensor(const torch::Tensor& x, torch::Generator& generator)>;

// Tensors on any device; they are moved to the model's device in batches.
struct TrainingSet {
  torch::Tensor x, y;
  torch::Tensor teacher_output;  // optional [n, out]
  torch::Tensor teacher_hidden;  // optional [n, width], for hidden-state matching
  BatchAugmentation augment;     // optional; applied to training batches only, never to validation
  int64_t size() const { return x.size(0); }
};

struct TrainProgress {
  std::string model;
  int64_t epoch = 0, epochs = 0, step = 0, total_steps = 0;
  bool epoch_end = false;
  double lr = 0, samples_per_s = 0;
  std::map<std::string, double> losses;   // mean over the steps since the last report
  std::map<std::string, double> metrics;  // validation metrics, epoch ends only
};

using ProgressCallback = std::function<void(const TrainProgress&)>;

// Raised when a loss becomes NaN or infinite; the message names the model, step and loss term.
class TrainingDiverged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TrainResult {
  std::vector<TrainProgress> log;  // every report, in order
  int64_t best_epoch = 0;
  double best_validation_loss = 0;
  int64_t epochs_run = 0;
  bool stopped_early = false;
  bool cancelled = false;
};

class ProcessGroup;

// A trainer's saved progress (STEM.trainer.json), checked: counts are whole and not negative, the best
// loss a number (-1 for none yet). Errors are DataErrors naming `path`. (Fuzzed: tests/fuzz.)
struct TrainerState {
  int64_t epoch = 0, step = 0, best_epoch = 0, epochs_without_improvement = 0;
  double best_loss = -1;
};
TrainerState parse_trainer_state(const std::string& text, const std::string& path);

class Trainer {
 public:
  Trainer(PredictorPtr model, TaskKind task, TrainOptions options, torch::Device device, std::string name);

  TrainResult fit(const TrainingSet& train, const TrainingSet& validation, const ProgressCallback& progress = {},
                  const std::atomic<bool>* cancel = nullptr);

  // Optimizer and schedule state, so a resumed run continues where it stopped.
  void save_state(const std::string& directory, const std::string& stem) const;
  void load_state(const std::string& directory, const std::string& stem);
  int64_t completed_epochs() const { return epoch_; }
  // Raises the epoch budget of a resumed run (the cosine schedule is recomputed over the new total).
  void extend_to(int64_t epochs) { options_.epochs = epochs; }

 private:
  double scheduled_lr(int64_t step, int64_t total_steps) const;
  double validation_loss(const TrainingSet& validation, std::map<std::string, double>* metrics);
  [[noreturn]] void throw_diverged(const LossTerms& loss, double total) const;
  // Weights that became NaN or infinite make a forward pass fail inside libtorch (a NaN router picks
  // expert -1) before any loss is seen: called where that failure is caught, it reports divergence.
  void throw_if_weights_diverged() const;
  std::vector<torch::Tensor> trained_parameters() const;  // what the optimizer updates
  // Data-parallel (distributed.h): rank 0's parameters and buffers everywhere; the gradients of the
  // global batch from each rank's share (returns the global loss, NaN when a rank's is not finite);
  // a check that the replicas are still one model.
  void synchronize_replicas(ProcessGroup& group);
  double average_gradients(ProcessGroup& group, double share, double total);
  void check_replicas(ProcessGroup& group) const;

  PredictorPtr model_;
  TaskKind task_;
  TrainOptions options_;
  torch::Device device_;
  std::string name_;
  torch::nn::Linear hidden_projection_{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<torch::Tensor> best_state_;  // parameters and buffers at the best validation loss
  int64_t epoch_ = 0, step_ = 0, best_epoch_ = 0, epochs_without_improvement_ = 0;
  double best_loss_ = std::numeric_limits<double>::infinity();
};

// Batched inference in eval mode without gradients; returns outputs on the CPU.
torch::Tensor predict(Predictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size = 1024);
// The same in one of the model's prediction modes (Predictor::prediction_modes); the model is back in
// its default mode afterwards, also when inference throws.
torch::Tensor predict_in_mode(Predictor& model, const std::string& mode, const torch::Tensor& x, torch::Device device, int64_t batch_size = 1024);
// The same, returning the hidden representation instead of the output.
torch::Tensor predict_hidden(Predictor& model, const torch::Tensor& x, torch::Device device, int64_t batch_size = 1024);

// "auto" (CUDA when available), "cpu" or "cuda"; a clear error when CUDA is asked for but absent.
torch::Device resolve_device(const std::string& name);

}  // namespace ndtmoe
