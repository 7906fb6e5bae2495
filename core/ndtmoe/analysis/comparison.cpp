#include "ndtmoe/analysis/comparison.h"

#include <cmath>

#include "ndtmoe/analysis/rules.h"

namespace ndtmoe {

RunComparison compare_run(TraceStore& store, int64_t run) {
  RunComparison c;
  c.run = store.run(run);
  c.layers = specialization(store, run);
  const double layers = static_cast<double>(std::max<size_t>(1, c.layers.size()));
  for (const LayerSpecialization& layer : c.layers) {
    c.load_cv += layer.load_cv / layers;
    c.dead_fraction += layer.dead_fraction / layers;
    c.effective_experts += layer.effective_experts / layers;
    c.nmi += layer.nmi / layers;  // NaN for regression, and so stays
    for (const ExpertProfile& expert : layer.experts) c.purity += expert.share * expert.purity / layers;
  }
  if (c.run.task != "classification") {
    c.purity = std::nan("");
  } else if (const std::vector<std::string> others = store.other_models(run); !others.empty()) {
    const SampleTable students = store.sample_table(run);
    for (const std::string& model : others) {
      const std::vector<double> predictions = store.model_predictions(run, model);
      size_t same = 0;
      for (size_t i = 0; i < students.size(); ++i)
        same += static_cast<size_t>(students.ids[i]) < predictions.size() && predictions[static_cast<size_t>(students.ids[i])] == students.predictions[i];
      c.agreement_with_student[model] = students.size() > 0 ? static_cast<double>(same) / static_cast<double>(students.size()) : std::nan("");
    }
  }
  if (const std::vector<NeuronLayer> layers = store.neuron_layers(run); !layers.empty()) {
    std::vector<std::vector<NeuronSummary>> summaries;
    for (const NeuronLayer& layer : layers) summaries.push_back(store.neurons(run, layer.layer, /*with_firings=*/false));
    c.neurons = neuron_measures(layers, summaries);
  }
  if (const std::vector<ExpertNeighbours> layers = store.expert_neighbours(run); !layers.empty()) {
    double agreement = 0, majority = 0;
    for (const ExpertNeighbours& l : layers) agreement += l.agreement, majority += l.majority_share;
    c.neighbour_agreement = agreement / static_cast<double>(layers.size());
    c.neighbour_majority = majority / static_cast<double>(layers.size());
  }
  const std::vector<Explanation> rules = store.explanations(run, "rules");
  if (!rules.empty()) {
    double sum = 0;
    int trees = 0;
    for (const ExplanationValue& v : rules.back().values)
      if (v.item == kRuleFidelityItem || v.item == "fidelity") {  // the older, shorter name
        sum += v.value;
        ++trees;
      }
    if (trees > 0) c.rule_fidelity = sum / trees;
  }
  return c;
}

std::vector<RunComparison> compare_runs(TraceStore& store, const std::vector<int64_t>& runs) {
  std::vector<RunComparison> all;
  for (int64_t run : runs) all.push_back(compare_run(store, run));
  return all;
}

}  // namespace ndtmoe
