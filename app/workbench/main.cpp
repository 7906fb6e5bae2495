// ndtmoe-workbench: the Qt desktop program. Opens a trace store, or with --demo builds (once) and opens
// the built-in demo run.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QTimer>
#include <atomic>

#include "demo_job.h"
#include "guarded_application.h"
#include "background_tasks.h"
#include "main_window.h"
#include "ndtmoe_views/decoder_experts_view.h"
#include "ndtmoe_views/neuron_dashboard_view.h"
#include "ndtmoe_views/tuning_view.h"
#include "preferences.h"
#include "ndtmoe/model/cpu_threads.h"
#include "ndtmoe/store/trace_store.h"
#include "ndtmoe_views/embedding_view.h"
#include "ndtmoe_views/decision_path_view.h"
#include "ndtmoe_views/gate_view.h"
#include "ndtmoe_views/importance_view.h"
#include "ndtmoe_views/routing_tree_view.h"
#include "ndtmoe_views/samples_view.h"
#include "ndtmoe_views/training_view.h"
#include "ndtmoe_views/utilization_view.h"

namespace {

bool demo_is_ready(const QString& store) {
  if (!QFileInfo::exists(store)) return false;
  try {
    ndtmoe::TraceStore s(store.toStdString(), ndtmoe::TraceStore::Mode::ReadOnly);
    const auto runs = s.runs();
    return !runs.empty() && runs.back().complete();
  } catch (const std::exception&) {
    return false;
  }
}

// Builds the demo on a worker thread behind a progress dialog; the event loop keeps running.
void open_demo(ndtmoe::workbench::MainWindow& window, ndtmoe::workbench::BackgroundTasks& tasks) {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/demo";
  const QString store = dir + "/demo.sqlite";
  if (demo_is_ready(store)) {
    window.open_store(store);
    return;
  }
  auto* dialog = new QProgressDialog(QObject::tr("Preparing the demo run…"), QObject::tr("Cancel"), 0, 1000, &window);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->setMinimumDuration(0);
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  QObject::connect(dialog, &QProgressDialog::canceled, [cancel] { *cancel = true; });
  QObject::connect(qApp, &QCoreApplication::aboutToQuit, [cancel] { *cancel = true; });  // main() then joins the task
  tasks.run([&window, dialog, cancel, dir, store](const std::atomic<bool>&) {
    bool done = false;
    QString error;
    try {
      done = ndtmoe::workbench::build_demo_store(dir.toStdString(), store.toStdString(),
                                                 [dialog](const ndtmoe::workbench::DemoProgress& p) {
                                                   QMetaObject::invokeMethod(dialog, [dialog, p] {
                                                     dialog->setLabelText(QObject::tr("Demo: %1…").arg(QString::fromStdString(p.stage)));
                                                     dialog->setValue(static_cast<int>(1000 * p.fraction));
                                                   });
                                                 },
                                                 *cancel);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(&window, [&window, dialog, done, error, store] {  // the window lives until exit
      dialog->deleteLater();
      if (done) window.open_store(store);
      else if (!error.isEmpty()) QMessageBox::warning(&window, QObject::tr("Demo"), QObject::tr("The demo could not be prepared: %1").arg(error));
    });
  });
}

// The dock a view sits in, through a scroll area where it has one.
QDockWidget* dock_of(QWidget* view) {
  for (QWidget* parent = view->parentWidget(); parent; parent = parent->parentWidget())
    if (auto* dock = qobject_cast<QDockWidget*>(parent)) return dock;
  return nullptr;
}

// Saves the window and each view as PNG (the screenshots of docs/), then quits.
void save_screenshots(ndtmoe::workbench::MainWindow& window, const QString& dir) {
  QDir().mkpath(dir);
  if (const ndtmoe::RunSummary* run = window.shown_run()) window.selection().select_sample(run->first_sample);  // a shard's come later
  window.selection().select_node(0, 0, 1, 0);
  QElapsedTimer clock;  // the samples table's rows come from the store's worker thread
  clock.start();
  while (window.samples()->loading() && clock.elapsed() < 10000) QApplication::processEvents(QEventLoop::AllEvents, 20);
  QApplication::processEvents();
  window.grab().save(dir + "/workbench.png");
  const bool gate = window.routing_panel() == window.gate();  // a run of the linear family shows its gate, not a tree
  std::vector<std::pair<QWidget*, const char*>> views{{window.routing_panel(), gate ? "gate" : "routing-tree"}, {window.utilization(), "utilization"}, {window.embedding(), "embedding"},
                                                      {window.decision_path(), "decision-path"}, {window.samples(), "samples"},
                                                      {window.importance(), "importance"}, {window.training(), "training"}};
  if (window.neurons()->has_neurons()) views.emplace_back(window.neurons(), "neurons");
  if (window.decoder_experts()->has_experts()) views.emplace_back(window.decoder_experts(), "decoder-experts");
  if (window.tuning()->record()) views.emplace_back(window.tuning(), "tuning");
  for (const auto& [widget, name] : views) {
    // Tabbed docks hide all but one view: bring each to the front, at a readable size, before grabbing.
    if (QDockWidget* dock = dock_of(widget)) {
      dock->raise();
      if (widget->height() < 380) window.resizeDocks({dock}, {380}, Qt::Vertical);
    }
    QApplication::processEvents();
    widget->grab().save(dir + "/" + name + ".png");
  }
  QApplication::quit();
}

}  // namespace

int main(int argc, char** argv) {
  ndtmoe::configure_cpu_threads();
  ndtmoe::workbench::GuardedApplication app(argc, argv);
  QApplication::setOrganizationName("ndtmoe");
  QApplication::setOrganizationDomain("ndtmoe.org");
  QApplication::setApplicationName("ndtmoe-workbench");
  QApplication::setApplicationVersion("0.1.0");

  const ndtmoe::workbench::Preferences preferences = ndtmoe::workbench::Preferences::load();
  ndtmoe::workbench::install_translators(preferences);
  ndtmoe::workbench::apply_theme(preferences);

  QCommandLineParser parser;
  parser.setApplicationDescription(QObject::tr("NDT-MoE Workbench: look inside mixtures of experts routed by soft decision trees"));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption demo("demo", QObject::tr("Open the built-in demo run (trained and traced on first use)"));
  const QCommandLineOption run("run", QObject::tr("Run id to show (default: the newest complete run)"), "ID");
  const QCommandLineOption screenshots("screenshots", QObject::tr("Save the window and each view as PNG into DIR once a run is shown, then quit"), "DIR");
  parser.addOption(demo);
  parser.addOption(run);
  parser.addOption(screenshots);
  parser.addPositionalArgument("store", QObject::tr("Trace store to open"), "[store.sqlite]");
  parser.process(app);

  ndtmoe::workbench::MainWindow window;
  window.resize(1400, 900);
  window.show();
  if (parser.isSet(screenshots)) {
    const QString dir = parser.value(screenshots);
    QObject::connect(&window, &ndtmoe::workbench::MainWindow::run_shown, &window,
                     [&window, dir] { QTimer::singleShot(200, &window, [&window, dir] { save_screenshots(window, dir); }); });
  }
  const QStringList stores = parser.positionalArguments();
  if (!stores.isEmpty()) window.open_store(stores.first(), parser.isSet(run) ? parser.value(run).toLongLong() : -1);
  ndtmoe::workbench::BackgroundTasks tasks;  // after the window: stopped and joined before it goes
  if (stores.isEmpty() && parser.isSet(demo)) QTimer::singleShot(0, &window, [&window, &tasks] { open_demo(window, tasks); });
  const int status = QApplication::exec();
  tasks.cancel_all();
  return status;
}
