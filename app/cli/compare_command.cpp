#include <iostream>
#include <sstream>

#include "commands.h"
#include "ndtmoe/analysis/comparison.h"
#include "report.h"

namespace ndtmoe::cli {

namespace {

std::vector<int64_t> parse_run_ids(const std::string& text) {
  std::vector<int64_t> ids;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      ids.push_back(std::stoll(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::logic_error&) {
      throw UsageError("--runs " + text + ": '" + item + "' is not a run id (expected ids separated by commas, e.g. 1,2)");
    }
  }
  if (ids.empty()) throw UsageError("--runs needs at least one run id");
  return ids;
}

nlohmann::json nullable(double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); }

nlohmann::json neurons_json(const std::optional<NeuronMeasures>& m) {
  if (!m) return nullptr;
  return {{"l0", m->l0}, {"dead_share", m->dead_share}, {"neurons", m->neurons}, {"positions", m->positions},
          {"class_selectivity", m->class_selectivity ? nlohmann::json(*m->class_selectivity) : nlohmann::json()}};
}

nlohmann::json comparison_json(const RunComparison& c) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerSpecialization& l : c.layers)
    layers.push_back({{"layer", l.layer}, {"load_cv", l.load_cv}, {"dead_fraction", l.dead_fraction},
                      {"effective_experts", l.effective_experts}, {"nmi", nullable(l.nmi)}});
  return {{"run", c.run.id}, {"name", c.run.name}, {"family", c.run.family}, {"family_options", nlohmann::json::parse(c.run.family_options_json)},
          {"task", c.run.task}, {"layers", c.run.layers}, {"experts", c.run.experts}, {"top_k", c.run.top_k},
          {"metrics", metric_table_json(c.run.metrics)}, {"load_cv", c.load_cv}, {"dead_fraction", c.dead_fraction},
          {"effective_experts", c.effective_experts}, {"nmi", nullable(c.nmi)}, {"purity", nullable(c.purity)},
          {"rule_fidelity", c.rule_fidelity ? nlohmann::json(*c.rule_fidelity) : nlohmann::json()},
          {"agreement_with_student", c.agreement_with_student}, {"neurons", neurons_json(c.neurons)},
          {"neighbour_agreement", c.neighbour_agreement ? nlohmann::json(*c.neighbour_agreement) : nlohmann::json()},
          {"neighbour_majority", c.neighbour_majority ? nlohmann::json(*c.neighbour_majority) : nlohmann::json()}, {"per_layer", layers}};
}

void print_comparison(const std::vector<RunComparison>& all) {
  std::vector<std::vector<std::string>> rows{{"run", "name", "family", "layers x experts", "student", "teacher", "load CV", "dead",
                                              "exp(H)/N", "NMI", "purity", "rule fidelity", "kNN expert", "L0", "dead neurons", "selective"}};
  for (const RunComparison& c : all) {
    rows.push_back({std::to_string(c.run.id), c.run.name, c.run.family, std::to_string(c.run.layers) + " x " + std::to_string(c.run.experts),
                    fixed(c.run.test_score("student"), 4), fixed(c.run.test_score("teacher"), 4), fixed(c.load_cv, 3), fixed(c.dead_fraction, 3), fixed(c.effective_experts, 3),
                    fixed(c.nmi, 3), fixed(c.purity, 3), c.rule_fidelity ? fixed(*c.rule_fidelity, 3) : std::string("-"),
                    c.neighbour_agreement ? fixed(*c.neighbour_agreement, 3) + " (" + fixed(*c.neighbour_majority, 3) + ")" : std::string("-"),
                    c.neurons ? fixed(c.neurons->l0, 1) : std::string("-"), c.neurons ? fixed(c.neurons->dead_share, 3) : std::string("-"),
                    c.neurons && c.neurons->class_selectivity ? fixed(*c.neurons->class_selectivity, 3) : std::string("-")});
  }
  print_table(std::cout, rows);
  std::cout << "Means over layers. Load CV: std/mean of the top-1 load over experts; dead: share of experts never selected; "
               "exp(H)/N: effective share of experts in use; NMI: expert vs class; purity: share-weighted dominant-class share; "
               "rule fidelity: crisp rules (ndtmoe explain --method rules); kNN expert: share of samples whose top-1 expert "
               "is the majority of their 10 nearest neighbours in the layer's hidden states (in brackets: the commonest "
               "expert's share); L0: firing neurons per sample, summed over layers; "
               "dead neurons: share never firing; selective: share of neurons (50+ firings) whose top 50 are >= 90% one class "
               "(runs traced with --neurons).\n";
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto store_path = std::make_shared<std::string>();
  auto runs = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("compare", "Traced runs side by side: metrics, load health, specialization, rule fidelity");
  command->add_option("--store", *store_path, "Trace store")->required();
  command->add_option("--runs", *runs, "Run ids separated by commas (ndtmoe query --store F runs lists them)")->required();
  command->add_flag("--json", *json, "Print one JSON array, one object per run");
  command->callback([store_path, runs, json] {
    const std::vector<int64_t> ids = parse_run_ids(*runs);
    TraceStore store(*store_path, TraceStore::Mode::ReadOnly);
    const std::vector<RunComparison> all = compare_runs(store, ids);
    if (!*json) {
      print_comparison(all);
      return;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const RunComparison& c : all) out.push_back(comparison_json(c));
    std::cout << out.dump() << std::endl;
  });
}

}  // namespace ndtmoe::cli
