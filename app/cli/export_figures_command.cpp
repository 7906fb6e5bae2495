// `ndtmoe export-figures`: the workbench's figures of a traced run, written headless (offscreen Qt).
// Built only with the GUI (NDTMOE_BUILD_GUI), as it draws with the workbench's views.
#include <QApplication>
#include <iostream>

#include "commands.h"
#include "ndtmoe_views/comparison_view.h"
#include "ndtmoe_views/run_figures.h"

namespace ndtmoe::cli {

void add_export_figures_command(CLI::App& app) {
  struct Flags {
    std::string store, out, formats = "pdf,svg,png";
    int64_t run = 0;
    int dpi = 300;
    std::vector<int64_t> samples, compare;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("export-figures", "Write every figure of a traced run (routing trees or gates, utilization, decision paths, comparisons) with its data as CSV");
  cmd->add_option("--store", flags->store, "Trace store written by ndtmoe trace")->required();
  cmd->add_option("--run", flags->run, "Run id in the store")->required()->check(CLI::NonNegativeNumber);
  cmd->add_option("--out", flags->out, "Folder for the figures (created when missing)")->required();
  cmd->add_option("--format", flags->formats, "Comma-separated: pdf, svg, png");
  cmd->add_option("--dpi", flags->dpi, "PNG resolution")->check(CLI::Range(36, 2400));
  cmd->add_option("--sample", flags->samples, "Also the decision path of these samples (repeatable)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--compare", flags->compare, "Also the comparison of the run with these runs of the store (repeatable)")
      ->check(CLI::NonNegativeNumber);
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
    QStringList files = views::export_run_figures(data, QString::fromStdString(flags->out), formats, options, flags->samples);
    if (!flags->compare.empty()) {
      std::vector<int64_t> runs{flags->run};
      runs.insert(runs.end(), flags->compare.begin(), flags->compare.end());
      views::ComparisonView comparison;
      comparison.resize(1000, 700);
      comparison.set_runs(*store, runs);
      files << views::export_figures({&comparison}, QString::fromStdString(flags->out), formats, options);
    }
    std::cout << "Wrote " << files.size() << " files to " << flags->out << "\n";
  });
}

}  // namespace ndtmoe::cli
