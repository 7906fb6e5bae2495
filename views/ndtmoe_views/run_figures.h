#pragma once
// "Export all figures of this run": every layer's and tree's routing tree, every layer's utilization
// heatmaps, the decision path of chosen samples, the stored importances (per method and target) and the
// training curves, and for token-level runs the expert x token heatmaps, each layer's busiest expert's
// dashboard and the token lanes of the chosen samples; each as the requested formats plus a CSV of the data behind it. Used by the workbench's menu and by `ndtmoe export-figures` (offscreen).

#include <memory>
#include <optional>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"

namespace ndtmoe::views {

QStringList export_run_figures(std::shared_ptr<RunData> data, const QString& dir, const std::vector<FigureFormat>& formats,
                               const ExportOptions& options = {}, const std::vector<int64_t>& samples = {});

}  // namespace ndtmoe::views
