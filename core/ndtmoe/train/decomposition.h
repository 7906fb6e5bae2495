#pragma once
// Layer decomposition (`ndtmoe decompose`): a dense layer of a trained model — the teacher's
// feed-forward blocks, the MLP baseline's hidden layer — is replaced by a sparse stand-in trained on the
// layer's own inputs and outputs with the layer frozen (the Mixture of Decoders paper's workflow). The
// stand-in is spliced back, and the report puts its reconstruction error and the spliced model's task
// metric beside the original model's and the model with the layer zero-ablated. The transcoder and the
// skip transcoder are trained beside it at the same parameter count.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "ndtmoe/model/sparse_replacement.h"
#include "ndtmoe/train/experiment.h"

namespace ndtmoe {

struct DecompositionOptions {
  std::string layer;                // "<model>.<dense layer>", e.g. "teacher.block1.ffn" (decomposable_layers)
  std::string family = "mxd";       // of the sparse stand-in
  int64_t k = 8;                    // experts per row (and active units of the transcoders)
  int64_t experts = 0;              // 0: mxd fills the budget; other families take 16
  int64_t hidden = 0;               // 0: 4 × the layer's width for mxd; other families fill the budget
  nlohmann::json family_options = nlohmann::json::object();
  int64_t budget_width = 32;        // the budget: a transcoder of budget_width × the layer's input width
  bool baselines = true;            // train the transcoder and skip transcoder too
  int64_t epochs = 10;
  int64_t batch_size = 256;
  double lr = 1e-3;                 // Adam, linear warm-up over the first 5% of steps, cosine decay
  int64_t max_rows = 100000;        // activation rows kept for fitting (a random subset, seeded)
  uint64_t seed = 0;
};

struct ReplacementResult {
  ReplacementSpec spec;
  int64_t parameters = 0;
  double normalized_mse = 0;        // mean over test rows of ‖ŷ − y‖² / ‖y‖² (zero-ablation: 1)
  double metric = 0;                // the task metric of the model with the stand-in spliced in
  double dead_experts = 0;          // share of experts no test row selects (families only)
  double busiest_expert = 0;        // share of test rows that select the most used expert (families only)
  double expert_rank = 0;           // mxd: mean normalised rank of W_n over the 16 most used experts (1: full)
  SparseReplacement module{nullptr};
};

struct DecompositionResult {
  std::string layer, metric_name;   // metric: "accuracy", or "rmse" for regression
  DenseLayer dense;
  double original_metric = 0, ablated_metric = 0;
  int64_t fit_rows = 0, test_rows = 0;  // activation rows (tokens for a per-token layer)
  std::vector<ReplacementResult> replacements;  // the stand-in first, then the baselines
  bool cancelled = false;
  nlohmann::json to_json() const;
};

struct DecompositionProgress {
  std::string replacement;
  int64_t step = 0, steps = 0;
  double loss = 0;
};
using DecompositionCallback = std::function<void(const DecompositionProgress&)>;

// "<model>.<layer>" for every dense layer of the experiment's models.
std::vector<std::pair<std::string, DenseLayer>> decomposable_layers(const Experiment& experiment);

// `train` supplies the activations to fit, `test` the reconstruction error and the metrics. Throws
// std::invalid_argument for an unknown layer or impossible sizes, TrainingDiverged when a fit diverges
// (non-finite loss, naming the stand-in and the step). The models are left as they were.
DecompositionResult decompose_layer(Experiment& experiment, const Dataset& train, const Dataset& test, const DecompositionOptions& options,
                                    torch::Device device, const DecompositionCallback& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

inline constexpr const char* kDecompositionFile = "decomposition.json";

// Writes decomposition.json (the report, the options, the run directory and each weight file's SHA-256)
// and one <kind>.pt of weights per stand-in into `directory`, each file whole or not at all.
void save_decomposition(const std::string& directory, const DecompositionResult& result, const DecompositionOptions& options,
                        const std::string& run_directory);

// The experiment's model called `name` ("teacher", "student", "mlp", "moe"), or null.
PredictorPtr model_named(const Experiment& experiment, const std::string& name);

// Mean over rows of ‖prediction − target‖² / ‖target‖².
double normalized_mse(const torch::Tensor& prediction, const torch::Tensor& target);

}  // namespace ndtmoe
