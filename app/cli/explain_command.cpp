#include <algorithm>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "ndtmoe/explain/explain.h"
#include "report.h"

namespace ndtmoe::cli {

namespace {

struct ExplainFlags {
  std::string store;
  int64_t run = 0, sample = -1;
  bool json = false;
  ExplainOptions options;
  std::string split;
};

// Global values grouped by target, largest first where the values rank features.
void print_explanation(const Explanation& e) {
  std::vector<std::string> targets;
  for (const ExplanationValue& v : e.values)
    if (std::find(targets.begin(), targets.end(), v.target) == targets.end()) targets.push_back(v.target);
  const bool ranked = e.method == "permutation" || e.method == "integrated-gradients";
  for (const std::string& target : targets) {
    std::vector<const ExplanationValue*> rows;
    for (const ExplanationValue& v : e.values)
      if (v.target == target && (!v.sample || e.method == "counterfactual")) rows.push_back(&v);
    if (ranked)
      std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
        const bool a_meta = a->item.rfind("baseline", 0) == 0 || a->item.rfind("completeness", 0) == 0;
        const bool b_meta = b->item.rfind("baseline", 0) == 0 || b->item.rfind("completeness", 0) == 0;
        return a_meta != b_meta ? a_meta : a->value > b->value;
      });
    std::cout << target << ":\n";
    std::vector<std::vector<std::string>> table;
    if (e.method == "rules") table.push_back({"  rule", "share of samples"});
    for (const ExplanationValue* v : rows)
      table.push_back({"  " + v->item, std::isnan(v->value) ? std::string("-") : fixed(v->value, 4), std::isnan(v->spread) ? "" : (e.method == "counterfactual" ? "change " : "± ") + fixed(v->spread, 4)});
    print_table(std::cout, table);
  }
  if (e.values.empty() && e.method == "counterfactual")
    std::cout << "No change of a single numeric feature within 4 standard deviations moves this sample to another expert.\n";
  std::cout << "Stored as explanation " << e.id << " of run " << e.run << "\n";
}

}  // namespace

void add_explain_command(CLI::App& app) {
  auto flags = std::make_shared<ExplainFlags>();
  CLI::App* cmd = app.add_subcommand("explain", "Explain a traced run (importance, attributions, specialization, rules, counterfactuals) and store the result");
  cmd->add_option("--store", flags->store, "Trace store written by ndtmoe trace")->required();
  cmd->add_option("--run", flags->run, "Run id in the store")->required()->check(non_negative());
  cmd->add_option("--method", flags->options.method, "permutation, integrated-gradients, specialization, rules or counterfactual")
      ->required()->check(CLI::IsMember(explain_methods()));
  cmd->add_option("--split", flags->split, "Samples to explain: fit, validation, test or traced (default: test when traced)")
      ->check(CLI::IsMember({"fit", "validation", "test", "traced"}));
  cmd->add_option("--repeats", flags->options.repeats, "Permutation: shuffles per feature")->check(positive());
  cmd->add_option("--steps", flags->options.steps, "Integrated gradients: path intervals")->check(positive());
  cmd->add_option("--baseline", flags->options.baseline, "Integrated gradients: mean or zero")->check(CLI::IsMember({"mean", "zero"}));
  cmd->add_option("--max-samples", flags->options.max_samples, "Integrated gradients: explain at most this many samples")->check(positive());
  cmd->add_option("--sample", flags->sample, "Integrated gradients or counterfactual: this sample")->check(non_negative());
  cmd->add_option("--layer", flags->options.layer, "Counterfactual: the layer whose expert should change")->check(non_negative());
  cmd->add_option("--seed", flags->options.seed, "Seed of the permutations");
  cmd->add_option("--device", flags->options.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd->add_flag("--json", flags->json, "Print the explanation as one JSON object");
  cmd->callback([flags] {
    ExplainOptions options = flags->options;
    if (!flags->split.empty()) options.split = flags->split;
    if (flags->sample >= 0) options.sample = flags->sample;
    if (options.method == "counterfactual" && !options.sample) throw UsageError("--method counterfactual needs --sample ID");
    TraceStore store(flags->store);
    const Explanation e = explain(store, flags->run, options);
    if (flags->json) std::cout << explanation_json(e).dump() << std::endl;
    else print_explanation(e);
  });
}

}  // namespace ndtmoe::cli
