// `ndtmoe export-figures`: the workbench's figures of a traced run, written headless (offscreen Qt).
// Built only with the GUI (NDTMOE_BUILD_GUI), as it draws with the workbench's views.
#include <QApplication>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "ndtmoe_views/comparison_view.h"
#include "ndtmoe_views/frontier_view.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_figures.h"

namespace ndtmoe::cli {

void add_export_figures_command(CLI::App& app) {
  struct Flags {
    std::string store, out, formats = "pdf,svg,png", preset, width;
    double font_size = 0;
    std::string tree_layout = "auto";
    int64_t run = 0;
    int dpi = 300;
    std::vector<int64_t> samples, compare;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("export-figures", "Write every figure of a traced run (routing trees or gates, utilization, decision paths, comparisons) with its data as CSV");
  cmd->add_option("--store", flags->store, "Trace store written by ndtmoe trace")->required();
  cmd->add_option("--run", flags->run, "Run id in the store")->required()->check(non_negative());
  cmd->add_option("--out", flags->out, "Folder for the figures (created when missing)")->required();
  cmd->add_option("--format", flags->formats, "Comma-separated: pdf, svg, png");
  cmd->add_option("--dpi", flags->dpi, "PNG resolution")->check(CLI::Range(36, 2400));
  std::vector<std::string> presets;
  for (const views::FigurePreset& p : views::figure_presets()) presets.push_back(p.name);
  cmd->add_option("--preset", flags->preset, "Final size of a journal column: single (3.5 in, 8 pt) or double (7.16 in, 8 pt)")
      ->check(CLI::IsMember(presets));
  cmd->add_option("--width", flags->width, "Final width, e.g. 3.5in, 8.9cm, 89mm or 252pt (default: the figure's own size)");
  cmd->add_option("--tree-layout", flags->tree_layout,
                  "Routing trees as node-link drawings or icicles (levels as rows, each node as wide as its share of the samples); "
                  "auto: icicles for trees deeper than 6 levels")
      ->check(CLI::IsMember({"auto", "node-link", "icicle"}));
  cmd->add_option("--font-size", flags->font_size, "Text size in points at that width (default: what the width gives)")->check(CLI::Range(4.0, 30.0));
  cmd->add_option("--sample", flags->samples, "Also the decision path of these samples (repeatable)")->check(non_negative());
  cmd->add_option("--compare", flags->compare, "Also the comparison of the run with these runs of the store (repeatable); for traced decompositions of one layer also their frontier")
      ->check(non_negative());
  cmd->callback([flags] {
    std::vector<views::FigureFormat> formats;
    for (const QString& name : QString::fromStdString(flags->formats).split(',', Qt::SkipEmptyParts)) {
      views::FigureFormat format;
      if (!views::parse_figure_format(name, &format)) throw UsageError("--format: unknown figure format '" + name.toStdString() + "' (pdf, svg, png)");
      formats.push_back(format);
    }
    if (formats.empty()) throw UsageError("--format names no format");
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "ndtmoe";
    static char* argv[] = {name, nullptr};
    QApplication qt(argc, argv);
    auto store = std::make_shared<TraceStore>(flags->store, TraceStore::Mode::ReadOnly);
    auto data = std::make_shared<views::RunData>(store, flags->run);
    views::ExportOptions options;
    options.dpi = flags->dpi;
    options.tree_layout = flags->tree_layout == "icicle"      ? views::ExportOptions::TreeLayout::Icicle
                          : flags->tree_layout == "node-link" ? views::ExportOptions::TreeLayout::NodeLink
                                                              : views::ExportOptions::TreeLayout::Auto;
    for (const views::FigurePreset& p : views::figure_presets())
      if (flags->preset == p.name) {
        options.width_inches = p.width_inches;
        options.font_points = p.font_points;
      }
    if (!flags->width.empty()) {
      const std::optional<double> inches = views::parse_length_inches(QString::fromStdString(flags->width));
      if (!inches) throw UsageError("--width " + flags->width + ": give a length such as 3.5in, 8.9cm, 89mm or 252pt");
      options.width_inches = *inches;
    }
    if (flags->font_size > 0) {
      if (options.width_inches <= 0) throw UsageError("--font-size needs --width or --preset (the size the text is measured at)");
      options.font_points = flags->font_size;
    }
    QStringList files = views::export_run_figures(data, QString::fromStdString(flags->out), formats, options, flags->samples);
    if (!flags->compare.empty()) {
      std::vector<int64_t> runs{flags->run};
      runs.insert(runs.end(), flags->compare.begin(), flags->compare.end());
      views::ComparisonView comparison;
      comparison.resize(1000, 700);
      comparison.set_runs(*store, runs);
      files << views::export_figures({&comparison}, QString::fromStdString(flags->out), formats, options);
      views::FrontierView frontier;  // decompositions of one layer among them: their sparsity–accuracy frontier
      frontier.resize(frontier.figure_size());
      frontier.set_runs(*store, runs);
      if (!frontier.frontier().empty()) files << views::export_figures({&frontier}, QString::fromStdString(flags->out), formats, options);
    }
    std::cout << "Wrote " << files.size() << " files to " << flags->out << "\n";
  });
}

}  // namespace ndtmoe::cli
