#include "demo_job.h"

#include <filesystem>

#include "ndtmoe/train/defaults.h"
#include "ndtmoe/explain/explain.h"
#include "ndtmoe/trace/tracer.h"

namespace ndtmoe::workbench {

bool build_demo_store(const std::string& directory, const std::string& store_path, const std::function<void(const DemoProgress&)>& progress,
                      const std::atomic<bool>& cancel) {
  std::filesystem::create_directories(directory);
  const DemoSetup demo = demo_setup();  // the same run as `ndtmoe demo`
  const DataDescription& description = demo.data;
  const Dataset data = description.load();
  ExperimentConfig config = demo.config;
  config.device = "auto";
  // Training is ~90% of the job; the weights of the stages follow their typical durations.
  const auto on_progress = [&](const ExperimentProgress& p) {
    const double within = p.training && p.training->total_steps > 0 ? static_cast<double>(p.training->step) / static_cast<double>(p.training->total_steps) : 0.0;
    const double start = p.stage == "teacher" ? 0.0 : 0.5;
    progress({p.stage == "teacher" ? "training the teacher" : "distilling the student", start + 0.45 * within});
  };
  Experiment ex = run_experiment(data, description.split(data), config, on_progress, &cancel);
  if (ex.cancelled || cancel) return false;
  const std::string run_directory = directory + "/run";
  save_run(run_directory, ex, description);
  LoadedRun run = load_run(run_directory, config.device);
  std::filesystem::remove(store_path);
  TraceStore store(store_path);
  TraceOptions options;
  options.name = "demo: rule-tree";
  const TraceResult traced = trace_run(store, run, run_directory, description.source, data, resolve_device(config.device), options,
                                       [&](const TraceProgress& p) {
                                         const double within = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0;
                                         progress({p.stage.empty() ? "tracing" : "embeddings", (p.stage.empty() ? 0.95 : 0.975) + 0.025 * within});
                                       },
                                       &cancel);
  if (traced.cancelled) return false;
  // Explanations for the importance view.
  ExplainOptions permutation;
  permutation.method = "permutation";
  permutation.device = config.device;
  explain(store, traced.run, permutation);
  ExplainOptions gradients;
  gradients.method = "integrated-gradients";
  gradients.max_samples = 200;
  gradients.device = config.device;
  explain(store, traced.run, gradients);
  return true;
}

}  // namespace ndtmoe::workbench
