#pragma once
// The decision path as a figure for print, drawn as dtreeviz draws a prediction path: per layer and
// tree, each level as the histogram of the values its node's samples were tested on, split at the
// threshold (the samples left of it went left), with the sample's value marked and its soft decision
// p(right); then the tree's leaf probabilities and the layer's chosen experts with their weights.

#include <QPainter>
#include <QSize>
#include <QTextStream>
#include <map>
#include <tuple>
#include <vector>

#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe_views/run_data.h"

namespace ndtmoe::views {

// Counts of a node's tested values in bins whose edges include the threshold.
struct NodeHistogram {
  std::vector<double> edges;   // bins + 1
  std::vector<int64_t> counts;
  int64_t samples = 0;
};

class PathFigure {
 public:
  QSize size(const DecisionPath& path) const;
  // Reads the histograms it needs from the run's store (once per node) and draws into `target`.
  void paint(QPainter& painter, const QRectF& target, RunData& data, const DecisionPath& path);
  // The histogram of the node `level` of `tree` in `layer` that the path passes through.
  const NodeHistogram& histogram(RunData& data, const DecisionPath& path, size_t layer, const PathLevel& level);
  void clear() { histograms_.clear(); }

 private:
  void paint_level(QPainter& painter, const QRectF& box, RunData& data, const DecisionPath& path, size_t layer, const PathLevel& level);
  std::map<std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>, NodeHistogram> histograms_;  // run, layer, tree, level, node
};

}  // namespace ndtmoe::views
