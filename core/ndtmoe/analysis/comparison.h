#pragma once
// Traced runs side by side — the research question of the workbench is a comparison of routers at
// equal accuracy: each run's family, metrics, load health (coefficient of variation of the load, dead
// experts, effective experts exp(H)/N), specialization (NMI between expert and class, purity) and the
// crisp-rule fidelity where the family has rules and they were computed (`ndtmoe explain --method rules`),
// for runs traced with neuron records their L0, dead neurons and class selectivity, and for runs traced
// with embeddings how well the experts follow the neighbourhoods of the hidden states.
// Shared by `ndtmoe compare` and the workbench's comparison view.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ndtmoe/analysis/neurons.h"
#include "ndtmoe/analysis/specialization.h"

namespace ndtmoe {

struct RunComparison {
  RunSummary run;
  std::vector<LayerSpecialization> layers;
  // Means over layers; purity weights each expert by its share of the samples.
  double load_cv = 0, dead_fraction = 0, effective_experts = 0, nmi = 0, purity = 0;
  std::optional<double> rule_fidelity;  // mean over trees of the latest stored rules explanation
  std::optional<NeuronMeasures> neurons;  // runs traced with neuron records (moe-x by default)
  // Runs traced with embeddings, means over layers: the share of samples whose top-1 expert the vote of
  // their nearest neighbours in the layer's hidden states names, and the commonest expert's share.
  std::optional<double> neighbour_agreement, neighbour_majority;
  // Per other traced model ("mlp", "moe"): share of the traced samples on which it predicts the student's
  // class (classification only).
  std::map<std::string, double> agreement_with_student;
};

RunComparison compare_run(TraceStore& store, int64_t run);
std::vector<RunComparison> compare_runs(TraceStore& store, const std::vector<int64_t>& runs);

}  // namespace ndtmoe
