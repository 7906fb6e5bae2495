// ndtmoe-gui-bench: how the workbench feels on a large store while a run is being traced into it.
//   ndtmoe-gui-bench STORE RUN_DIR [DATA]
// Opens STORE (which must hold a complete run) in the workbench window, traces RUN_DIR (on DATA, default
// the run's own data) into the same store on a worker thread, and meanwhile clicks through the views on
// the GUI thread: a sample (decision path, tree highlight), a tree node (the samples table's query), a
// layer (tree layout and heatmaps). Prints one JSON line per measure: the event loop's gaps, each kind of
// interaction's latency, and the trace's seconds with and without the GUI busy beside it.
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "main_window.h"
#include "ndtmoe_views/samples_view.h"
#include "ndtmoe/model/cpu_threads.h"
#include "ndtmoe/trace/tracer.h"

namespace {

using namespace ndtmoe;

struct Percentiles {
  double median = 0, p95 = 0, max = 0;
};

Percentiles percentiles(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) { return values[static_cast<size_t>(q * static_cast<double>(values.size() - 1))]; };
  return {at(0.5), at(0.95), values.back()};
}

void print(const std::string& what, const std::vector<double>& ms, const std::string& note) {
  const Percentiles p = percentiles(ms);
  std::cout << nlohmann::json{{"bench", "gui"}, {"what", what}, {"count", ms.size()}, {"median_ms", p.median}, {"p95_ms", p.p95},
                              {"max_ms", p.max}, {"note", note}}
                   .dump()
            << std::endl;
}

// Traces the run into the store and returns the seconds it took.
double trace_into(const std::string& store_path, const std::string& run_dir, const std::string& data_source) {
  LoadedRun run = load_run(run_dir, "cpu");
  const std::string source = data_source.empty() ? run.data.source : data_source;
  const Dataset data = load_data_for_run(run, source);
  TraceStore store(store_path);
  TraceOptions options;
  options.name = "gui-bench";
  QElapsedTimer clock;
  clock.start();
  trace_run(store, run, run_dir, source, data, torch::kCPU, options);
  return static_cast<double>(clock.elapsed()) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  ndtmoe::configure_cpu_threads();
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  if (argc < 3) {
    std::cerr << "usage: ndtmoe-gui-bench STORE RUN_DIR [DATA]\n";
    return 2;
  }
  const std::string store = argv[1], run_dir = argv[2], data = argc > 3 ? argv[3] : "";
  try {
    // The reference: the same trace with nothing else running.
    const double alone_s = trace_into(store, run_dir, data);

    workbench::MainWindow window;
    window.resize(1400, 900);
    window.show();
    if (!window.open_store(QString::fromStdString(store))) return 1;
    const RunSummary summary = TraceStore(store, TraceStore::Mode::ReadOnly).runs().front();

    std::atomic<bool> tracing{true};
    double beside_gui_s = 0;
    std::thread worker([&] {
      beside_gui_s = trace_into(store, run_dir, data);
      tracing = false;
    });

    std::vector<double> gaps, sample_ms, node_ms, layer_ms, rows_ms;
    QElapsedTimer since_tick, since_node;
    since_tick.start();
    bool rows_pending = false;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
      gaps.push_back(static_cast<double>(since_tick.restart()));
      if (rows_pending && !window.samples()->loading()) {
        rows_ms.push_back(static_cast<double>(since_node.nsecsElapsed()) / 1e6);
        rows_pending = false;
      }
    });
    tick.start(5);
    std::mt19937_64 random(7);
    int round = 0;
    QTimer interact;
    QObject::connect(&interact, &QTimer::timeout, [&] {
      views::SelectionModel& selection = window.selection();
      QElapsedTimer clock;
      clock.start();
      switch (round++ % 3) {
        case 0:
          selection.select_sample(static_cast<int64_t>(random() % static_cast<uint64_t>(summary.traced_samples)));
          sample_ms.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
          break;
        case 1: {
          const int64_t level = static_cast<int64_t>(random() % static_cast<uint64_t>(summary.depth + 1));
          since_node.start();
          selection.select_node(selection.current().layer, 0, level, static_cast<int64_t>(random() % (uint64_t{1} << level)));
          node_ms.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
          rows_pending = true;
          break;
        }
        default:
          selection.select_layer((selection.current().layer + 1) % summary.layers);
          layer_ms.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
      }
    });
    interact.start(150);
    while (tracing) app.processEvents(QEventLoop::AllEvents, 20);
    worker.join();
    tick.stop();
    interact.stop();

    const std::string size = std::to_string(summary.traced_samples) + " samples x " + std::to_string(summary.layers) + " layers";
    print("event_loop_gap", gaps, "5 ms timer, while a run is traced into the open store (" + size + ")");
    print("select_sample", sample_ms, "decision path + tree highlight + samples table");
    print("select_node", node_ms, "GUI thread's share of selecting a tree node (the rows are queried on the store's worker)");
    print("node_rows_shown", rows_ms, "from the click until the samples table shows the node's rows (up to all 100,000), 5 ms resolution");
    print("select_layer", layer_ms, "tree layout (Graphviz) + heatmaps of another layer");
    std::cout << nlohmann::json{{"bench", "gui"}, {"what", "trace_beside_gui"}, {"alone_s", alone_s}, {"beside_gui_s", beside_gui_s},
                                {"ratio", beside_gui_s / alone_s}}
                     .dump()
              << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ndtmoe-gui-bench: " << e.what() << "\n";
    return 1;
  }
}
