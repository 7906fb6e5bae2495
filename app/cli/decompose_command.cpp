#include <iomanip>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "family_flags.h"
#include "interrupt.h"
#include "progress_line.h"
#include "ndtmoe/train/decomposition.h"
#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/train/trainer.h"

namespace ndtmoe::cli {

namespace {

std::string describe(const ReplacementSpec& s) {
  if (s.kind == "transcoder" || s.kind == "skip-transcoder") return "width " + std::to_string(s.hidden) + ", top-" + std::to_string(s.k);
  return std::to_string(s.experts) + " experts, top-" + std::to_string(s.k) + ", hidden " + std::to_string(s.hidden);
}

void print_report(const DecompositionResult& r) {
  std::cout << r.layer << " (" << r.dense.inputs << " -> " << r.dense.outputs << (r.dense.per_token ? ", per token" : "") << "): "
            << r.fit_rows << " rows fitted, " << r.test_rows << " test rows\n";
  std::cout << std::left << std::setw(18) << "model" << std::setw(40) << "size" << std::right << std::setw(11) << "parameters"
            << std::setw(12) << "norm. MSE" << std::setw(12) << r.metric_name << "\n";
  const auto row = [&](const std::string& name, const std::string& size, const std::string& parameters, double nmse, double metric) {
    std::cout << std::left << std::setw(18) << name << std::setw(40) << size << std::right << std::setw(11) << parameters << std::fixed
              << std::setprecision(4) << std::setw(12) << nmse << std::setw(12) << metric << "\n";
  };
  row("original", "the dense layer", "", 0.0, r.original_metric);
  row("zero-ablated", "", "", 1.0, r.ablated_metric);
  for (const ReplacementResult& m : r.replacements) row(m.spec.kind, describe(m.spec), std::to_string(m.parameters), m.normalized_mse, m.metric);
}

}  // namespace

void add_decompose_commands(CLI::App& app) {
  auto layers_run = std::make_shared<std::string>();
  auto layers_json = std::make_shared<bool>(false);
  CLI::App* layers = app.add_subcommand("layers", "List the dense layers of a run that ndtmoe decompose can replace");
  layers->add_option("--run", *layers_run, "Run directory written by ndtmoe train --out")->required();
  layers->add_flag("--json", *layers_json, "One JSON object per layer");
  layers->callback([layers_run, layers_json] {
    const LoadedRun run = load_run(*layers_run, "cpu");
    for (const auto& [name, layer] : decomposable_layers(run.experiment)) {
      if (*layers_json)
        std::cout << nlohmann::json{{"layer", name}, {"inputs", layer.inputs}, {"outputs", layer.outputs}, {"per_token", layer.per_token},
                                    {"activation", layer.activation}}.dump()
                  << "\n";
      else
        std::cout << name << "  " << layer.inputs << " -> " << layer.outputs << (layer.per_token ? ", per token" : "") << ", " << layer.activation << "\n";
    }
  });

  struct Flags {
    std::string run, out, device = "auto";
    DecompositionOptions options;
    FamilyFlags family{DecompositionOptions{}.family};
    bool no_baselines = false, json = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("decompose",
                                     "Replace a dense layer of a run by a sparse mixture (and the transcoders, at equal parameters), "
                                     "trained on the layer's inputs and outputs; report reconstruction error and the spliced model's metric");
  DecompositionOptions& o = flags->options;
  cmd->add_option("--run", flags->run, "Run directory written by ndtmoe train --out")->required();
  cmd->add_option("--layer", o.layer, "The layer, as ndtmoe layers lists it (e.g. teacher.block1.ffn)")->required();
  flags->family.add_to(cmd);
  cmd->add_option("--k", o.k, "Experts per row (active units of the transcoders)")->check(positive());
  cmd->add_option("--experts", o.experts, "Experts (default: mxd fills the parameter budget, other families 16)")->check(positive());
  cmd->add_option("--hidden", o.hidden, "Expert width (default: 4x the layer's width for mxd, the budget's share otherwise)")->check(positive());
  cmd->add_option("--budget-width", o.budget_width, "Parameter budget: a transcoder of this many units per input")->check(positive());
  cmd->add_flag("--no-baselines", flags->no_baselines, "Skip the transcoder and skip transcoder");
  cmd->add_option("--epochs", o.epochs, "Epochs over the layer's activations")->check(positive());
  cmd->add_option("--batch-size", o.batch_size, "Rows per step")->check(positive());
  cmd->add_option("--lr", o.lr, "Peak learning rate (Adam, warm-up and cosine decay)")->check(positive());
  cmd->add_option("--max-rows", o.max_rows, "Activation rows kept for fitting (a seeded random subset)")->check(positive());
  cmd->add_option("--seed", o.seed, "Seed of the subset and the initialisation");
  cmd->add_option("--device", flags->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_option("--out", flags->out, "Write decomposition.json and each stand-in's weights here");
  cmd->add_flag("--json", flags->json, "Print the report as one JSON object");
  cmd->callback([flags] {
    DecompositionOptions& o = flags->options;
    o.baselines = !flags->no_baselines;
    ModelConfig stand_in;
    flags->family.apply_to(stand_in);
    o.family = stand_in.family;
    o.family_options = stand_in.family_options;
    LoadedRun run = load_run(flags->run, flags->device);
    const TrainAndTestData data = load_train_and_test_data(run);
    ProgressLine line;
    const DecompositionResult result =
        decompose_layer(run.experiment, data.train, data.test, o, resolve_device(flags->device),
                        [&](const DecompositionProgress& p) {
                          line.show("[" + p.replacement + "] step " + std::to_string(p.step) + "/" + std::to_string(p.steps) + " loss " +
                                        std::to_string(p.loss),
                                    p.step == p.steps);
                        },
                        &cancel_on_interrupt());
    line.finish();
    if (result.cancelled) {
      std::cerr << "ndtmoe: decompose cancelled; nothing written\n";
      return;
    }
    if (!flags->out.empty()) save_decomposition(flags->out, result, o, flags->run);
    if (flags->json)
      std::cout << result.to_json().dump() << std::endl;
    else
      print_report(result);
  });
}

}  // namespace ndtmoe::cli
