#include <chrono>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "interrupt.h"
#include "ndtmoe/trace/tracer.h"
#include "ndtmoe/train/decomposed_run.h"
#include "progress_line.h"

namespace ndtmoe::cli {

namespace {

struct TraceFlags {
  std::string run, data, store, name, device = "auto", neurons = "auto", shard;
  double neuron_threshold = 0.0;
  int64_t resume = -1, remove = -1, batch_size = TraceOptions{}.batch_size, embedding_samples = EmbeddingOptions{}.samples;
  bool no_teacher = false, no_baselines = false, no_embeddings = false, json = false;
};

void trace(const TraceFlags& flags) {
  TraceStore store(flags.store);
  if (flags.remove >= 0) {
    store.delete_run(flags.remove);
    std::cout << "Deleted run " << flags.remove << " from " << flags.store << "\n";
    return;
  }
  std::string run_directory = flags.run, data_source = flags.data;
  if (flags.resume >= 0) {
    const RunSummary summary = store.run(flags.resume);
    run_directory = summary.run_directory;
    data_source = summary.data_source;
  } else if (run_directory.empty()) {
    throw UsageError("trace needs --run RUN_DIR (or --resume ID or --delete ID)");
  }
  LoadedRun run = load_traced_run(run_directory, flags.device);
  if (data_source.empty()) data_source = run.data.source;
  const Dataset data = load_data_for_run(run, data_source);
  const torch::Device device = resolve_device(flags.device);
  TraceOptions options;
  options.name = flags.name;
  options.batch_size = flags.batch_size;
  options.teacher = !flags.no_teacher;
  options.baselines = !flags.no_baselines;
  if (flags.neurons != "auto") options.neurons = flags.neurons == "on";
  options.neuron_threshold = flags.neuron_threshold;
  if (!flags.shard.empty()) options.shard = parse_shard(flags.shard);
  options.embeddings = !flags.no_embeddings;
  options.embedding.samples = flags.embedding_samples;

  ProgressLine line;
  const auto start = std::chrono::steady_clock::now();
  const auto progress = [&](const TraceProgress& p) {
    if (!p.stage.empty()) {
      line.show(p.stage == kEmbeddingsDone ? std::string("[trace] embeddings stored")
                                           : "[trace] embeddings, " + p.stage + ": step " + std::to_string(p.done) + "/" + std::to_string(p.total),
                p.stage == kEmbeddingsDone);
      return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    line.show("[trace] " + std::to_string(p.done) + "/" + std::to_string(p.total) + " samples, " +
                  std::to_string(static_cast<int64_t>(p.done / std::max(seconds, 1e-9))) + " samples/s",
              p.done == p.total);
  };
  const std::atomic<bool>& interrupted = cancel_on_interrupt();
  const TraceResult result = flags.resume >= 0 ? resume_trace(store, flags.resume, run, data, device, options, progress, &interrupted)
                                               : trace_run(store, run, run_directory, data_source, data, device, options, progress, &interrupted);
  line.finish();
  if (result.cancelled)
    throw std::runtime_error("cancelled; run " + std::to_string(result.run) + " in " + flags.store +
                             " is incomplete (continue with: ndtmoe trace --store " + flags.store + " --resume " + std::to_string(result.run) + ")");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const RunSummary traced = store.run(result.run);
  if (flags.json) {
    nlohmann::json report{{"store", flags.store}, {"run", result.run}, {"samples", traced.total_samples}, {"seconds", seconds},
                          {"samples_per_s", static_cast<double>(traced.total_samples) / seconds}, {"records", result.records},
                          {"records_per_s", static_cast<double>(result.records) / seconds}};
    if (!traced.shard.empty()) report["shard"] = {{"shard", traced.shard}, {"first_sample", traced.first_sample}};
    std::cout << report.dump() << std::endl;
    return;
  }
  std::cout << "Traced " << traced.total_samples << " samples of " << data_source;
  if (!traced.shard.empty())
    std::cout << " (shard " << traced.shard << ": samples " << traced.first_sample << ".." << traced.end_sample() - 1 << ")";
  std::cout << " into " << flags.store << " as run " << result.run << " (" << seconds << " s)\n";
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto flags = std::make_shared<TraceFlags>();
  CLI::App* cmd = app.add_subcommand("trace", "Record every sample's prediction and routing of a trained run in a SQLite trace store");
  cmd->add_option("--store", flags->store, "Trace store (SQLite file; created when missing)")->required();
  auto* run = cmd->add_option("--run", flags->run, "Run directory written by ndtmoe train --out, or a decomposition written by ndtmoe decompose --out (its stand-in spliced into the run)");
  cmd->add_option("--data", flags->data, "Data to trace (default: the run's own data, with fit/validation/test splits marked)");
  cmd->add_option("--name", flags->name, "Name of the traced run in the store (default: the run directory's name)");
  auto* resume = cmd->add_option("--resume", flags->resume, "Continue the incomplete trace with this run id")->check(non_negative());
  auto* remove = cmd->add_option("--delete", flags->remove, "Delete the run with this id (complete or not) from the store")
                     ->check(non_negative());
  cmd->add_option("--batch-size", flags->batch_size, "Samples per batch and per committed transaction")->check(positive());
  cmd->add_flag("--json", flags->json, "Print one JSON object (run id, samples, seconds) when done");
  cmd->add_flag("--no-teacher", flags->no_teacher, "Do not record teacher predictions (faster with a transformer teacher)");
  cmd->add_flag("--no-baselines", flags->no_baselines, "Do not record the MLP's and the linear-gate MoE's predictions");
  cmd->add_flag("--no-embeddings", flags->no_embeddings, "Do not map each layer's hidden states to 2-D (PCA, t-SNE) after tracing");
  cmd->add_option("--embedding-samples", flags->embedding_samples,
                  "t-SNE and the experts' neighbour agreement use at most this many samples, evenly spaced (0: PCA only)")
      ->check(non_negative());
  cmd->add_option("--neurons", flags->neurons,
                  "Record the neurons of MLP experts (each position's firing units, then a summary per neuron); auto: for moe-x")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  cmd->add_option("--neuron-threshold", flags->neuron_threshold, "An activation above this counts as a neuron firing")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--device", flags->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  auto* shard = cmd->add_option("--shard", flags->shard,
                                "Trace only the i-th of n equal slices of the data (i/n, e.g. 2/4), one per machine; "
                                "join the stores with ndtmoe store merge")
                    ->check([](const std::string& text) {
                      try {
                        parse_shard(text);
                        return std::string();
                      } catch (const std::invalid_argument& e) {
                        return std::string(e.what());
                      }
                    });
  run->excludes(resume)->excludes(remove);
  shard->excludes(resume)->excludes(remove);
  resume->excludes(remove);
  cmd->callback([flags] { trace(*flags); });
}

}  // namespace ndtmoe::cli
