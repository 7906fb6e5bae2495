#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "ndtmoe/model/cpu_threads.h"
#include "ndtmoe/bench/store_bench.h"
#include "ndtmoe/bench/throughput_bench.h"
#include "ndtmoe/train/trainer.h"

namespace ndtmoe::cli {

namespace {

void bench_store_queries(const std::string& path, int64_t run, bool json) {
  TraceStore store(path, TraceStore::Mode::ReadOnly);
  const RunSummary summary = store.run(run);
  if (!json) std::cout << "query                                  median ms  max ms     rows\n";
  for (const QueryLatency& q : measure_store_queries(store, run)) {
    if (json) {
      std::cout << nlohmann::json{{"query", q.name}, {"median_ms", q.median_ms}, {"max_ms", q.max_ms}, {"rows", q.rows},
                                  {"samples", summary.traced_samples}, {"layers", summary.layers}}.dump() << std::endl;
    } else {
      char line[160];
      std::snprintf(line, sizeof line, "%-38s %9.2f %7.2f %8lld", q.name.c_str(), q.median_ms, q.max_ms, static_cast<long long>(q.rows));
      std::cout << line << std::endl;
    }
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  struct Flags {
    std::string device = "cpu";
    int threads = 2, blas_threads = 1;
    bool json = false;
    ThroughputOptions options;
    std::string store;
    int64_t run = 1;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("bench", "Measure training throughput (samples/s of forward+backward+optimizer step)");
  cmd->add_option("--device", flags->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--threads", flags->threads, "CPU threads for libtorch (OpenBLAS runs on the calling thread, see docs/benchmarks.md)")->check(positive());
  cmd->add_option("--blas-threads", flags->blas_threads,
                  "OpenBLAS threads where it keeps its own pool (Debian's pthreads build); 1 is the engine's set-up")
      ->check(positive());
  cmd->add_option("--repeats", flags->options.repeats, "Timed repeats (the median is reported)")->check(positive());
  cmd->add_option("--steps", flags->options.steps_per_repeat, "Steps per timed repeat")->check(positive());
  cmd->add_option("--batches", flags->options.batches, "Batch sizes")->check(positive());
  cmd->add_option("--filter", flags->options.filter, "Only configurations whose name contains this");
  cmd->add_flag("--json", flags->json, "One JSON object per line (the default output is a table)");
  cmd->add_option("--store", flags->store, "Instead: time the views' queries on this trace store");
  cmd->add_option("--run", flags->run, "Run of --store to query")->check(non_negative());
  cmd->callback([flags] {
    if (!flags->store.empty()) {
      bench_store_queries(flags->store, flags->run, flags->json);
      return;
    }
    const CpuThreads threads = configure_cpu_threads(flags->threads, flags->blas_threads);
    const torch::Device device = resolve_device(flags->device);
    if (!flags->json) std::cout << "name                              device  batch  samples/s\n";
    run_throughput_benchmarks(device, flags->options, [&](const ThroughputResult& r) {
      if (flags->json) {
        std::cout << nlohmann::json{{"name", r.name}, {"device", r.device}, {"batch", r.batch}, {"samples_per_s", r.samples_per_s},
                                    {"repeats", r.repeats}, {"threads", threads.libtorch},
                                    {"blas_threads", threads.blas}, {"blas_threading", threads.blas_threading}, {"engine", "cpp"}}.dump() << std::endl;
      } else {
        char line[160];
        std::snprintf(line, sizeof line, "%-33s %-7s %6lld %10.0f", r.name.c_str(), r.device.c_str(), static_cast<long long>(r.batch), r.samples_per_s);
        std::cout << line << std::endl;
      }
    });
  });
}

}  // namespace ndtmoe::cli
