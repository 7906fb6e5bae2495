#pragma once
// Neurons of a layer of MLP experts seen as one wide sparse MLP (MoE-X): each (expert, hidden unit)
// summarised over every position it was traced on, and the measures a run is compared by — mean firing
// neurons per position (L0), dead neurons, and class-selective neurons.

#include <optional>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

inline constexpr size_t kNeuronTopFirings = 100;   // strongest firings kept per neuron
inline constexpr size_t kSelectivityTop = 50;      // firings whose classes decide selectivity
inline constexpr double kSelectiveShare = 0.9;     // one class's share that makes a neuron selective
inline constexpr int kNeuronHistogramBins = 24;
// Router tensor of layer 0 of a stack (whose first layer's input is linear in the encoded inputs): each
// neuron's pre-activation weights over the encoded inputs [experts * units, inputs] — its expert's W1
// row composed with the encoder. The tracer keeps it up to 64 MB; the neuron dashboard draws it.
inline constexpr const char* kNeuronInputWeights = "neuron_input_weights";

// Accumulates the firings of one layer's neurons, position by position.
class NeuronStatistics {
 public:
  explicit NeuronStatistics(int64_t neurons);
  // One position (a sample, or a token of it) and the neurons that fired there; `label` -1 for regression.
  void add(int64_t sample, int64_t token, int64_t label, const int32_t* neurons, const float* activations, size_t count);
  int64_t positions() const { return positions_; }
  // Every neuron's summary (ablation not measured), by neuron; histograms over (threshold, max].
  std::vector<NeuronSummary> summaries(double threshold) const;

 private:
  struct Accumulator {
    std::vector<float> activations;
    std::vector<NeuronHit> top;  // a min-heap by activation while accumulating
  };
  std::vector<Accumulator> neurons_;
  int64_t positions_ = 0;
};

struct NeuronMeasures {
  double l0 = 0;                            // firing neurons per position, summed over layers
  double dead_share = 0;                    // neurons that never fired
  std::optional<double> class_selectivity;  // share of the live neurons whose top-50 firings are >= 90% one class
  int64_t neurons = 0, positions = 0;
};

// The measures of a run from its layers' summaries (classification: selectivity; regression: none).
NeuronMeasures neuron_measures(const std::vector<NeuronLayer>& layers, const std::vector<std::vector<NeuronSummary>>& summaries);

// The neurons of a layer ordered for the neuron list.
enum class NeuronOrder { Frequency, Selectivity, MeanActivation, AblationEffect };
void sort_neurons(std::vector<NeuronSummary>& neurons, NeuronOrder order);

}  // namespace ndtmoe
