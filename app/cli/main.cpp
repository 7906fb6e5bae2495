#include <torch/torch.h>

#include <functional>
#include <iostream>

#include "commands.h"
#include "ndtmoe/model/cpu_threads.h"
#include "ndtmoe/data/table.h"
#include "ndtmoe/train/trainer.h"

int main(int argc, char** argv) {
  ndtmoe::configure_cpu_threads();
  CLI::App app{"ndtmoe: train, distill and inspect NDT-MoE models (mixtures of experts routed by soft decision trees)"};
  app.require_subcommand(1);
  // Every flag's help shows its default value (inherited by the sub-commands added below).
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", "ndtmoe 0.1.0");
  ndtmoe::cli::add_datasets_command(app);
  ndtmoe::cli::add_train_commands(app);
  ndtmoe::cli::add_families_command(app);
  ndtmoe::cli::add_compare_command(app);
  ndtmoe::cli::add_eval_command(app);
  ndtmoe::cli::add_bench_command(app);
  ndtmoe::cli::add_trace_command(app);
  ndtmoe::cli::add_store_command(app);
  ndtmoe::cli::add_query_command(app);
  ndtmoe::cli::add_explain_command(app);
  ndtmoe::cli::add_decompose_commands(app);
  ndtmoe::cli::add_experts_command(app);
#ifdef NDTMOE_WITH_VIEWS
  ndtmoe::cli::add_export_figures_command(app);
#endif
  // -1 stands for "not given" in the flag structs: no default to show.
  const std::function<void(CLI::App*)> hide_unset = [&hide_unset](CLI::App* command) {
    for (CLI::Option* option : command->get_options())
      if (option->get_default_str() == "-1") option->default_str("");
    for (CLI::App* sub : command->get_subcommands({})) hide_unset(sub);
  };
  hide_unset(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ndtmoe: " << e.what() << " (see ndtmoe --help)\n";
    return 2;
  } catch (const ndtmoe::cli::UsageError& e) {
    std::cerr << "ndtmoe: " << e.what() << "\n";
    return 2;
  } catch (const ndtmoe::DataError& e) {
    std::cerr << "ndtmoe: " << e.what() << "\n";
    return 1;
  } catch (const ndtmoe::TrainingDiverged& e) {
    std::cerr << "ndtmoe: training stopped: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::string what = e.what();
    std::cerr << "ndtmoe: " << what.substr(0, what.find('\n')) << "\n";
    return 1;
  }
  return 0;
}
