// The workbench on a damaged trace store: the integrity check reports it, no view's failure ends the
// program, and a store too broken to open gets a message that says "damaged".
#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QStatusBar>
#include <fstream>

#include "../core/run_fixtures.h"
#include "guarded_application.h"
#include "main_window.h"
#include "ndtmoe/trace/tracer.h"
#include "ndtmoe_views/qcustomplot_keywords.h"
#include "ndtmoe_views/selection.h"
#include "ndtmoe_views/utilization_view.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

namespace {

// A traced run's store with one page overwritten by a fixed pattern: the root page of `table`'s b-tree,
// or with an empty name the schema page (page 1) after the 100-byte file header.
std::string damaged_store(const ScratchDir& dir, const std::string& table) {
  LoadedRun run = ndtmoe::test::tiny_run(dir, 300);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const std::string path = dir.path() + "/trace.sqlite";
  {
    TraceStore store(path);
    trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU);
  }
  int64_t page = 1, page_size = 4096;
  {
    Database db(path, Database::Mode::ReadWrite);  // moves what the WAL holds into the file first
    db.execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE");
    Statement size = db.prepare("PRAGMA page_size");
    size.step();
    page_size = size.integer(0);
    if (!table.empty()) {
      Statement root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?");
      root.bind(1, table);
      EXPECT_TRUE(root.step()) << table;
      page = root.integer(0);
    }
  }
  const int64_t offset = (page - 1) * page_size + (page == 1 ? 100 : 0);
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(offset);
  std::string junk(static_cast<size_t>(page * page_size - offset), '\0');
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 2654435761u) >> 13);
  file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  return path;
}

void turn_event_loop_until(const std::function<bool()>& done, int limit_ms) {
  QElapsedTimer clock;
  clock.start();
  while (!done() && clock.elapsed() < limit_ms) QApplication::processEvents(QEventLoop::AllEvents, 10);
}

}  // namespace

TEST(DamagedStore, ASoundStoreIsNotCalledDamaged) {
  ScratchDir dir;
  LoadedRun run = ndtmoe::test::tiny_run(dir, 300);
  const std::string path = dir.path() + "/trace.sqlite";
  {
    TraceStore store(path);
    trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", load_data_for_run(run, "builtin:rule-tree"), torch::kCPU);
  }
  EXPECT_EQ(TraceStore(path, TraceStore::Mode::ReadOnly).damage(), std::vector<std::string>{});
  workbench::MainWindow window;
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(path)));
  turn_event_loop_until([&] { return window.damage_check_done(); }, 30000);
  ASSERT_TRUE(window.damage_check_done());
  EXPECT_TRUE(window.store_damage().isEmpty()) << window.store_damage().join("; ").toStdString();
  EXPECT_FALSE(window.windowTitle().contains("damaged")) << window.windowTitle().toStdString();
}

TEST(DamagedStore, IsReportedOnOpenAndNoSelectionEndsTheProgram) {
  ScratchDir dir;
  const std::string path = damaged_store(dir, "samples");  // no sample can be read; the run and its aggregates can
  EXPECT_FALSE(TraceStore(path, TraceStore::Mode::ReadOnly).damage().empty()) << "the damage does not reach SQLite's pages";
  workbench::MainWindow window;
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(path))) << "the run's own tables are intact: " << window.statusBar()->currentMessage().toStdString();
  turn_event_loop_until([&] { return window.damage_check_done(); }, 30000);
  ASSERT_TRUE(window.damage_check_done());
  ASSERT_FALSE(window.store_damage().isEmpty());
  EXPECT_TRUE(window.windowTitle().startsWith("[damaged]") || window.statusBar()->currentMessage().contains("damaged"))
      << window.windowTitle().toStdString();
  // Selections arrive as events (a click in Samples, a node of the tree); each goes to every view.
  int failures = 0;
  QObject::connect(qobject_cast<workbench::GuardedApplication*>(qApp), &workbench::GuardedApplication::handler_failed,
                   [&failures](const QString&, bool) { ++failures; });
  for (int64_t sample = 0; sample < 300; sample += 7) {
    QMetaObject::invokeMethod(&window, [&window, sample] { window.selection().select_sample(sample); }, Qt::QueuedConnection);
    QApplication::processEvents();
  }
  for (int64_t layer = 0; layer < 2; ++layer) {
    QMetaObject::invokeMethod(&window, [&window, layer] { window.selection().select_layer(layer, 0); }, Qt::QueuedConnection);
    QApplication::processEvents();
  }
  turn_event_loop_until([] { return false; }, 300);
  EXPECT_TRUE(window.isVisible());
  EXPECT_GT(failures, 0) << "no view reached a damaged page: the test no longer exercises the failure path";
  if (failures > 0) {
    EXPECT_TRUE(window.statusBar()->currentMessage().contains("damaged")) << window.statusBar()->currentMessage().toStdString();
  }
}

TEST(DamagedStore, WithItsRoutingBrokenShowsTheRunAndReportsTheViewsThatCannot) {
  ScratchDir dir;
  const std::string path = damaged_store(dir, "routing");  // the tree's leaf shares and every path read it
  workbench::MainWindow window;
  EXPECT_TRUE(window.open_store(QString::fromStdString(path))) << window.statusBar()->currentMessage().toStdString();
  EXPECT_TRUE(window.statusBar()->currentMessage().contains("damaged")) << window.statusBar()->currentMessage().toStdString();
  EXPECT_GT(window.utilization()->findChild<QCustomPlot*>()->plottableCount(), 0) << "the aggregates are intact and shown";
}

TEST(DamagedStore, ThatCannotBeOpenedIsCalledDamagedNotForeign) {
  ScratchDir dir;
  const std::string path = damaged_store(dir, "");
  workbench::MainWindow window;
  EXPECT_FALSE(window.open_store(QString::fromStdString(path)));
  const QString message = window.statusBar()->currentMessage();
  EXPECT_TRUE(message.contains("damaged")) << message.toStdString();
  EXPECT_FALSE(message.contains("Choose a store written by ndtmoe trace")) << message.toStdString();
}
