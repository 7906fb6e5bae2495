#pragma once
// Sub-commands of the `ndtmoe` command line; each registers its flags on the parsed app and runs
// after parsing. They only wire CLI flags to the engine in core/.

#include <CLI/CLI.hpp>

namespace ndtmoe::cli {

// Each registers a sub-command, its flags and the callback that runs it.
void add_datasets_command(CLI::App& app);
void add_train_commands(CLI::App& app);  // train, demo
void add_families_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_trace_command(CLI::App& app);
void add_store_command(CLI::App& app);  // store merge
void add_query_command(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_decompose_commands(CLI::App& app);  // layers, decompose
void add_experts_command(CLI::App& app);     // export-experts
void add_export_figures_command(CLI::App& app);  // only with NDTMOE_WITH_VIEWS

// Raised for a usage error found after parsing (bad combination of flags); main prints it on one line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ndtmoe::cli
