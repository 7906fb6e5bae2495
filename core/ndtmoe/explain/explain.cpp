#include "ndtmoe/explain/explain.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "ndtmoe/explain/counterfactual.h"
#include "ndtmoe/explain/integrated_gradients.h"
#include "ndtmoe/explain/permutation_importance.h"
#include "ndtmoe/analysis/rules.h"
#include "ndtmoe/train/decomposed_run.h"
#include "ndtmoe/explain/router_alone_check.h"
#include "ndtmoe/analysis/specialization.h"

namespace ndtmoe {

namespace {

struct ModelSamples {
  LoadedRun run;
  MixturePredictor* model = nullptr;
  torch::Device device = torch::kCPU;
  SampleTable table;
  torch::Tensor x, truth;
};

ModelSamples load_model_samples(TraceStore& store, int64_t run, const ExplainOptions& options) {
  const RunSummary summary = store.run(run);
  ModelSamples m{load_traced_run(summary.run_directory, options.device), nullptr, resolve_device(options.device), {}, {}, {}};
  if (summary.token_level())
    throw StoreError(summary.run_directory + ": the student routes token by token (" + summary.token_kind + " tokens); " + options.method +
                     " needs a student over whole samples (--student mixture). The token views show where its tokens go");
  m.model = dynamic_cast<MixturePredictor*>(m.run.experiment.student.get());
  if (!m.model) throw StoreError(summary.run_directory + ": the run has no mixture-of-experts student");
  const std::optional<std::string>& split = options.split;  // resolved by explain()
  m.table = store.sample_table(run, split);
  if (m.table.size() == 0) throw StoreError(store.path() + ": run " + std::to_string(run) + " has no samples" + (split ? " in split " + *split : ""));
  m.x = torch::from_blob(m.table.inputs.data(), {static_cast<int64_t>(m.table.size()), m.table.width}, torch::kFloat).clone();
  m.truth = torch::tensor(m.table.truth, torch::kDouble);
  return m;
}

void add_permutation(Explanation& e, TraceStore& store, int64_t run, const ExplainOptions& options) {
  ModelSamples m = load_model_samples(store, run, options);
  const PermutationImportance p =
      permutation_importance(*m.model, m.run.experiment.preprocessor, m.x, m.truth, options.repeats, options.seed, m.device);
  e.values.push_back({"output", std::nullopt, "baseline " + p.score_name, p.baseline_score, 0});
  for (size_t f = 0; f < p.features.size(); ++f) e.values.push_back({"output", std::nullopt, p.features[f], p.output[f].mean, p.output[f].stddev});
  for (size_t l = 0; l < p.routing.size(); ++l)
    for (size_t f = 0; f < p.features.size(); ++f)
      e.values.push_back({"layer " + std::to_string(l) + " routing", std::nullopt, p.features[f], p.routing[l][f].mean, p.routing[l][f].stddev});
}

void add_integrated_gradients(Explanation& e, TraceStore& store, int64_t run, const ExplainOptions& options) {
  ModelSamples m = load_model_samples(store, run, options);
  torch::Tensor x = m.x;
  std::vector<int64_t> ids = m.table.ids;
  if (options.sample) {
    const SampleTrace s = store.sample(run, *options.sample);
    x = torch::tensor(s.inputs, torch::kFloat).unsqueeze(0);
    ids = {*options.sample};
  } else if (x.size(0) > options.max_samples) {
    x = x.slice(0, 0, options.max_samples);
    ids.resize(static_cast<size_t>(options.max_samples));
  }
  if (options.baseline != "mean" && options.baseline != "zero") throw std::invalid_argument("baseline must be mean or zero");
  const torch::Tensor baseline = options.baseline == "mean" ? m.x.mean(0) : torch::zeros({m.x.size(1)});
  const auto features = feature_columns(m.run.experiment.preprocessor);
  for (int64_t layer = -1; layer < m.model->config().layers; ++layer) {
    const std::string target = layer < 0 ? "output" : "layer " + std::to_string(layer) + " router";
    const IntegratedGradients ig = integrated_gradients(*m.model, x, baseline, options.steps, layer, m.device);
    const torch::Tensor difference = ig.at_input - ig.at_baseline;
    const torch::Tensor error = (ig.attributions.sum(1) - difference).abs() / difference.abs().clamp_min(1e-6);
    e.values.push_back({target, std::nullopt, "completeness error (relative, max)", error.max().item<double>(), error.mean().item<double>()});
    for (const FeatureColumns& f : features) {
      const torch::Tensor per_sample = ig.attributions.index_select(1, torch::tensor(f.columns, torch::kLong)).sum(1);
      e.values.push_back({target, std::nullopt, f.name, per_sample.abs().mean().item<double>(),
                          per_sample.size(0) > 1 ? per_sample.abs().std().item<double>() : 0.0});
      for (int64_t i = 0; i < per_sample.size(0); ++i)
        e.values.push_back({target, ids[static_cast<size_t>(i)], f.name, per_sample[i].item<double>(), std::nan("")});
    }
  }
}

void add_specialization(Explanation& e, TraceStore& store, int64_t run, const ExplainOptions& options) {
  const RunDescription description = store.description(run);
  for (const LayerSpecialization& layer : specialization(store, run)) {
    const std::string target = "layer " + std::to_string(layer.layer);
    for (const auto& [item, value] : {std::pair{"nmi (top-1 expert vs class)", layer.nmi}, {"load cv (top-1)", layer.load_cv},
                                      {"dead experts (in no top-K slot)", layer.dead_fraction}, {"effective experts exp(H)/N (top-1)", layer.effective_experts}})
      e.values.push_back({target, std::nullopt, item, value, std::nan("")});
    for (const ExpertProfile& p : layer.experts) {
      const std::string expert = "expert " + std::to_string(p.expert);
      e.values.push_back({target, std::nullopt, expert + " top-1 share", p.share, std::nan("")});
      e.values.push_back({target, std::nullopt, expert + " share of top-K slots", p.slot_share, std::nan("")});
      if (description.classes.empty()) continue;
      // The dominant class goes into the item's name: a class index printed as a number reads as a measure.
      const bool routed = p.dominant_class >= 0;
      const std::string dominant = routed ? "class " + description.classes.at(static_cast<size_t>(p.dominant_class)) : "no top-1 samples";
      e.values.push_back({target, std::nullopt, expert + " purity (" + dominant + ")", routed ? p.purity : std::nan(""), std::nan("")});
      e.values.push_back({target, std::nullopt, expert + " class entropy (bits)", routed ? p.entropy_bits : std::nan(""), std::nan("")});
    }
  }
  ModelSamples m = load_model_samples(store, run, options);
  const RouterAloneCheck check = router_alone_check(*m.model, m.run.experiment.preprocessor, m.x, m.truth, m.device);
  e.values.push_back({"router alone", std::nullopt, check.score_name + " (model)", check.full_score, std::nan("")});
  e.values.push_back({"router alone", std::nullopt, check.score_name + " (experts replaced by their mean output)", check.mean_experts_score, std::nan("")});
}

void add_rules(Explanation& e, TraceStore& store, int64_t run, const ExplainOptions& options) {
  const RunSummary summary = store.run(run);
  if (!summary.has_trees())
    throw std::invalid_argument(store.path() + ": run " + std::to_string(run) + " is of family " + summary.family +
                                ", whose router has no decision trees to read rules from");
  for (const TreeRules& tree : crisp_rules(store, run, options.split)) {
    const std::string target = "layer " + std::to_string(tree.layer) + " tree " + std::to_string(tree.tree);
    e.values.push_back({target, std::nullopt, kRuleFidelityItem, tree.fidelity, std::nan("")});
    for (const CrispRule& rule : tree.rules) e.values.push_back({target, std::nullopt, rule.text(), rule.coverage, std::nan("")});
  }
}

void add_counterfactual(Explanation& e, TraceStore& store, int64_t run, const ExplainOptions& options) {
  if (!options.sample) throw std::invalid_argument("the counterfactual method needs a sample");
  ModelSamples m = load_model_samples(store, run, options);
  const SampleTrace s = store.sample(run, *options.sample);
  const torch::Tensor x = torch::tensor(s.inputs, torch::kFloat);
  for (const Counterfactual& c : expert_counterfactuals(*m.model, m.run.experiment.preprocessor, x, options.layer, m.device))
    e.values.push_back({"layer " + std::to_string(options.layer) + " expert " + std::to_string(c.from_expert) + " -> " + std::to_string(c.to_expert),
                        *options.sample, c.feature, c.to_value, c.delta()});
}

}  // namespace

std::string ExplainOptions::parameters_json() const {
  nlohmann::json j = nlohmann::json::object();
  if (split) j["split"] = *split;
  if (method == "permutation") j.update({{"repeats", repeats}, {"seed", seed}});
  if (method == "integrated-gradients") j.update({{"steps", steps}, {"baseline", baseline}, {"max_samples", max_samples}});
  if (sample) j["sample"] = *sample;
  if (method == "counterfactual") j["layer"] = layer;
  return j.dump();
}

const std::vector<std::string>& explain_methods() {
  static const std::vector<std::string> methods{"permutation", "integrated-gradients", "specialization", "rules", "counterfactual"};
  return methods;
}

Explanation explain(TraceStore& store, int64_t run, const ExplainOptions& requested) {
  ExplainOptions options = requested;  // with the split that is used written down, so the stored parameters say it
  if (!options.split && !store.samples(run, [] { SampleFilter f; f.split = "test"; f.limit = 1; return f; }()).empty()) options.split = "test";
  Explanation e;
  e.run = run;
  e.method = options.method;
  e.parameters_json = options.parameters_json();
  if (options.method == "permutation") add_permutation(e, store, run, options);
  else if (options.method == "integrated-gradients") add_integrated_gradients(e, store, run, options);
  else if (options.method == "specialization") add_specialization(e, store, run, options);
  else if (options.method == "rules") add_rules(e, store, run, options);
  else if (options.method == "counterfactual") add_counterfactual(e, store, run, options);
  else throw std::invalid_argument("unknown explanation method '" + options.method + "'");
  store.store_explanation(e);
  return e;
}

}  // namespace ndtmoe
