#include "ndtmoe/analysis/specialization.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ndtmoe {

namespace {

double entropy_bits(const std::vector<double>& counts) {
  double total = 0, h = 0;
  for (double c : counts) total += c;
  for (double c : counts)
    if (c > 0) h -= c / total * std::log2(c / total);
  return h;
}

}  // namespace

std::vector<LayerSpecialization> specialization(TraceStore& store, int64_t run) {
  const RunSummary summary = store.run(run);
  const RunDescription description = store.description(run);
  const auto N = static_cast<size_t>(summary.experts), C = std::max<size_t>(1, description.classes.size());
  std::vector<LayerSpecialization> layers(static_cast<size_t>(summary.layers));
  for (const CountCell& c : store.expert_layers(run)) {
    LayerSpecialization& layer = layers.at(static_cast<size_t>(c.column));
    layer.experts.resize(N);
    layer.experts[static_cast<size_t>(c.row)].expert = c.row;
    layer.experts[static_cast<size_t>(c.row)].samples = c.samples;
    layer.experts[static_cast<size_t>(c.row)].assignments = c.assignments;
  }
  for (size_t l = 0; l < layers.size(); ++l) {
    LayerSpecialization& layer = layers[l];
    layer.layer = static_cast<int64_t>(l);
    layer.experts.resize(N);
    std::vector<std::vector<double>> table(N, std::vector<double>(C, 0.0));
    for (const CountCell& c : store.expert_classes(run, layer.layer))
      table[static_cast<size_t>(c.row)][static_cast<size_t>(c.column)] = static_cast<double>(c.samples);
    std::vector<double> load(N), class_totals(C, 0.0);
    double total = 0;
    for (size_t e = 0; e < N; ++e) {
      ExpertProfile& p = layer.experts[e];
      p.expert = static_cast<int64_t>(e);
      load[e] = static_cast<double>(p.samples);
      total += load[e];
      for (size_t c = 0; c < C; ++c) class_totals[c] += table[e][c];
      if (p.samples > 0 && !description.classes.empty()) {
        const auto best = std::max_element(table[e].begin(), table[e].end());
        p.dominant_class = best - table[e].begin();
        p.purity = *best / load[e];
        p.entropy_bits = entropy_bits(table[e]);
      }
    }
    double mean = total / static_cast<double>(N), var = 0, dead = 0, slots = 0;
    for (const ExpertProfile& p : layer.experts) slots += static_cast<double>(p.assignments);
    for (size_t e = 0; e < N; ++e) {
      layer.experts[e].share = total > 0 ? load[e] / total : 0;
      layer.experts[e].slot_share = slots > 0 ? static_cast<double>(layer.experts[e].assignments) / slots : 0;
      var += (load[e] - mean) * (load[e] - mean) / static_cast<double>(N);
      if (layer.experts[e].assignments == 0) ++dead;
    }
    layer.load_cv = mean > 0 ? std::sqrt(var) / mean : 0;
    layer.dead_fraction = dead / static_cast<double>(N);
    layer.effective_experts = std::exp(entropy_bits(load) * std::log(2.0)) / static_cast<double>(N);
    if (description.classes.empty() || total == 0) {
      layer.nmi = std::nan("");
      continue;
    }
    // NMI = 2 I(E; C) / (H(E) + H(C)), with I = H(E) + H(C) - H(E, C).
    std::vector<double> joint;
    for (const auto& row : table) joint.insert(joint.end(), row.begin(), row.end());
    const double h_e = entropy_bits(load), h_c = entropy_bits(class_totals), h_ec = entropy_bits(joint);
    layer.nmi = h_e + h_c > 0 ? 2 * (h_e + h_c - h_ec) / (h_e + h_c) : 0;
  }
  return layers;
}

}  // namespace ndtmoe
