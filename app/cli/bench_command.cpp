#include <iostream>

#include "commands.h"
#include "ndtmoe/throughput_bench.h"
#include "ndtmoe/trainer.h"

namespace ndtmoe::cli {

void add_bench_command(CLI::App& app) {
  struct Flags {
    std::string device = "cpu";
    int threads = 2;
    bool json = false;
    ThroughputOptions options;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("bench", "Measure training throughput (samples/s of forward+backward+optimizer step)");
  cmd->add_option("--device", flags->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--threads", flags->threads, "CPU threads for libtorch")->check(CLI::PositiveNumber);
  cmd->add_option("--repeats", flags->options.repeats, "Timed repeats (the median is reported)")->check(CLI::PositiveNumber);
  cmd->add_option("--steps", flags->options.steps_per_repeat, "Steps per timed repeat")->check(CLI::PositiveNumber);
  cmd->add_option("--batches", flags->options.batches, "Batch sizes")->check(CLI::PositiveNumber);
  cmd->add_option("--filter", flags->options.filter, "Only configurations whose name contains this");
  cmd->add_flag("--json", flags->json, "One JSON object per line (the default output is a table)");
  cmd->callback([flags] {
    torch::set_num_threads(flags->threads);
    const torch::Device device = resolve_device(flags->device);
    if (!flags->json) std::cout << "name                              device  batch  samples/s\n";
    run_throughput_benchmarks(device, flags->options, [&](const ThroughputResult& r) {
      if (flags->json) {
        std::cout << nlohmann::json{{"name", r.name}, {"device", r.device}, {"batch", r.batch}, {"samples_per_s", r.samples_per_s},
                                    {"repeats", r.repeats}, {"threads", flags->threads}, {"engine", "cpp"}}.dump() << std::endl;
      } else {
        char line[160];
        std::snprintf(line, sizeof line, "%-33s %-7s %6lld %10.0f", r.name.c_str(), r.device.c_str(), static_cast<long long>(r.batch), r.samples_per_s);
        std::cout << line << std::endl;
      }
    });
  });
}

}  // namespace ndtmoe::cli
