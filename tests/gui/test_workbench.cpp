// GUI tests on the offscreen platform: the workbench window on a traced run, every view populated,
// selection linking across views, and valid figure files.
#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <QMenuBar>
#include <QTranslator>
#include <QComboBox>
#include <QGraphicsItem>
#include <QGraphicsTextItem>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>
#include <QXmlStreamReader>
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>

#include "../core/hash_family.h"
#include "../core/run_fixtures.h"
#include "../core/token_fixtures.h"
#include "figure_export_dialog.h"
#include "guarded_application.h"
#include "main_window.h"
#include "new_run_dialog.h"
#include "training_job.h"
#include "ndtmoe_views/run_list_model.h"
#include "ndtmoe_views/training_view.h"
#include "preferences.h"
#include "ndtmoe/model/cpu_threads.h"
#include "ndtmoe/train/defaults.h"
#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe/explain/explain.h"
#include "ndtmoe/trace/tracer.h"
#include "ndtmoe_views/importance_view.h"
#include "ndtmoe_views/decision_path_view.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/comparison_view.h"
#include "ndtmoe_views/expert_gallery_view.h"
#include "ndtmoe_views/gate_view.h"
#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/routing_tree_view.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/run_figures.h"
#include "ndtmoe_views/samples_view.h"
#include "ndtmoe_views/selection.h"
#include "ndtmoe_views/store_worker.h"
#include "ndtmoe_views/qcustomplot_keywords.h"
#include "ndtmoe_views/utilization_view.h"
#include "ndtmoe_views/embedding_view.h"
#include "ndtmoe_views/tuning_view.h"
#include "ndtmoe_views/expert_tokens_view.h"
#include "ndtmoe_views/neuron_dashboard_view.h"
#include "ndtmoe_views/token_lanes_view.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

namespace {

// One traced run shared by the tests (training it is the slow part).
class Workbench : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir;
    LoadedRun run = ndtmoe::test::tiny_run(*dir_, 300);
    const Dataset data = load_data_for_run(run, "builtin:rule-tree");
    store_path_ = dir_->path() + "/trace.sqlite";
    TraceStore store(store_path_);
    trace_run(store, run, dir_->path() + "/run", "builtin:rule-tree", data, torch::kCPU);
    ExplainOptions permutation;
    permutation.method = "permutation";
    permutation.repeats = 2;
    explain(store, 1, permutation);
  }
  static void TearDownTestSuite() { delete dir_; }

  void SetUp() override {
    window_ = std::make_unique<workbench::MainWindow>();
    window_->resize(1200, 800);
    window_->show();
    ASSERT_TRUE(window_->open_store(QString::fromStdString(store_path_)));
    QApplication::processEvents();
  }

  TraceStore store() { return TraceStore(store_path_, TraceStore::Mode::ReadOnly); }

  // What-if: the feature the root level of layer 0 weighs most, and a value of it far on the other side
  // of the threshold from where `path` went.
  std::pair<int64_t, double> root_feature_flipped(const DecisionPath& path) {
    const RunDescription d = store().description(1);
    const RouterLevel& root = d.routers[0].level(0, 0);
    const int64_t feature = d.router_inputs.at(static_cast<size_t>(root.selectors.front().first)).feature;
    if (feature < 0) return {feature, 0.0};
    const FeatureInfo& f = d.features[static_cast<size_t>(feature)];
    return {feature, f.mean + (path.layers[0].levels[0].right ? -60.0 : 60.0) * f.scale};
  }

  static ScratchDir* dir_;
  static std::string store_path_;
  std::unique_ptr<workbench::MainWindow> window_;
};

ScratchDir* Workbench::dir_ = nullptr;
std::string Workbench::store_path_;

// Shows the window on a store (its newest complete run).
void show_store(workbench::MainWindow& window, const std::string& store_path) {
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(store_path))) << window.statusBar()->currentMessage().toStdString();
}

// Turns the event loop until the shown run's model has loaded for what-if (on a worker thread).
void wait_for_what_if(const workbench::MainWindow& window) {
  QElapsedTimer clock;
  clock.start();
  while (!window.what_if_ready() && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::AllEvents, 10);
  ASSERT_TRUE(window.what_if_ready());
}

// Turns the event loop until the samples table has its rows (they are queried on the store's worker).
void wait_for_rows(views::SamplesView* view) {
  QElapsedTimer clock;
  clock.start();
  while (view->loading() && clock.elapsed() < 10000) QApplication::processEvents(QEventLoop::AllEvents, 10);
  EXPECT_FALSE(view->loading()) << "the samples query did not come back";
}

// A run summary of a tree router of `depth` levels.
RunSummary summary_of_depth(int64_t depth) {
  RunSummary s;
  s.family = "ndt";
  s.trees = 1;
  s.depth = depth;
  return s;
}

// Opens an empty store of its own in the window (tests that train may run at once, and the default store
// is shared); its path, or an empty string when the window could not open it.
QString open_own_store(workbench::MainWindow& window, const ScratchDir& dir, const std::string& file) {
  const QString path = QString::fromStdString(dir.path() + "/" + file);
  { TraceStore create(path.toStdString()); }
  return window.open_store(path) ? path : QString();
}

struct JobEnd {
  bool done = false, ok = false;
  qint64 traced = -1;  // the run's id in the store
};

// Turns the event loop until the job has finished (3 minutes at most); a failure is reported with its message.
JobEnd wait_until_finished(workbench::TrainingJob& job) {
  JobEnd end;
  QObject listening;  // the connection ends with this function, as `end` does
  QObject::connect(&job, &workbench::TrainingJob::finished, &listening, [&](bool success, const QString& message, qint64 id) {
    end = {true, success, id};
    if (!success) ADD_FAILURE() << message.toStdString();
  });
  QElapsedTimer clock;
  clock.start();
  while (!end.done && clock.elapsed() < 180000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  return end;
}

QByteArray read(const QString& path) {
  QFile f(path);
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
  return f.readAll();
}

}  // namespace

TEST_F(Workbench, EveryViewIsPopulated) {
  EXPECT_EQ(window_->routing_tree()->node_count(), 7);  // depth 2: 3 inner nodes + 4 leaves
  EXPECT_GT(window_->routing_tree()->scene()->items().size(), 7 * 3);
  EXPECT_EQ(window_->utilization()->plottable_count(), 3);  // expert x class, expert x layer, flow 0 -> 1
  wait_for_rows(window_->samples());
  EXPECT_EQ(window_->samples()->model().rowCount(), 300);
  window_->selection().select_sample(5);
  ASSERT_TRUE(window_->decision_path()->path());
  EXPECT_EQ(window_->decision_path()->path()->sample.sample, 5);
  EXPECT_EQ(window_->decision_path()->tree()->topLevelItemCount(), 2);  // one item per layer
  ASSERT_TRUE(window_->importance()->show("permutation", "output"));
  EXPECT_EQ(window_->importance()->bar_count(), 8);  // f0..f7
  EXPECT_TRUE(window_->importance()->show("permutation", "layer 1 routing"));
  EXPECT_FALSE(window_->importance()->show("integrated-gradients", "output"));  // none stored
  EXPECT_GE(window_->training()->graph_count(), 3);  // the stored run's student loss terms and validation metric
}

TEST_F(Workbench, SelectionLinksTheViews) {
  TraceStore s = store();
  // A tree node narrows the samples table to the samples behind it.
  window_->selection().select_node(0, 0, 1, 1);
  int64_t behind = 0;
  for (const TreeNodeCount& n : s.tree_nodes(1, 0, 0))
    if (n.level == 1 && n.node == 1) behind = n.samples;
  wait_for_rows(window_->samples());
  EXPECT_EQ(window_->samples()->model().rowCount(), behind);
  // An expert x class cell.
  window_->selection().select_expert(1, 2, 0);
  int64_t cell = 0;
  for (const CountCell& c : s.expert_classes(1, 1))
    if (c.row == 2 && c.column == 0) cell = c.samples;
  wait_for_rows(window_->samples());
  EXPECT_EQ(window_->samples()->model().rowCount(), cell);
  EXPECT_EQ(window_->utilization()->plot()->itemCount(), 2);  // the cell and the expert's load, outlined
  // Choosing a row selects the sample everywhere: the path shows it and the tree view follows its layer.
  window_->selection().clear_group();
  wait_for_rows(window_->samples());
  window_->samples()->table()->selectRow(10);
  const int64_t chosen = window_->samples()->model().row(10).sample;
  ASSERT_TRUE(window_->selection().current().sample);
  EXPECT_EQ(*window_->selection().current().sample, chosen);
  EXPECT_EQ(window_->decision_path()->path()->sample.sample, chosen);
}

TEST_F(Workbench, StoreWorkerAnswersOnTheGuiThreadLatestFirstAndNamesErrors) {
  views::StoreWorker worker(store_path_);
  QObject receiver;
  std::vector<int64_t> delivered;
  QString error;
  const auto gui_thread = QThread::currentThread();
  const auto count = [](int64_t run) { return [run](TraceStore& s) { return s.run(run).traced_samples; }; };
  // Held up by a slow first query, the two waiting requests under key "b" collapse into the newer.
  worker.request<int64_t>(&receiver, "a", [](TraceStore& s) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return s.run(1).total_samples;
  }, [&](int64_t n) { delivered.push_back(n); });
  worker.request<int64_t>(&receiver, "b", count(1), [&](int64_t) { delivered.push_back(-1); });
  worker.request<int64_t>(&receiver, "b", count(1), [&](int64_t n) {
    EXPECT_EQ(QThread::currentThread(), gui_thread);
    delivered.push_back(n + 1);
  });
  worker.request<int64_t>(&receiver, "c", count(99), [&](int64_t) { delivered.push_back(-2); }, [&](const QString& m) { error = m; });
  QElapsedTimer clock;
  clock.start();
  while (error.isEmpty() && clock.elapsed() < 5000) QApplication::processEvents(QEventLoop::AllEvents, 10);
  EXPECT_EQ(delivered, (std::vector<int64_t>{300, 301}));
  EXPECT_TRUE(error.contains("99")) << error.toStdString();
  // A receiver gone before the answer gets nothing.
  auto gone = std::make_unique<QObject>();
  bool called = false;
  worker.request<int64_t>(gone.get(), "d", count(1), [&](int64_t) { called = true; });
  gone.reset();
  clock.restart();
  while (clock.elapsed() < 200) QApplication::processEvents(QEventLoop::AllEvents, 10);
  EXPECT_FALSE(called);
}

TEST_F(Workbench, WhatIfEditUpdatesThePathQuicklyAndUndoes) {
  window_->selection().select_sample(7);
  views::DecisionPathView* view = window_->decision_path();
  const DecisionPath before = *view->path();
  const auto [feature, value] = root_feature_flipped(before);
  ASSERT_GE(feature, 0);
  wait_for_what_if(*window_);
  QElapsedTimer clock;
  clock.start();
  ASSERT_TRUE(view->edit_feature(feature, value));
  const qint64 first_ms = clock.elapsed();
  clock.restart();
  view->undo_stack()->undo();
  view->undo_stack()->redo();
  const qint64 edit_ms = clock.elapsed() / 2;
  EXPECT_LT(edit_ms, 100) << "a what-if edit took " << edit_ms << " ms";
  EXPECT_LT(first_ms, 2000);
  ASSERT_TRUE(view->what_if_active());
  EXPECT_NE(view->path()->layers[0].levels[0].right, before.layers[0].levels[0].right);
  EXPECT_NE(view->path()->sample.inputs, before.sample.inputs);
  // The routing tree follows the edited path.
  const auto highlighted = window_->routing_tree()->highlighted();
  ASSERT_FALSE(highlighted.empty());
  EXPECT_EQ(highlighted[1].second, view->path()->layers[0].levels[0].right ? 1 : 0);  // level-1 node = branch at the root
  view->undo_stack()->undo();
  EXPECT_FALSE(view->what_if_active());
  EXPECT_EQ(view->path()->layers[0].levels[0].right, before.layers[0].levels[0].right);
  EXPECT_EQ(view->path()->sample.inputs, before.sample.inputs);
}

TEST_F(Workbench, LeavesShowTheMeasuredShareOfTheirSamplesByExpertNotTheMappingWeights) {
  window_->selection().select_layer(0, 0);
  QApplication::processEvents();
  TraceStore s = store();
  int leaves_checked = 0;
  for (QGraphicsItem* item : window_->routing_tree()->scene()->items()) {
    const QString tip = item->toolTip();
    if (!tip.contains("leaf-to-expert mapping weights")) continue;
    int64_t leaf = -1;
    for (QGraphicsItem* child : item->childItems())
      if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(child); text && text->text().startsWith("leaf "))
        leaf = text->text().section(' ', 1, 1).toLongLong();
    ASSERT_GE(leaf, 0) << tip.toStdString();
    SampleFilter filter;
    filter.layer = 0;
    filter.tree = 0;
    filter.leaf = leaf;
    std::map<int64_t, int64_t> by_expert;
    const std::vector<int64_t> ids = s.samples(1, filter);
    for (int64_t id : ids) ++by_expert[s.sample(1, id).layers.at(0).expert];
    for (const auto& [expert, count] : by_expert) {
      const double share = static_cast<double>(count) / static_cast<double>(ids.size());
      const QString expected = QString("E%1 %2% (%3)").arg(expert).arg(QString::number(100 * share, 'f', share < 0.1 ? 1 : 0)).arg(count);
      EXPECT_TRUE(tip.contains(expected)) << "leaf " << leaf << ": " << expected.toStdString() << " missing from\n" << tip.toStdString();
    }
    ++leaves_checked;
  }
  EXPECT_EQ(leaves_checked, 1 << s.description(1).routers[0].depth);
}

TEST_F(Workbench, TheTreeKeepsTheWhatIfPathAcrossLayersUntilReset) {
  window_->selection().select_sample(4);
  views::DecisionPathView* view = window_->decision_path();
  const DecisionPath stored = *view->path();
  const auto [feature, value] = root_feature_flipped(stored);
  ASSERT_GE(feature, 0);
  const RunDescription d = store().description(1);
  wait_for_what_if(*window_);
  window_->selection().select_layer(1, 0);  // the edit is made while another layer is shown
  ASSERT_TRUE(view->edit_feature(feature, value));
  const DecisionPath edited = *view->path();
  ASSERT_NE(edited.layers[0].top_leaves[0], stored.layers[0].top_leaves[0]);
  const auto leaf_node = [&](const DecisionPath& p) {  // the highlighted leaf of layer 0, tree 0
    return std::make_pair(d.routers[0].depth, static_cast<int64_t>(p.layers[0].top_leaves[0]));
  };
  window_->selection().select_layer(0, 0);
  EXPECT_EQ(window_->routing_tree()->highlighted().back(), leaf_node(edited)) << "layer 0 shows the stored path, not the edited one";
  QPushButton* reset = nullptr;
  for (QPushButton* b : view->findChildren<QPushButton*>())
    if (b->text() == "Reset what-if") reset = b;
  ASSERT_NE(reset, nullptr);
  reset->click();
  EXPECT_FALSE(view->what_if_active());
  EXPECT_EQ(view->path()->layers[0].top_leaves[0], stored.layers[0].top_leaves[0]);
  EXPECT_EQ(window_->routing_tree()->highlighted().back(), leaf_node(stored)) << "reset left the tree on the edited path";
}

TEST(WhatIf, NominalFeaturesAreEditedByCategory) {
  ScratchDir dir;
  const std::string source = ndtmoe::test::shared_data("contact-lenses.arff");
  LoadedRun run = ndtmoe::test::tiny_run(dir, 0, {}, source);
  const std::string store_path = dir.path() + "/lenses.sqlite";
  {
    TraceStore store(store_path);
    trace_run(store, run, dir.path() + "/run", source, load_data_for_run(run, source), torch::kCPU);
  }
  workbench::MainWindow window;
  ASSERT_TRUE(window.open_store(QString::fromStdString(store_path))) << window.statusBar()->currentMessage().toStdString();
  window.selection().select_sample(0);
  views::DecisionPathView* view = window.decision_path();
  ASSERT_TRUE(view->path());
  wait_for_what_if(window);
  std::vector<float> sent;
  QObject::connect(view, &views::DecisionPathView::inputs_edited, [&](const std::vector<float>& inputs) { sent = inputs; });
  // The first feature (age: young, pre-presbyopic, presbyopic) is one-hot in inputs 0..2.
  const std::vector<float> stored = view->path()->sample.inputs;
  const auto hot = std::find(stored.begin(), stored.begin() + 3, 1.0f) - stored.begin();
  ASSERT_LT(hot, 3);
  const int64_t other = (hot + 1) % 3;
  EXPECT_FALSE(view->edit_feature(0, 3)) << "not a category";
  EXPECT_FALSE(view->edit_feature(0, 0.5)) << "not a category";
  ASSERT_TRUE(view->edit_feature(0, static_cast<double>(other)));
  ASSERT_EQ(sent.size(), stored.size());
  EXPECT_EQ(sent[static_cast<size_t>(other)], 1.0f);
  EXPECT_EQ(sent[static_cast<size_t>(hot)], 0.0f);
  EXPECT_TRUE(std::equal(sent.begin() + 3, sent.end(), stored.begin() + 3)) << "other features changed";
  EXPECT_TRUE(view->what_if_active());
  EXPECT_EQ(view->path()->sample.inputs, sent) << "the live model's path was not shown";
  view->undo_stack()->undo();
  EXPECT_FALSE(view->what_if_active());
  EXPECT_EQ(sent, stored);
}

TEST_F(Workbench, ExportedFiguresAreValidFiles) {
  ScratchDir out;
  window_->selection().select_sample(3);
  wait_for_rows(window_->samples());
  const QString dir = QString::fromStdString(out.path()) + "/figures";
  const QStringList files =
      views::export_figures(window_->figures(), dir, {views::FigureFormat::Png, views::FigureFormat::Svg, views::FigureFormat::Pdf}, {QSize(), 150});
  EXPECT_EQ(files.size(), 7 * 4);  // 7 views x (png, svg, pdf, csv)
  for (const QString& file : files) {
    const QByteArray bytes = read(file);
    ASSERT_GT(bytes.size(), 100) << file.toStdString();
    if (file.endsWith(".png")) {
      EXPECT_TRUE(bytes.startsWith("\x89PNG\r\n\x1a\n")) << file.toStdString();
      const auto be32 = [&](int at) {
        return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24) | (static_cast<uint8_t>(bytes[at + 1]) << 16) |
               (static_cast<uint8_t>(bytes[at + 2]) << 8) | static_cast<uint8_t>(bytes[at + 3]);
      };
      EXPECT_EQ(bytes.mid(12, 4), QByteArray("IHDR"));
      EXPECT_GT(be32(16), 500u);  // width at 150 DPI
      EXPECT_GT(be32(20), 300u);
    } else if (file.endsWith(".svg")) {
      QXmlStreamReader xml(bytes);
      bool svg_root = false;
      while (!xml.atEnd() && !svg_root) svg_root = xml.readNextStartElement() && xml.name() == QLatin1String("svg");
      EXPECT_TRUE(svg_root) << file.toStdString();
      while (!xml.atEnd()) xml.readNext();
      EXPECT_FALSE(xml.hasError()) << file.toStdString() << ": " << xml.errorString().toStdString();
    } else if (file.endsWith(".pdf")) {
      EXPECT_TRUE(bytes.startsWith("%PDF-")) << file.toStdString();
      EXPECT_TRUE(bytes.trimmed().endsWith("%%EOF")) << file.toStdString();
      EXPECT_TRUE(bytes.contains("/FontFile")) << file.toStdString() << ": fonts are not embedded";
    } else {
      EXPECT_TRUE(bytes.contains('\n')) << file.toStdString();
    }
  }
  // "Export all figures of this run": trees and utilization per layer, the path, the stored importances,
  // the training curves.
  const QStringList all = views::export_run_figures(std::make_shared<views::RunData>(std::make_shared<TraceStore>(store_path_, TraceStore::Mode::ReadOnly), 1),
                                                    dir + "/all", {views::FigureFormat::Svg}, {}, {3});
  // 2 trees, 2 per-layer utilization figures and expert x layer once, per layer the embedding by expert and by class,
  // 1 path, 3 importance targets, curves; svg + csv each
  EXPECT_EQ(all.size(), (2 + 2 + 1 + 4 + 1 + 3 + 1) * 2);
  EXPECT_TRUE(read(dir + "/all/embedding-layer1-tsne-class.csv").startsWith("sample,method,layer,x,y,expert,class,correct\n"));
  EXPECT_TRUE(read(dir + "/all/training-curves.csv").contains("student,"));
  EXPECT_FALSE(read(dir + "/all/expert-utilization-layer0.csv").contains("expert_layer,"));
  EXPECT_TRUE(read(dir + "/all/expert-by-layer.csv").contains("expert_layer,"));
  EXPECT_FALSE(read(dir + "/all/expert-by-layer.csv").contains("expert_class,"));
  // A failed export names the file and leaves nothing behind.
  const QString bad = "/nonexistent-dir/figure.png";
  EXPECT_FALSE(views::export_figure(*window_->routing_tree(), bad, views::FigureFormat::Png).isEmpty());
  EXPECT_FALSE(QFile::exists(bad));
}

TEST(Training, RunsOffTheGuiThreadWithLiveCurvesPausesAndShowsTheNewRun) {
  workbench::MainWindow window;  // no store open: the run goes to the default store (test-mode paths)
  window.show();
  workbench::NewRun run;
  run.name = "gui-training-test";
  run.data = DataDescription::holdout("builtin:rule-tree", 1000);
  run.config = ndtmoe::test::tiny_student_config();
  run.config.teacher_kind = TeacherKind::Transformer;
  run.config.teacher.d_token = 16;
  run.config.teacher.blocks = 1;
  run.config.teacher.heads = 2;
  run.config.teacher_training.epochs = 3;
  run.config.student_training.epochs = 10;
  QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/runs.sqlite");
  workbench::TrainingJob* job = window.start_training(run);
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(window.start_training(run), nullptr) << "a second training started while one runs";
  bool done = false, ok = false;
  QObject::connect(job, &workbench::TrainingJob::finished, [&](bool success, const QString& message, qint64) {
    done = true;
    ok = success;
    if (!success) ADD_FAILURE() << message.toStdString();
  });
  // Pause at the first point: after the step in flight, no point may arrive until resumed.
  int points = 0, points_when_settled = -1, points_while_paused = -1;
  QObject::connect(job, &workbench::TrainingJob::progress, &window, [&] {  // queued: emitted on the worker
    if (++points != 1) return;
    window.training()->set_paused(true);
    QTimer::singleShot(300, [&] { points_when_settled = points; });
    QTimer::singleShot(900, [&] {
      points_while_paused = points;
      window.training()->set_paused(false);
    });
  });
  // The event loop must keep turning: a 5 ms timer measures the longest gap between its ticks.
  QElapsedTimer clock, since_tick;
  clock.start();
  since_tick.start();
  qint64 longest = 0;
  QTimer tick;
  // Only gaps while the job trains and traces count: showing the finished run afterwards is ordinary
  // GUI work (opening a store), not the job blocking the GUI.
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const qint64 gap = since_tick.restart();
    if (window.training()->running()) longest = std::max(longest, gap);
  });
  tick.start(5);
  while (!done && clock.elapsed() < 180000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  tick.stop();
  ASSERT_TRUE(done) << "training did not finish";
  EXPECT_TRUE(ok);
  // Training on the GUI thread would block it for seconds; the limit leaves room for a busy CI machine.
  EXPECT_LT(longest, 250) << "the GUI thread was blocked for " << longest << " ms";
  EXPECT_GE(points_when_settled, 1);
  EXPECT_EQ(points_while_paused, points_when_settled) << "training went on while paused";
  EXPECT_GT(points, points_while_paused) << "training did not continue after resuming";
  EXPECT_FALSE(window.training()->paused());
  EXPECT_GE(window.training()->graph_count(), 4);  // teacher and student loss terms and metrics
  EXPECT_EQ(window.routing_tree()->node_count(), 7);  // the new run is shown
  wait_for_rows(window.samples());
  EXPECT_EQ(window.samples()->model().rowCount(), 1000);
  std::cerr << "longest event-loop gap during training and tracing: " << longest << " ms over " << clock.elapsed() << " ms\n";
}

TEST(Training, ATunedRunTunesFirstAndKeepsItsTrialsInTheStore) {
  // A store of its own: the test above trains into the default store, and CTest may run both at once.
  ScratchDir dir;
  workbench::MainWindow window;
  const QString own_store = open_own_store(window, dir, "tuned.sqlite");
  ASSERT_FALSE(own_store.isEmpty());
  workbench::NewRun run;
  run.name = "gui-tuning-test";
  run.data = DataDescription::holdout("builtin:rule-tree", 300);
  run.config = ndtmoe::test::tiny_student_config();
  run.tuning = parse_tuning_budget("2");
  workbench::TrainingJob* job = window.start_training(run);
  ASSERT_NE(job, nullptr);
  const QString store_path = job->store_path();
  EXPECT_EQ(store_path, own_store);
  bool tuned_first = false, trained = false;
  double last_progress = 0;
  QObject::connect(job, &workbench::TrainingJob::progress, &window, [&](const views::CurvePoint& p) {
    if (p.model == "tune" && !trained) tuned_first = true;
    if (p.model == "student") trained = true;
    EXPECT_GE(p.progress + 1e-9, last_progress) << "the bar went back at " << p.stage.toStdString();
    last_progress = p.progress;
  });
  const JobEnd end = wait_until_finished(*job);
  ASSERT_TRUE(end.done && end.ok);
  EXPECT_TRUE(tuned_first);
  EXPECT_TRUE(trained);
  TraceStore store(store_path.toStdString(), TraceStore::Mode::ReadOnly);
  const auto config = nlohmann::json::parse(store.description(end.traced).config_json);
  ASSERT_TRUE(config.contains("tuning"));
  EXPECT_EQ(config["tuning"]["trials"].size(), 2u);

  // The Tuning view shows the stored record: a row per trial, the chosen one marked, each scored trial
  // drawn at its stored score, the chosen one ringed.
  QElapsedTimer clock;
  clock.start();
  while ((!window.shown_run() || window.shown_run()->id != end.traced) && clock.elapsed() < 10000) QApplication::processEvents(QEventLoop::AllEvents, 20);
  const TuningRecord record = TuningRecord::from_json(config["tuning"]);
  views::TuningView* view = window.tuning();
  ASSERT_TRUE(view->record());
  ASSERT_EQ(view->table()->rowCount(), 2);
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(view->table()->item(r, 0)->text().endsWith(" *"), r == record.chosen) << "row " << r;
    // The mean on the fresh split, where trial 1 led trial 0 on the search folds and both ran again.
    EXPECT_EQ(view->table()->item(r, 3)->text().toStdString(), confirmation_text(record.trials[static_cast<size_t>(r)]));
    if (!record.trials[static_cast<size_t>(r)].failed()) {
      EXPECT_EQ(view->table()->item(r, 1)->text(), QString::number(record.trials[static_cast<size_t>(r)].score, 'f', 4));
    }
  }
  std::map<QString, std::vector<std::pair<double, double>>> drawn;
  for (int g = 0; g < view->plot()->graphCount(); ++g)
    for (auto it = view->plot()->graph(g)->data()->constBegin(); it != view->plot()->graph(g)->data()->constEnd(); ++it)
      drawn[view->plot()->graph(g)->name()].push_back({it->key, it->value});
  size_t scored = 0;
  for (const TuningTrial& t : record.trials) scored += !t.failed();
  EXPECT_EQ(drawn["trial (mean over inner folds)"].size() + drawn["stopped behind the best on its folds (their mean)"].size(), scored);
  ASSERT_EQ(drawn["chosen"].size(), 1u);
  EXPECT_EQ(drawn["chosen"][0].second, record.trials.at(static_cast<size_t>(record.chosen)).score);
  // Trial 0 and the best again on the fresh split, at the mean of their fresh folds (when it ran).
  std::vector<std::pair<double, double>> fresh;
  for (const TuningTrial& t : record.trials)
    if (!t.confirmation_scores.empty())
      fresh.push_back({static_cast<double>(t.number), std::stod(confirmation_text(t))});
  ASSERT_EQ(drawn["again on a fresh split (mean)"].size(), fresh.size());
  for (size_t i = 0; i < fresh.size(); ++i) {
    EXPECT_EQ(drawn["again on a fresh split (mean)"][i].first, fresh[i].first);
    EXPECT_NEAR(drawn["again on a fresh split (mean)"][i].second, fresh[i].second, 5e-5);
  }
  // Trials are numbered, so the axis marks whole trials only.
  view->plot()->replot();
  ASSERT_FALSE(view->plot()->xAxis->tickVector().isEmpty());
  for (double tick : view->plot()->xAxis->tickVector()) EXPECT_EQ(tick, std::round(tick));
  QString csv;
  QTextStream stream(&csv);
  view->write_figure_data(stream);
  EXPECT_EQ(csv.count('\n'), 3) << csv.toStdString();  // header and two trials
}

TEST(Training, AForestTeacherShowsTheTreesItGrowsOnTheBar) {
  ScratchDir dir;
  workbench::MainWindow window;
  ASSERT_FALSE(open_own_store(window, dir, "forest.sqlite").isEmpty());
  workbench::NewRun run;
  run.name = "gui-forest-test";
  run.data = DataDescription::holdout("builtin:rule-tree", 300);
  run.config = ndtmoe::test::tiny_student_config();
  run.config.teacher_kind = TeacherKind::Forest;
  workbench::TrainingJob* job = window.start_training(run);
  ASSERT_NE(job, nullptr);
  std::vector<int> trees;  // as the label says them, in order (the job starts once the event loop runs: none is missed)
  double last_progress = 0, student_start = -1;
  QObject::connect(job, &workbench::TrainingJob::progress, &window, [&](const views::CurvePoint& p) {
    EXPECT_GE(p.progress + 1e-9, last_progress) << "the bar went back at " << p.stage.toStdString();
    last_progress = p.progress;
    const QRegularExpressionMatch grown = QRegularExpression("^Growing the forest teacher: (\\d+) of 200 trees$").match(p.stage);
    if (p.model == "forest" && grown.hasMatch()) {
      trees.push_back(grown.captured(1).toInt());
      // The forest is the first of two stages (forest, student) sharing the bar's first 90%.
      EXPECT_NEAR(p.progress, 0.45 * trees.back() / 200.0, 1e-9) << p.stage.toStdString();
    }
    if (p.model == "student" && student_start < 0) student_start = p.progress;
  });
  ASSERT_TRUE(wait_until_finished(*job).done);
  std::vector<int> every_tree(200);
  std::iota(every_tree.begin(), every_tree.end(), 1);
  EXPECT_EQ(trees, every_tree) << "one point per tree, in order";
  EXPECT_GE(student_start, 0.45);
}

TEST(RoutingTree, DepthTenWithAThousandLeavesBuildsQuickly) {
  ScratchDir dir;
  LoadedRun run = ndtmoe::test::tiny_run(dir, 500, [](ExperimentConfig& c) {
    c.student.layers = 1;
    c.student.family_options = {{"depth", 10}};
  });
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const std::string path = dir.path() + "/deep.sqlite";
  {
    TraceStore store(path);
    trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU);
  }
  views::SelectionModel selection;
  views::RoutingTreeView view(selection);
  view.resize(1200, 800);
  QElapsedTimer clock;
  clock.start();
  view.set_hide_empty(false);
  auto run_data = std::make_shared<views::RunData>(std::make_shared<TraceStore>(path, TraceStore::Mode::ReadOnly), 1);
  view.set_run(run_data);
  const qint64 build_ms = clock.elapsed();
  EXPECT_EQ(view.node_count(), 2047);
  EXPECT_LT(build_ms, 6000) << "laying out 2,047 nodes took " << build_ms << " ms";  // generous: a busy CI machine
  clock.restart();
  selection.select_sample(3);  // re-highlighting a path must not rebuild (a rebuild takes seconds)
  EXPECT_LT(clock.elapsed(), 500);
  EXPECT_EQ(view.highlighted().size(), 11u);  // root to leaf
  std::cerr << "depth-10 tree built in " << build_ms << " ms\n";

  // Folding the branches no sample reaches: at most 500 reached leaves, each drawn node's parent reached.
  view.set_hide_empty(true);
  std::set<int64_t> reached;
  for (const TreeNodeCount& c : run_data->tree_nodes(0, 0))
    if (c.samples > 0 && c.level == 10) reached.insert(c.node);
  EXPECT_LT(view.node_count(), 2047);
  EXPECT_GE(view.node_count(), static_cast<int64_t>(reached.size()) + 10);
  EXPECT_EQ(view.highlighted().size(), 11u) << "the selected sample's path is all reached nodes";
  // A what-if path into a folded branch ends at that branch's stub.
  SampleTrace elsewhere = run_data->sample(3);
  int64_t empty_leaf = 0;
  while (reached.count(empty_leaf)) ++empty_leaf;
  elsewhere.layers[0].leaves[0] = static_cast<int32_t>(empty_leaf);
  view.highlight(elsewhere);
  const auto folded = view.highlighted();
  ASSERT_FALSE(folded.empty());
  EXPECT_LT(folded.size(), 11u);
  EXPECT_EQ(folded.back().second, empty_leaf % (int64_t{1} << folded.back().first));

  // The window shows a tree this deep as an icicle until the user chooses; the choice then holds.
  QSettings().remove("view/icicle");
  {
    workbench::MainWindow window;
    show_store(window, path);
    EXPECT_TRUE(window.routing_tree()->icicle());
    QAction* icicle = nullptr;
    for (QAction* action : window.findChildren<QAction*>())
      if (action->text() == "Icicle") icicle = action;
    ASSERT_NE(icicle, nullptr);
    EXPECT_TRUE(icicle->isChecked());
    icicle->setChecked(false);
    EXPECT_FALSE(window.routing_tree()->icicle());
  }
  {
    workbench::MainWindow window;
    show_store(window, path);
    EXPECT_FALSE(window.routing_tree()->icicle()) << "the user's node-link choice holds";
  }
  QSettings().remove("view/icicle");
  EXPECT_TRUE(views::RoutingTreeView::icicle_suits(run_data->summary()));
  EXPECT_FALSE(views::RoutingTreeView::icicle_suits(summary_of_depth(2)));
}

TEST(NewRun, PreviewsDataOffTheGuiThreadAndReportsBadFiles) {
  ScratchDir dir;
  workbench::NewRunDialog dialog(nullptr, "builtin:rule-tree");
  QElapsedTimer clock;
  clock.start();
  while (!dialog.loaded() && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  ASSERT_TRUE(dialog.loaded());
  auto* preview = dialog.findChild<QTableView*>();
  ASSERT_NE(preview, nullptr);
  EXPECT_EQ(preview->model()->rowCount(), 2000);
  EXPECT_EQ(preview->model()->columnCount(), 9);  // f0..f7 and the class
  const workbench::NewRun run = dialog.chosen();
  EXPECT_EQ(run.data.source, "builtin:rule-tree");
  EXPECT_EQ(run.data.target, "");  // the last column
  EXPECT_FALSE(run.name.isEmpty());
  EXPECT_TRUE(run.data.image_shape.empty());
  // Pixels as image: the 8 features as a 2x4 image; a shape of another size is refused before training.
  auto* image = dialog.findChild<QLineEdit*>("image");
  ASSERT_NE(image, nullptr);
  image->setText("2x4");
  EXPECT_TRUE(dialog.chosen().data.image_shape.empty()) << "the default patch of 4 does not divide 2";
  dialog.findChild<QSpinBox*>("patch")->setValue(2);
  EXPECT_EQ(dialog.chosen().data.image_shape, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(dialog.chosen().config.teacher.patch, 2);
  EXPECT_EQ(dialog.chosen().config.teacher.conv_stem, 0) << "no convolutional stem unless asked for";
  dialog.findChild<QSpinBox*>("conv_stem")->setValue(8);
  EXPECT_EQ(dialog.chosen().config.teacher.conv_stem, 8);
  EXPECT_FALSE(dialog.chosen().config.teacher_augmentation.enabled()) << "no augmentation unless asked for";
  dialog.findChild<QSpinBox*>("augment_shift")->setValue(1);
  dialog.findChild<QCheckBox*>("augment_flip")->setChecked(true);
  EXPECT_EQ(dialog.chosen().config.teacher_augmentation.max_shift, 1);
  EXPECT_TRUE(dialog.chosen().config.teacher_augmentation.horizontal_flip);
  EXPECT_FALSE(dialog.chosen().config.teacher_augmentation.test_time_mirror);
  dialog.findChild<QCheckBox*>("test_time_mirror")->setChecked(true);
  EXPECT_TRUE(dialog.chosen().config.teacher_augmentation.test_time_mirror);
  auto* teacher = dialog.findChild<QComboBox*>("teacher");
  ASSERT_NE(teacher, nullptr);
  EXPECT_EQ(dialog.chosen().config.teacher_kind, TeacherKind::Transformer);
  teacher->setCurrentIndex(teacher->findData("forest"));
  EXPECT_EQ(dialog.chosen().config.teacher_kind, TeacherKind::Forest);
  EXPECT_FALSE(dialog.findChild<QSpinBox*>("teacher_epochs")->isEnabled()) << "a forest has no epochs";
  teacher->setCurrentIndex(teacher->findData("transformer"));
  image->setText("3x3");
  EXPECT_TRUE(dialog.chosen().data.image_shape.empty());
  EXPECT_FALSE(dialog.chosen().config.teacher_augmentation.enabled()) << "tabular rows are never shifted or mirrored";
  EXPECT_FALSE(dialog.chosen().config.teacher_augmentation.test_time_mirror);
  auto* train = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
  train->click();
  EXPECT_NE(dialog.result(), QDialog::Accepted);
  bool said = false;
  for (QLabel* label : dialog.findChildren<QLabel*>()) said = said || label->text().contains("9 pixels");
  EXPECT_TRUE(said) << "the refusal names the pixel count";
  image->clear();
  // A ragged CSV: the dialog says where and why, and offers nothing to train on.
  const std::string bad = dir.file("bad.csv", "a,b,class\n1,2,x\n3,y\n");
  dialog.load(QString::fromStdString(bad));
  clock.restart();
  QLabel* status = nullptr;
  for (QLabel* label : dialog.findChildren<QLabel*>())
    if (label->text().contains("Loading")) status = label;
  ASSERT_NE(status, nullptr);
  while (status->text().contains("Loading") && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  EXPECT_FALSE(dialog.loaded());
  EXPECT_TRUE(status->text().contains("bad.csv:3")) << status->text().toStdString();
}

TEST(Translations, GermanIsCompleteAndLoads) {
  workbench::Preferences german;
  german.language = "de";
  EXPECT_EQ(workbench::install_translators(german), "de");
  EXPECT_EQ(QCoreApplication::translate("ndtmoe::workbench::MainWindow", "&File"), "&Datei");
  EXPECT_EQ(QCoreApplication::translate("ndtmoe::views::SamplesView", "Misclassified"), "Falsch klassifiziert");
  EXPECT_EQ(QCoreApplication::translate("ndtmoe::views::SamplesView", "%n sample(s) · %1", nullptr, 2), QString::fromUtf8("2 Stichproben · %1"));
  workbench::MainWindow window;
  EXPECT_EQ(window.windowTitle(), "NDT-MoE Workbench");
  bool menu_translated = false;
  for (QAction* a : window.menuBar()->actions()) menu_translated = menu_translated || a->text() == "&Datei";
  EXPECT_TRUE(menu_translated);
  // That every string of the sources has a translation is Translations.EveryStringOfTheSourcesIsTranslated.
  for (QTranslator* t : qApp->findChildren<QTranslator*>()) QCoreApplication::removeTranslator(t);
}

TEST(Translations, EnglishCountsInWords) {
  workbench::Preferences english;
  english.language = "en";
  EXPECT_EQ(workbench::install_translators(english), "en");
  const auto trials = [](int n) {
    return QCoreApplication::translate("ndtmoe::views::TuningView", "%n trial(s), %1 sampler, %2 inner folds, budget %3. Chosen: %4.", nullptr, n);
  };
  EXPECT_TRUE(trials(1).startsWith("1 trial,")) << trials(1).toStdString();
  EXPECT_TRUE(trials(16).startsWith("16 trials,")) << trials(16).toStdString();
  EXPECT_EQ(QCoreApplication::translate("ndtmoe::views::SamplesView", "%n sample(s) · %1", nullptr, 1), QString::fromUtf8("1 sample · %1"));
  EXPECT_EQ(QCoreApplication::translate("ndtmoe::workbench::MainWindow", "&File"), "&File");  // the rest stays the source text
  // A language without a translation falls back to the same English.
  for (QTranslator* t : qApp->findChildren<QTranslator*>()) QCoreApplication::removeTranslator(t);
  english.language = "xx";
  EXPECT_EQ(workbench::install_translators(english), "en");
  EXPECT_TRUE(trials(2).startsWith("2 trials,"));
  for (QTranslator* t : qApp->findChildren<QTranslator*>()) QCoreApplication::removeTranslator(t);
}

int main(int argc, char** argv) {
  ndtmoe::configure_cpu_threads();
  qputenv("QT_QPA_PLATFORM", "offscreen");
  workbench::GuardedApplication app(argc, argv);  // the program's, so a failing handler is reported as in the program
  QApplication::setOrganizationName("ndtmoe-tests");  // keeps the tests' QSettings apart from a user's
  QStandardPaths::setTestModeEnabled(true);              // and their data folders
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

TEST(Families, ALinearGateRunIsShownAndItsWhatIfFollowsTheGate) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/linear.sqlite";
  {
    TraceStore store(store_path);
    ndtmoe::test::traced_family_run(dir, store, "linear");
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  window.selection().select_sample(3);
  QApplication::processEvents();
  // The routing panel says why there is no tree instead of drawing one.
  QString shown;
  for (QGraphicsItem* item : window.routing_tree()->scene()->items())
    if (auto* text = dynamic_cast<QGraphicsTextItem*>(item)) shown += text->toPlainText();
  EXPECT_TRUE(shown.contains("family linear")) << shown.toStdString();
  // The decision path shows the stored experts and weights of every layer, and no tree levels.
  const auto& path = window.decision_path()->path();
  ASSERT_TRUE(path);
  const SampleTrace stored = TraceStore(store_path, TraceStore::Mode::ReadOnly).sample(1, 3);
  ASSERT_EQ(path->layers.size(), 2u);
  EXPECT_EQ(path->layers[0].experts, stored.layers[0].experts);
  EXPECT_TRUE(path->layers[0].levels.empty());
  // The routing panel is the gate: its weights, and the sample's logits whose top-2 are the stored experts.
  EXPECT_EQ(window.routing_panel(), window.gate());
  const std::vector<double>& logits = window.gate()->shown_logits();
  ASSERT_EQ(logits.size(), 4u);
  std::vector<int32_t> order{0, 1, 2, 3};
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return logits[static_cast<size_t>(a)] > logits[static_cast<size_t>(b)]; });
  EXPECT_EQ(std::vector<int32_t>(order.begin(), order.begin() + 2), stored.layers[0].experts);
  EXPECT_GT(window.gate()->plot()->plottableCount(), 0);
  // Expert x class counts come from the generic aggregates.
  int64_t samples = 0;
  for (const CountCell& cell : TraceStore(store_path, TraceStore::Mode::ReadOnly).expert_classes(1, 0)) samples += cell.samples;
  EXPECT_EQ(samples, 300);
  wait_for_what_if(window);
}

TEST(Families, TheImoieGalleryShowsTheStoredExpertsAndTheSamplesLocalExplanation) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/imoie.sqlite";
  {
    LoadedRun run = ndtmoe::test::tiny_run(dir, 300, [](ExperimentConfig& c) {
      c.student.family = "imoie";
      c.student.family_options = {{"code-length", 3}, {"channels", 4}};
    }, "builtin:fashion-mnist");
    TraceStore store(store_path);
    trace_run(store, run, dir.path() + "/run", "builtin:fashion-mnist", load_data_for_run(run, "builtin:fashion-mnist"), torch::kCPU, {});
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  window.selection().select_sample(3);
  QApplication::processEvents();
  views::ExpertGalleryView* gallery = window.expert_gallery();
  ASSERT_EQ(window.routing_panel(), gallery);
  TraceStore store(store_path, TraceStore::Mode::ReadOnly);
  // The gallery lists the experts the trace used, most used first, with their shares of the samples.
  std::vector<std::pair<int64_t, int64_t>> used;  // (samples, expert)
  for (const CountCell& cell : store.expert_layers(1))
    if (cell.samples > 0) used.push_back({cell.samples, cell.row});
  std::stable_sort(used.begin(), used.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  ASSERT_EQ(gallery->experts().ids.size(), 8u);  // every expert of a 3-bit code, the unused ones last
  ASSERT_LE(used.size(), 8u);
  const QRect figure(QPoint(0, 0), gallery->figure_size());
  const std::vector<int64_t> rows = gallery->gallery_experts(figure);
  ASSERT_FALSE(rows.empty());
  for (size_t r = 0; r < rows.size(); ++r) {
    const int64_t samples = r < used.size() ? used[r].first : 0;
    if (r < used.size()) {
      EXPECT_EQ(rows[r], used[r].second);
    }
    EXPECT_NEAR(gallery->share(rows[r]), static_cast<double>(samples) / 300.0, 1e-12);
  }
  // The sample's expert is the stored routing, and its class scores (weights × input summed, plus the
  // bias) pick the class the store says the student predicted.
  const SampleTrace sample = store.sample(1, 3);
  ASSERT_TRUE(gallery->sample_expert());
  EXPECT_EQ(*gallery->sample_expert(), sample.layers[0].experts[0]);
  const std::vector<double>& scores = gallery->class_scores();
  ASSERT_EQ(scores.size(), 10u);
  EXPECT_EQ(std::max_element(scores.begin(), scores.end()) - scores.begin(), static_cast<int64_t>(sample.prediction));
  const int64_t slot = gallery->experts().slot_of(*gallery->sample_expert());
  double total = gallery->experts().weight(slot, 0, 784);
  for (double c : gallery->contributions()[0]) total += c;
  EXPECT_NEAR(total, scores[0], 1e-3);
  // Explicit mode: all 8 experts are stored, so its routes are the explicit model's, weights summing to 1.
  ASSERT_EQ(gallery->routes().size(), 8u);
  double weights = 0;
  for (const ExplicitRoute& route : gallery->routes()) weights += route.weight;
  EXPECT_NEAR(weights, 1.0, 1e-9);
  // A drawn pixel has the colour of its stored weight on the row's scale.
  QImage image(figure.size(), QImage::Format_RGB32);
  gallery->paint_figure(image, figure);
  for (const int input : {0, 300, 406, 783}) {
    const QRectF pixel = gallery->weight_rect(figure, 0, 2, input);
    const QColor drawn = image.pixelColor(pixel.center().toPoint());
    const QColor expected = views::diverging_color(gallery->experts().weight(0, 2, input), gallery->row_scale(0));
    EXPECT_NEAR(drawn.red(), expected.red(), 2) << input;
    EXPECT_NEAR(drawn.green(), expected.green(), 2) << input;
    EXPECT_NEAR(drawn.blue(), expected.blue(), 2) << input;
  }
  // Clicking a gallery row selects that expert's samples.
  const QRectF row1 = gallery->weight_rect(gallery->rect(), std::min<int>(1, static_cast<int>(rows.size()) - 1), 0, 0);
  QMouseEvent click(QEvent::MouseButtonPress, row1.center(), gallery->mapToGlobal(row1.center()), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(gallery, &click);
  ASSERT_TRUE(window.selection().current().expert);
  EXPECT_EQ(*window.selection().current().expert, gallery->gallery_experts(gallery->rect())[std::min<size_t>(1, rows.size() - 1)]);
  // The export writes the gallery and, per sample, its local explanation.
  const QStringList files = views::export_run_figures(std::make_shared<views::RunData>(std::make_shared<TraceStore>(store_path, TraceStore::Mode::ReadOnly), 1),
                                                      QString::fromStdString(dir.path()) + "/figures", {views::FigureFormat::Png}, {}, {3});
  EXPECT_TRUE(files.contains(QString::fromStdString(dir.path()) + "/figures/imoie-experts.png"));
  EXPECT_TRUE(files.contains(QString::fromStdString(dir.path()) + "/figures/imoie-experts-sample3.csv"));
}

TEST(Neurons, TheDashboardShowsTheStoresNeuronsAndFollowsTheSelection) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/moe-x.sqlite";
  {
    LoadedRun run = ndtmoe::test::tiny_run(dir, 300, [](ExperimentConfig& c) {
      c.student.family = "moe-x";
      c.student.family_options = nlohmann::json::object();
    }, "builtin:fashion-mnist");
    TraceStore store(store_path);
    trace_run(store, run, dir.path() + "/run", "builtin:fashion-mnist", load_data_for_run(run, "builtin:fashion-mnist"), torch::kCPU, {});
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  views::NeuronDashboardView* view = window.neurons();
  ASSERT_TRUE(view->has_neurons());
  TraceStore store(store_path, TraceStore::Mode::ReadOnly);
  const std::vector<NeuronLayer> layers = store.neuron_layers(1);
  const std::vector<NeuronSummary> neurons = store.neurons(1, 0);
  // Every neuron of layer 0 is listed, most frequent first, and the dashboard shows the first.
  const std::vector<int64_t> listed = view->listed_neurons();
  ASSERT_EQ(static_cast<int64_t>(listed.size()), layers[0].neurons());
  for (size_t i = 1; i < listed.size(); ++i)
    EXPECT_GE(neurons[static_cast<size_t>(listed[i - 1])].active, neurons[static_cast<size_t>(listed[i])].active);
  ASSERT_TRUE(view->neuron());
  EXPECT_EQ(view->neuron()->neuron, listed.front());
  // The "fires %" cell is the neuron's share of the traced positions.
  const QString fires = view->table()->item(0, 3)->text();
  EXPECT_NEAR(fires.toDouble(), 100.0 * static_cast<double>(neurons[static_cast<size_t>(listed.front())].active) / 300.0, 0.006);
  // Its class bars are the classes of its top-50 firings, as stored.
  const NeuronSummary shown = store.neuron(1, 0, listed.front());
  double total = 0;
  for (const auto& [label, share] : view->class_shares()) {
    int64_t count = 0;
    for (size_t i = 0; i < std::min<size_t>(50, shown.top.size()); ++i) count += shown.top[i].label == label;
    EXPECT_NEAR(share, static_cast<double>(count) / static_cast<double>(std::min<size_t>(50, shown.top.size())), 1e-12);
    total += share;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  // The strongest firings listed are the stored ones, strongest first; a click selects the sample.
  const std::vector<int64_t> firings = view->listed_firing_samples();
  ASSERT_FALSE(firings.empty());
  EXPECT_EQ(firings.front(), shown.top.front().sample);
  // Layer 0 of a stack draws the neuron's weights over the 784 pixels.
  EXPECT_EQ(view->input_weights().size(), 784u);
  Q_EMIT view->firings()->itemClicked(view->firings()->item(0));
  ASSERT_TRUE(window.selection().current().sample);
  EXPECT_EQ(*window.selection().current().sample, firings.front());
  // Following the selection: a sample whose firing neurons are listed strongest first, as stored, and
  // the shown neuron is one that fired on it.
  window.selection().select_sample(11);
  QApplication::processEvents();
  const SampleTrace sample = store.sample(1, 11);
  ASSERT_EQ(view->sample_neurons().size(), sample.layers[0].neurons.size());
  if (!view->sample_neurons().empty()) {
    const float strongest = *std::max_element(sample.layers[0].neuron_activations.begin(), sample.layers[0].neuron_activations.end());
    EXPECT_FLOAT_EQ(view->sample_neurons().front().second, strongest);
    EXPECT_TRUE(std::any_of(view->sample_neurons().begin(), view->sample_neurons().end(),
                            [&](const auto& n) { return n.first == view->neuron()->neuron; }));
  }
  // An expert selected elsewhere lists that expert's neurons; another layer, that layer's.
  window.selection().select_expert(1, 2);
  QApplication::processEvents();
  EXPECT_EQ(view->layer(), 1);
  ASSERT_EQ(static_cast<int64_t>(view->listed_neurons().size()), layers[1].units_per_expert);
  for (int64_t n : view->listed_neurons()) EXPECT_EQ(n / layers[1].units_per_expert, 2);
  // The comparison shows the run's neuron measures as the store gives them.
  ASSERT_TRUE(window.compare_runs({1}));
  const RunComparison compared = compare_run(store, 1);
  ASSERT_TRUE(compared.neurons && compared.neurons->class_selectivity);
  const auto measure = [&](const QString& name) {
    for (const auto& [row, cells] : window.comparison()->rows())
      if (row == name) return cells.at(0);
    return QString("missing");
  };
  EXPECT_EQ(measure("firing neurons per sample (L0)"), QString::number(compared.neurons->l0, 'f', 1));
  EXPECT_EQ(measure("dead neurons"), QString::number(100 * compared.neurons->dead_share, 'f', 1) + "%");
  EXPECT_EQ(measure("class-selective neurons"), QString::number(100 * *compared.neurons->class_selectivity, 'f', 1) + "%");
  // The export writes the dashboard and its CSV.
  const QStringList files = views::export_run_figures(std::make_shared<views::RunData>(std::make_shared<TraceStore>(store_path, TraceStore::Mode::ReadOnly), 1),
                                                      QString::fromStdString(dir.path()) + "/figures", {views::FigureFormat::Png}, {}, {3});
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const QString& f) { return f.contains("/neuron-layer0-") && f.endsWith(".png"); }))
      << files.join(" ").toStdString();
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const QString& f) { return f.contains("/neuron-layer1-") && f.endsWith(".csv"); }));
}

TEST_F(Workbench, EncodedInputsAreNamedAsThePreprocessorNamesThem) {
  views::RunData data(std::make_shared<TraceStore>(store_path_, TraceStore::Mode::ReadOnly), 1);
  EXPECT_EQ(data.encoded_input_name(0), "f0");
  EXPECT_EQ(data.encoded_input_name(7), "f7");
  EXPECT_EQ(data.encoded_input_name(8), "input 8");  // past the inputs: named by position, never out of range
}

TEST(NewRun, TheFamilyFormIsBuiltFromTheFamilysOptions) {
  workbench::NewRunDialog dialog(nullptr, "builtin:rule-tree");
  auto* family = dialog.findChild<QComboBox*>("family");
  ASSERT_NE(family, nullptr);
  ASSERT_GE(family->count(), 2);
  EXPECT_EQ(family->currentData().toString(), "ndt");
  auto* depth = dialog.findChild<QSpinBox*>("depth");
  ASSERT_NE(depth, nullptr);
  EXPECT_EQ(depth->value(), 3);
  EXPECT_EQ(depth->maximum(), 12);
  EXPECT_TRUE(depth->toolTip().contains("2^depth")) << depth->toolTip().toStdString();
  auto* leaf_mode = dialog.findChild<QComboBox*>("leaf_mode");
  ASSERT_NE(leaf_mode, nullptr);
  leaf_mode->setCurrentText("identity");
  depth->setValue(2);
  workbench::NewRun run = dialog.chosen();
  EXPECT_EQ(run.config.student.family, "ndt");
  EXPECT_EQ(run.config.student.family_options, (nlohmann::json{{"depth", 2}, {"trees", 1}, {"leaf_mode", "identity"}}));
  EXPECT_EQ(run.config.student.experts, 4);  // the family's rule: one expert per leaf
  family->setCurrentIndex(family->findData("linear"));
  EXPECT_EQ(dialog.findChild<QSpinBox*>("depth"), nullptr);
  run = dialog.chosen();
  EXPECT_EQ(run.config.student.family, "linear");
  EXPECT_EQ(run.config.student.family_options, nlohmann::json::object());
  // The dialog's defaults are the command line's.
  const ExperimentConfig defaults = default_experiment_config();
  EXPECT_EQ(run.config.teacher_training.lr, defaults.teacher_training.lr);
  EXPECT_EQ(run.config.teacher_training.weight_decay, defaults.teacher_training.weight_decay);
  EXPECT_EQ(run.config.teacher_training.epochs, defaults.teacher_training.epochs);
  EXPECT_EQ(run.config.student_training.batch_size, defaults.student_training.batch_size);
}

TEST(NewRun, PiecewiseBinsAreOfferedOnlyForStudentsWithALinearFirstLayer) {
  workbench::NewRunDialog dialog(nullptr, "builtin:rule-tree");
  auto* bins = dialog.findChild<QSpinBox*>("piecewise_bins");
  auto* family = dialog.findChild<QComboBox*>("family");
  auto* student = dialog.findChild<QComboBox*>("student");
  ASSERT_TRUE(bins && family && student);
  EXPECT_EQ(bins->value(), 0);
  EXPECT_EQ(bins->text(), "linear");  // 0 reads as what it means
  EXPECT_TRUE(bins->isEnabled());
  bins->setValue(16);
  EXPECT_EQ(dialog.chosen().config.student.piecewise_bins, 16);
  family->setCurrentIndex(family->findData("imoie"));
  EXPECT_FALSE(bins->isEnabled());
  EXPECT_EQ(dialog.chosen().config.student.piecewise_bins, 0);  // what the field cannot apply to is not sent
  family->setCurrentIndex(family->findData("ndt"));
  EXPECT_TRUE(bins->isEnabled());
  student->setCurrentIndex(student->findData("transformer-moe"));
  EXPECT_FALSE(bins->isEnabled());
  EXPECT_EQ(dialog.chosen().config.student.piecewise_bins, 0);
}

TEST(Families, AFamilyDefinedInTheTestsIsShownByTheGenericViews) {
  ndtmoe::test::register_hash_family();
  ScratchDir dir;
  const std::string store_path = dir.path() + "/hash.sqlite";
  {
    TraceStore store(store_path);
    ndtmoe::test::traced_family_run(dir, store, ndtmoe::test::kHashFamily);
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  window.selection().select_sample(11);
  QApplication::processEvents();
  EXPECT_EQ(window.routing_panel(), window.routing_tree());  // no gate stored: the tree panel says why it is empty
  const SampleTrace stored = TraceStore(store_path, TraceStore::Mode::ReadOnly).sample(1, 11);
  ASSERT_TRUE(window.decision_path()->path());
  EXPECT_EQ(window.decision_path()->path()->layers[1].experts, stored.layers[1].experts);
  EXPECT_GT(window.utilization()->plottable_count(), 0);
  window.selection().select_expert(0, stored.layers[0].expert);
  wait_for_rows(window.samples());
  EXPECT_GT(window.samples()->findChild<QTableView*>()->model()->rowCount(), 0);
}

TEST(Comparison, TwoFamiliesSideBySideShowTheStoresNumbers) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/both.sqlite";
  {
    TraceStore store(store_path);
    ndtmoe::test::traced_family_run(dir, store, "ndt", {{"depth", 2}}, "ndt");
    ndtmoe::test::traced_family_run(dir, store, "linear", nlohmann::json::object(), "linear");
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  // Both runs selected in the runs browser, then its Compare button.
  window.run_browser()->selectAll();
  QPushButton* compare = nullptr;
  for (auto* button : window.findChildren<QPushButton*>())
    if (button->text() == "Compare selected runs") compare = button;
  ASSERT_NE(compare, nullptr);
  compare->click();
  views::ComparisonView* view = window.comparison();
  ASSERT_EQ(view->comparisons().size(), 2u);
  TraceStore store(store_path, TraceStore::Mode::ReadOnly);
  const auto cell = [&](const QString& measure, size_t run) {
    for (const auto& [name, cells] : view->rows())
      if (name == measure) return cells.at(run);
    return QString("missing");
  };
  for (size_t i = 0; i < 2; ++i) {
    const RunComparison expected = compare_run(store, static_cast<int64_t>(i + 1));
    EXPECT_EQ(cell("family", i).toStdString(), i == 0 ? "ndt" : "linear");
    EXPECT_EQ(cell("load CV (std/mean)", i), QString::number(expected.load_cv, 'f', 3));
    EXPECT_EQ(cell("dead experts", i), QString::number(100 * expected.dead_fraction, 'f', 1) + "%");
    // The mean over layers of the stored neighbour agreements.
    double agreement = 0;
    const std::vector<ExpertNeighbours> layers = store.expert_neighbours(expected.run.id);
    ASSERT_EQ(layers.size(), 2u);
    for (const ExpertNeighbours& l : layers) agreement += l.agreement / 2;
    EXPECT_TRUE(cell("expert predicted by neighbours", i).startsWith(QString::number(100 * agreement, 'f', 1) + "% (commonest "));
    EXPECT_EQ(cell("student accuracy", i), QString::number(expected.run.metrics.at("student").at("accuracy"), 'f', 4));
    // The heatmap cell of expert 0 in layer 0 is its share of the layer's samples.
    auto* map = dynamic_cast<QCPColorMap*>(view->plot()->plottable(static_cast<int>(i)));
    ASSERT_NE(map, nullptr);
    int64_t samples = 0;
    for (const CountCell& c : store.expert_layers(static_cast<int64_t>(i + 1)))
      if (c.row == 0 && c.column == 0) samples = c.samples;
    EXPECT_NEAR(map->data()->cell(0, 0), samples / 300.0, 1e-12);
  }
  // Exported as a figure (PDF) and CSV like every view.
  ScratchDir out;
  const QStringList written = views::export_figures({view}, QString::fromStdString(out.path()), {views::FigureFormat::Pdf});
  EXPECT_EQ(written.size(), 2);
  for (const QString& file : written) EXPECT_GT(QFileInfo(file).size(), 100) << file.toStdString();
}

TEST(Selection, RouterItemsAreGenericAndTreeNodesOneKindOfThem) {
  views::SelectionModel selection;
  int changes = 0;
  QObject::connect(&selection, &views::SelectionModel::changed, [&](const views::Selection&) { ++changes; });
  selection.select_expert(0, 2);
  selection.select_node(1, 0, 2, 3);
  EXPECT_EQ(selection.current().tree_level(), 2);
  EXPECT_EQ(selection.current().tree_node(), 3);
  EXPECT_FALSE(selection.current().expert) << "an item replaces the expert";
  // Another family's panel selects its own kind of item; it is no tree node.
  selection.select_item(1, 0, {"neuron", {4, 17}});
  ASSERT_TRUE(selection.current().item);
  EXPECT_EQ(selection.current().item->index, (std::vector<int64_t>{4, 17}));
  EXPECT_FALSE(selection.current().tree_node());
  selection.select_item(1, 0, {"neuron", {4, 17}});  // the same item again changes nothing
  EXPECT_EQ(changes, 3);
  selection.clear_group();
  EXPECT_FALSE(selection.current().item);
}

TEST(Tokens, TheLanesAndTheExpertDashboardShowWhereEachTokenWent) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/tokens.sqlite";
  {
    TraceStore store(store_path);
    ndtmoe::test::hand_token_run(store, dir.path());
  }
  workbench::MainWindow window;
  window.resize(1400, 900);
  window.show();
  show_store(window, store_path);
  window.selection().select_sample(0);
  QApplication::processEvents();
  views::TokenLanesView& lanes = *window.token_lanes();
  ASSERT_TRUE(lanes.shown());
  ASSERT_EQ(lanes.shown()->tokens.size(), 3u);
  EXPECT_EQ(lanes.token_text(1), "q");
  // Every box is drawn in the colour of the expert the store says the token took (weight 1: full colour).
  const QImage image = lanes.grab().toImage();
  const std::string word = "aqb";
  for (size_t i = 0; i < word.size(); ++i)
    for (int64_t layer = 0; layer < 2; ++layer) {
      // The box's most common colour (its border and digit are thin).
      std::map<QRgb, int> colours;
      const QRect box = lanes.box(i, layer);
      for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x) ++colours[image.pixel(x, y)];
      const QRgb drawn = std::max_element(colours.begin(), colours.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
      const QColor expected = views::TokenLanesView::box_color(ndtmoe::test::hand_token_expert(word[i], static_cast<int64_t>(i), layer), 1.0);
      EXPECT_EQ(drawn, expected.rgb()) << "token " << i << " layer " << layer;
    }
  // Clicking the 'q' in layer 0 selects that token and its expert: the decision path shows its routing.
  const QPoint centre = lanes.box(1, 0).center();
  QMouseEvent press(QEvent::MouseButtonPress, centre, lanes.mapToGlobal(centre), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&lanes, &press);
  QApplication::processEvents();
  EXPECT_EQ(window.selection().current().token, std::optional<int64_t>(1));
  EXPECT_EQ(window.selection().current().expert, std::optional<int64_t>(3));
  ASSERT_TRUE(window.decision_path()->path());
  EXPECT_EQ(window.decision_path()->path()->layers[0].experts, (std::vector<int32_t>{3}));
  // The dashboard of expert 3: every 'q' token (4 of the store's 9 tokens) and nothing else, with examples.
  views::ExpertTokensView& dashboard = *window.expert_tokens();
  EXPECT_EQ(dashboard.value_cell(3, 'q'), 4.0);
  EXPECT_EQ(dashboard.value_cell(0, 'q'), 0.0);
  ASSERT_EQ(dashboard.top().size(), 1u);
  EXPECT_EQ(dashboard.top().front().key, 'q');
  EXPECT_DOUBLE_EQ(dashboard.top().front().share, 1.0);
  EXPECT_TRUE(dashboard.examples_text().contains("a[q]b")) << dashboard.examples_text().toStdString();
  EXPECT_TRUE(dashboard.examples_text().contains("q[q]")) << dashboard.examples_text().toStdString();
  // Both are among the figures the window exports.
  const auto figures = window.figures();
  EXPECT_NE(std::find(figures.begin(), figures.end(), static_cast<views::Figure*>(&lanes)), figures.end());
  EXPECT_NE(std::find(figures.begin(), figures.end(), static_cast<views::Figure*>(&dashboard)), figures.end());
}

TEST(NewRun, ATokenStudentAndATextColumnAreChosenInTheDialog) {
  // A CSV whose first column is text: offered as the text column; the student is a transformer.
  ScratchDir dir;
  const std::string csv = dir.path() + "/notes.csv";
  std::ofstream(csv) << "note,label\nhello world,a\nbye,b\ngood morning,a\nsee you,b\n";
  workbench::NewRunDialog dialog(nullptr, QString::fromStdString(csv));
  QElapsedTimer clock;
  clock.start();
  while (!dialog.loaded() && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  ASSERT_TRUE(dialog.loaded());
  auto* text = dialog.findChild<QComboBox*>("text");
  auto* student = dialog.findChild<QComboBox*>("student");
  ASSERT_NE(text, nullptr);
  ASSERT_NE(student, nullptr);
  EXPECT_EQ(dialog.chosen().config.student.kind, ModelKind::Mixture);
  EXPECT_EQ(dialog.chosen().data.text_column, "");
  text->setCurrentIndex(text->findData("note"));
  student->setCurrentIndex(student->findData("transformer-moe"));
  const workbench::NewRun run = dialog.chosen();
  EXPECT_EQ(run.data.text_column, "note");
  EXPECT_EQ(run.config.student.kind, ModelKind::TransformerMixture);
  EXPECT_EQ(run.config.student.blocks, run.config.student.layers);
  // The chosen data reads as text, and the chosen student trains on it.
  const Dataset data = run.data.load();
  ASSERT_TRUE(data.features.columns[0].text);
}

TEST(Tokens, ATextRunShowsTheWordInTheDecisionPathAndDoesNotEditIt) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/words.sqlite";
  std::string word;
  {
    TraceStore store(store_path);
    LoadedRun run = ndtmoe::test::tiny_run(dir, 60, [](ExperimentConfig& c) { ndtmoe::test::use_token_student(c, 1); }, "builtin:words");
    const Dataset data = load_data_for_run(run, "builtin:words");
    trace_run(store, run, dir.path() + "/run", "builtin:words", data, torch::kCPU, TraceOptions{});
    const Column& words = data.features.columns[0];
    word = words.categories[static_cast<size_t>(words.values[4])];
  }
  workbench::MainWindow window;
  show_store(window, store_path);
  window.selection().select_sample(4);
  QApplication::processEvents();
  auto* features = window.decision_path()->findChild<QTableWidget*>();
  ASSERT_NE(features, nullptr);
  ASSERT_EQ(features->rowCount(), 1);
  EXPECT_EQ(features->item(0, 1)->text().toStdString(), word);
  EXPECT_FALSE(features->item(0, 1)->flags() & Qt::ItemIsEditable);
  EXPECT_FALSE(window.decision_path()->edit_feature(0, 3.0));  // no what-if on text
  EXPECT_EQ(window.token_lanes()->shown()->tokens.size(), word.size());
}

TEST(Plots, AxesWithManyCategoriesLabelEveryKthSoLabelsDoNotOverlap) {
  std::vector<QString> experts;
  for (int j = 0; j < 64; ++j) experts.push_back(QString("E%1").arg(j));
  const auto many = ndtmoe::views::text_ticker(experts);
  ASSERT_EQ(many->ticks().size(), 16);
  EXPECT_EQ(many->ticks().value(0.0), "E0");
  EXPECT_EQ(many->ticks().value(4.0), "E4");  // every fourth, each at its own expert
  EXPECT_FALSE(many->ticks().contains(2.0));
  const auto few = ndtmoe::views::text_ticker(std::vector<QString>(experts.begin(), experts.begin() + 10));
  EXPECT_EQ(few->ticks().size(), 10);
}

TEST_F(Workbench, IntegratedGradientsOfTheSelectedSampleAreComputedForItAloneAndMeansKeepTheirErrorBarsAboveZero) {
  ScratchDir copy;  // a store of its own: the explanations made here must not reach the other tests
  const std::string path = copy.path() + "/trace.sqlite";
  std::filesystem::copy_file(store_path_, path);
  workbench::MainWindow window;
  show_store(window, path);
  window.selection().select_sample(5);
  views::ImportanceView* view = window.importance();
  for (QComboBox* box : view->findChildren<QComboBox*>()) {
    if (const int i = box->findData("integrated-gradients"); i >= 0) box->setCurrentIndex(i);
    if (const int i = box->findData("sample"); i >= 0) box->setCurrentIndex(i);
  }
  QPushButton* compute = nullptr;
  for (QPushButton* b : view->findChildren<QPushButton*>())
    if (b->text() == "Compute") compute = b;
  ASSERT_NE(compute, nullptr);
  compute->click();
  QElapsedTimer clock;
  clock.start();
  while (!compute->isEnabled() && clock.elapsed() < 120000) QApplication::processEvents(QEventLoop::AllEvents, 20);
  const std::vector<Explanation> stored = TraceStore(path, TraceStore::Mode::ReadOnly).explanations(1, "integrated-gradients");
  ASSERT_EQ(stored.size(), 1u) << window.statusBar()->currentMessage().toStdString();
  EXPECT_NE(stored[0].parameters_json.find("\"sample\":5"), std::string::npos) << stored[0].parameters_json;
  for (const ExplanationValue& v : stored[0].values) EXPECT_TRUE(!v.sample || *v.sample == 5) << "sample " << *v.sample;
  EXPECT_GT(view->bar_count(), 0);
  // Global means of |attribution|: an error bar never reaches below zero, and it meets its bar.
  {
    TraceStore writer(path);
    ExplainOptions options;
    options.method = "integrated-gradients";
    options.max_samples = 30;
    options.steps = 8;
    explain(writer, 1, options);
  }
  view->reload();
  ASSERT_TRUE(view->show("integrated-gradients", "output"));
  auto* errors = qobject_cast<QCPErrorBars*>(view->findChild<QCustomPlot*>()->plottable(1));
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->symbolGap(), 0.0);
  auto* bars = qobject_cast<QCPBars*>(view->findChild<QCustomPlot*>()->plottable(0));
  ASSERT_EQ(errors->dataCount(), bars->dataCount());
  for (int i = 0; i < bars->dataCount(); ++i) {
    EXPECT_GE(bars->data()->at(i)->value, 0.0);
    EXPECT_LE(errors->data()->at(i).errorMinus, bars->data()->at(i)->value + 1e-12) << "bar " << i;
  }
}

namespace {

// Types `path` into the dialog's data field and leaves it as Tab does; true once the file is loaded.
bool type_path_and_tab_away(workbench::NewRunDialog& dialog, const std::string& path) {
  QLineEdit* source = nullptr;
  for (QComboBox* box : dialog.findChildren<QComboBox*>())
    if (box->isEditable()) source = box->lineEdit();
  if (!source) return false;
  source->setText(QString::fromStdString(path));
  Q_EMIT source->editingFinished();  // what Tab (focus leaving the field) sends
  QElapsedTimer clock;
  clock.start();
  while (dialog.chosen().data.source != path || !dialog.loaded()) {
    if (clock.elapsed() > 30000) return false;
    QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  }
  return true;
}

}  // namespace

TEST(NewRun, APathTypedAndLeftWithTabIsLoadedIntoPreviewAndTarget) {
  ScratchDir dir;
  const std::string csv = dir.path() + "/typed.csv";
  std::ofstream(csv) << "width,height,kind\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n";
  workbench::NewRunDialog dialog(nullptr, "builtin:rule-tree");
  QElapsedTimer clock;
  clock.start();
  while (!dialog.loaded() && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  ASSERT_TRUE(dialog.loaded());
  ASSERT_TRUE(type_path_and_tab_away(dialog, csv)) << "the typed path was not loaded";
  bool offers_kind = false;  // the target list is the typed file's columns
  for (QComboBox* box : dialog.findChildren<QComboBox*>()) offers_kind = offers_kind || box->findText("kind") >= 0;
  EXPECT_TRUE(offers_kind);
  // IDX images whose labels are not beside them: the labels field goes into the run's description.
  auto* labels = dialog.findChild<QLineEdit*>("labels");
  ASSERT_NE(labels, nullptr);
  labels->setText("/data/answers-idx1-ubyte");
  EXPECT_EQ(dialog.chosen().data.labels, "/data/answers-idx1-ubyte");
}

TEST(NewRun, OffersTuningAndScalingAndReadsImagesFromColumnNames) {
  workbench::NewRunDialog dialog(nullptr, QString::fromStdString(ndtmoe::test::shared_data("digits.csv")));
  QElapsedTimer clock;
  clock.start();
  while (!dialog.loaded() && clock.elapsed() < 30000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
  ASSERT_TRUE(dialog.loaded());
  // digits.csv's px_R_C columns declare 8x8 images: filled in, with the patch that suits them.
  EXPECT_EQ(dialog.findChild<QLineEdit*>("image")->text(), "8x8");
  EXPECT_EQ(dialog.chosen().data.image_shape, (std::vector<int64_t>{1, 8, 8}));
  EXPECT_EQ(dialog.chosen().config.teacher.patch, default_patch({1, 8, 8}));
  EXPECT_EQ(dialog.chosen().config.student.experts, default_experts({1, 8, 8}));
  EXPECT_NE(default_experts({1, 8, 8}), default_experiment_config().student.experts) << "the images' own count, not the tables'";
  EXPECT_TRUE(dialog.chosen().tuning.empty()) << "no tuning unless asked for";
  EXPECT_EQ(dialog.chosen().config.numeric_scaling, default_experiment_config().numeric_scaling);
  auto* scaling = dialog.findChild<QComboBox*>("numeric_scaling");
  ASSERT_NE(scaling, nullptr);
  scaling->setCurrentIndex(scaling->findData("quantile"));
  EXPECT_EQ(dialog.chosen().config.numeric_scaling, NumericScaling::Quantile);
  auto* tune = dialog.findChild<QLineEdit*>("tune");
  ASSERT_NE(tune, nullptr);
  tune->setText("20m");
  EXPECT_DOUBLE_EQ(dialog.chosen().tuning.seconds, 1200);
  tune->setText("12");
  EXPECT_EQ(dialog.chosen().tuning.trials, 12);
  // A budget that cannot be read keeps the dialog open and says why.
  tune->setText("soon");
  dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
  EXPECT_EQ(dialog.result(), QDialog::Rejected);
  bool said = false;
  for (QLabel* label : dialog.findChildren<QLabel*>()) said = said || label->text().contains("not a tuning budget");
  EXPECT_TRUE(said);
  // Another file that is a table takes back the image declaration and the tables' expert count.
  ASSERT_TRUE(type_path_and_tab_away(dialog, ndtmoe::test::shared_data("wine.csv"))) << "wine.csv was not loaded";
  EXPECT_EQ(dialog.findChild<QLineEdit*>("image")->text(), "");
  EXPECT_TRUE(dialog.chosen().data.image_shape.empty());
  EXPECT_EQ(dialog.chosen().config.student.experts, default_experts({}));
}

TEST_F(Workbench, TheDarkThemeColoursThePlotsAndAnExportedFigureStaysLight) {
  const QPalette before = QApplication::palette();
  workbench::Preferences dark;
  dark.theme = "dark";
  workbench::apply_theme(dark);
  QApplication::processEvents();
  views::UtilizationView* view = window_->utilization();
  auto* plot = view->findChild<QCustomPlot*>();
  ASSERT_NE(plot, nullptr);
  plot->replot();
  const QImage screen = plot->grab().toImage();
  EXPECT_LT(qGray(screen.pixel(2, 2)), 80) << "the plot area stays light in the dark theme";
  ScratchDir dir;
  const QString png = QString::fromStdString(dir.path()) + "/utilization.png";
  ASSERT_EQ(views::export_figure(*view, png, views::FigureFormat::Png), QString());
  const QImage exported(png);
  ASSERT_FALSE(exported.isNull());
  EXPECT_GT(qGray(exported.pixel(2, 2)), 240) << "an exported figure follows the screen's dark theme";
  QApplication::setPalette(before);
  QApplication::processEvents();
  EXPECT_GT(qGray(plot->grab().toImage().pixel(2, 2)), 200) << "the light theme does not come back";
}

TEST_F(Workbench, FiguresExportAtAJournalColumnsWidthAndTextSizeAsThePreviewShows) {
  views::UtilizationView* view = window_->utilization();
  ScratchDir dir;
  const QString stem = QString::fromStdString(dir.path()) + "/utilization";
  views::ExportOptions single;
  single.width_inches = 3.5;
  single.font_points = 8;
  ASSERT_EQ(views::export_figure(*view, stem + ".pdf", views::FigureFormat::Pdf, single), QString());
  const QByteArray pdf = read(stem + ".pdf");
  EXPECT_TRUE(pdf.contains("/MediaBox [0 0 252.0")) << "a PDF at 3.5 in is 252 pt wide";
  ASSERT_EQ(views::export_figure(*view, stem + ".png", views::FigureFormat::Png, single), QString());
  EXPECT_EQ(QImage(stem + ".png").width(), 1050);  // 3.5 in at 300 dpi
  // Text at 8 pt instead of the 9 pt base: the layout is wider, so more fits at the same final width.
  const views::FigureGeometry at8 = views::figure_geometry(*view, single);
  single.font_points = 0;
  const views::FigureGeometry fitted = views::figure_geometry(*view, single);
  EXPECT_NEAR(at8.scale, 8.0 / QFont().pointSizeF(), 1e-9);
  EXPECT_NEAR(at8.inches.width(), 3.5, 1e-9);
  EXPECT_NEAR(fitted.inches.width(), 3.5, 1e-9);
  EXPECT_NE(at8.layout.width(), fitted.layout.width());
  // A single column is too narrow for three heatmaps side by side: the figure stacks them, the screen does not.
  EXPECT_EQ(at8.layout.height(), 3 * 300);
  EXPECT_GT(view->plot()->plotLayout()->columnCount(), 2);
  EXPECT_EQ(views::parse_length_inches("89mm").value_or(0), 89 / 25.4);
  EXPECT_EQ(views::parse_length_inches("252pt").value_or(0), 3.5);
  EXPECT_FALSE(views::parse_length_inches("wide"));
  // The dialog's preview is the file's drawing at screen resolution: the same size in inches.
  workbench::FigureExportDialog dialog(*view, views::FigureFormat::Png);
  dialog.choose("double");
  EXPECT_NEAR(dialog.options().width_inches, 7.16, 1e-9);
  EXPECT_NEAR(dialog.preview().width() / (96.0 * dialog.devicePixelRatioF()), 7.16, 0.02);
}

namespace {

// CIE76 colour difference: distance in CIELAB (D65).
double delta_e(const QColor& a, const QColor& b) {
  const auto lab = [](const QColor& c) {
    const auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    const double r = linear(c.redF()), g = linear(c.greenF()), bl = linear(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * bl,
                 z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
    const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return std::array<double, 3>{116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
  };
  const auto p = lab(a), q = lab(b);
  return std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

}  // namespace

TEST(RunList, AShardOfATraceOpensWithItsOwnSamples) {
  ScratchDir dir;
  LoadedRun run = ndtmoe::test::tiny_run(dir, 300);
  const Dataset data = load_data_for_run(run, "builtin:rule-tree");
  const std::string path = dir.path() + "/shard.sqlite";
  {
    TraceStore store(path);
    TraceOptions options;
    options.shard = {2, 3};
    trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", data, torch::kCPU, options);
  }
  workbench::MainWindow window;
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(path))) << window.statusBar()->currentMessage().toStdString();
  QApplication::processEvents();
  EXPECT_TRUE(window.statusBar()->currentMessage().startsWith("Run 1: 100 samples")) << window.statusBar()->currentMessage().toStdString();
  window.selection().select_sample(150);
  QApplication::processEvents();
  ASSERT_TRUE(window.decision_path()->path().has_value());
}

TEST(RunList, AShardSaysWhichSliceOfTheDataItHolds) {
  ndtmoe::RunSummary whole, shard;
  whole.id = 1;
  whole.total_samples = whole.traced_samples = 300;
  shard.id = 2;
  shard.total_samples = shard.traced_samples = 100;
  shard.first_sample = 100;
  shard.shard = "2/3";
  ndtmoe::views::RunListModel model;
  model.set_runs({whole, shard});
  const int samples = ndtmoe::views::RunListModel::Samples;
  EXPECT_EQ(model.data(model.index(0, samples)).toString(), "300/300");
  EXPECT_EQ(model.data(model.index(1, samples)).toString(), "100/100 (shard 2/3)");
  EXPECT_TRUE(model.data(model.index(0, samples), Qt::ToolTipRole).isNull());
  EXPECT_TRUE(model.data(model.index(1, samples), Qt::ToolTipRole).toString().contains("samples 100 to 199"));
}

TEST(Palette, ClassesAndExpertsAreClearlyDifferentColours) {
  for (int64_t i = 0; i < 8; ++i)
    for (int64_t j = 0; j < 8; ++j) {
      EXPECT_GE(delta_e(views::class_color(i), views::expert_color(j)), 20.0) << "class " << i << " vs expert " << j;
      if (i < j) {
        EXPECT_GE(delta_e(views::class_color(i), views::class_color(j)), 20.0) << "classes " << i << ", " << j;
        EXPECT_GE(delta_e(views::expert_color(i), views::expert_color(j)), 20.0) << "experts " << i << ", " << j;
      }
    }
}

TEST_F(Workbench, TrainingCurvesSmoothAsTensorBoardDoesAndTheCsvHoldsWhatIsDrawn) {
  views::TrainingView* view = window_->training();
  ASSERT_GT(view->graph_count(), 0);
  view->set_smoothing(0.9);
  view->set_log_loss(true);
  QString csv;
  QTextStream stream(&csv);
  view->write_figure_data(stream);
  stream.flush();
  const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
  ASSERT_EQ(lines[0], "model,step,epoch,kind,name,value,drawn");
  // Recompute one curve's debiased moving average from its raw values.
  const QStringList first = lines[1].split(',');
  double sum = 0, checked = 0;
  int64_t count = 0;
  for (const QString& line : lines.mid(1)) {
    const QStringList f = line.split(',');
    if (f[0] != first[0] || f[3] != first[3] || f[4] != first[4]) continue;
    sum = 0.9 * sum + 0.1 * f[5].toDouble();
    ++count;
    EXPECT_NEAR(f[6].toDouble(), sum / (1 - std::pow(0.9, static_cast<double>(count))), 2e-5 * std::max(1.0, std::abs(f[6].toDouble())));  // CSV: 6 digits
    ++checked;
  }
  EXPECT_GT(checked, 1);
  auto* losses = view->findChildren<QCustomPlot*>().at(0);
  EXPECT_EQ(losses->yAxis->scaleType(), QCPAxis::stLogarithmic);
  view->set_smoothing(0);
  view->set_log_loss(false);
  QString raw;
  QTextStream again(&raw);
  view->write_figure_data(again);
  again.flush();
  for (const QString& line : raw.split('\n', Qt::SkipEmptyParts).mid(1)) {
    const QStringList f = line.split(',');
    EXPECT_EQ(f[5], f[6]) << "unsmoothed curves draw the raw values";
  }
}

TEST_F(Workbench, TheDecisionPathFigureDrawsEachNodesSamplesSplitAtItsThreshold) {
  window_->selection().select_sample(7);
  views::DecisionPathView* view = window_->decision_path();
  ASSERT_TRUE(view->path());
  const DecisionPath path = *view->path();
  auto data = std::make_shared<views::RunData>(std::make_shared<TraceStore>(store_path_, TraceStore::Mode::ReadOnly), 1);
  TraceStore s = store();
  int levels = 0;
  for (size_t l = 0; l < path.layers.size(); ++l)
    for (const PathLevel& level : path.layers[l].levels) {
      const views::NodeHistogram& h = view->figure().histogram(*data, path, l, level);
      const int64_t node = path.layers[l].top_leaves.at(static_cast<size_t>(level.tree)) & ((int64_t{1} << level.level) - 1);
      int64_t expected = 0;
      for (const TreeNodeCount& c : s.tree_nodes(1, static_cast<int64_t>(l), level.tree))
        if (c.level == level.level && c.node == node) expected = c.samples;
      EXPECT_EQ(h.samples, expected) << "layer " << l << " level " << level.level << ": the histogram holds the node's samples";
      int64_t total = 0;
      for (int64_t c : h.counts) total += c;
      EXPECT_EQ(total, h.samples);
      EXPECT_TRUE(std::any_of(h.edges.begin(), h.edges.end(), [&](double e) { return std::abs(e - level.threshold) < 1e-6 * std::max(1.0, std::abs(e)); }))
          << "no bar straddles the threshold";
      EXPECT_EQ(level.value > level.threshold, level.right);
      ++levels;
    }
  EXPECT_EQ(levels, 4);  // 2 layers x depth 2
  ScratchDir dir;
  const QString png = QString::fromStdString(dir.path()) + "/path.png";
  ASSERT_EQ(views::export_figure(*view, png, views::FigureFormat::Png), QString());
  const QImage image(png);
  EXPECT_NEAR(image.width(), view->figure_size().width() * 300.0 / 96.0, 1.0);
  QString csv;
  QTextStream stream(&csv);
  view->write_figure_data(stream);
  stream.flush();
  EXPECT_TRUE(csv.startsWith("sample,layer,tree,level,selected,value,threshold,temperature,p_right,branch,feature,feature_value,feature_threshold,"
                             "node_samples,histogram_edges,histogram_counts"));
}

TEST_F(Workbench, TheIcicleLayoutGivesEachNodeItsShareOfTheWidthAndKeepsThePath) {
  views::RoutingTreeView* view = window_->routing_tree();
  window_->selection().select_layer(0, 0);
  window_->selection().select_sample(11);
  view->set_icicle(true);
  TraceStore s = store();
  int64_t total = 0;
  for (const TreeNodeCount& c : s.tree_nodes(1, 0, 0))
    if (c.level == 0) total = c.samples;
  // Node boxes are 2 px narrower than their span (a gap between neighbours); the root spans the width.
  std::vector<std::pair<int64_t, double>> nodes;  // samples, box width
  double full = 0;
  for (QGraphicsItem* item : view->scene()->items()) {
    auto* rect = dynamic_cast<QGraphicsRectItem*>(item);
    if (!rect || !rect->toolTip().contains(" samples (")) continue;
    const int64_t n = rect->toolTip().section(' ', 0, 0).toLongLong();
    nodes.emplace_back(n, rect->rect().width());
    if (n == total) full = std::max(full, rect->rect().width() + 2);
  }
  ASSERT_EQ(nodes.size(), 7u);  // depth 2: 1 + 2 + 4
  for (const auto& [n, width] : nodes)
    EXPECT_NEAR(width, std::max(full * static_cast<double>(n) / static_cast<double>(total) - 2, 0.5), 0.5) << n << " samples";
  const int32_t leaf = s.sample(1, 11).layers[0].leaves[0];
  const std::vector<std::pair<int64_t, int64_t>> expected{{0, 0}, {1, leaf % 2}, {2, leaf}};
  EXPECT_EQ(view->highlighted(), expected) << "the icicle outlines the sample's path";
  view->set_icicle(false);
}

TEST_F(Workbench, TheEmbeddingShowsTheStoredPointsByStoredExpertAndItsLassoListsTheSamplesInside) {
  views::EmbeddingView* view = window_->embedding();
  TraceStore s = store();
  for (int64_t layer : {0, 1}) {
    window_->selection().select_layer(layer);
    ASSERT_TRUE(view->has_embedding());
    ASSERT_TRUE(view->show_method("tsne"));
    const LayerEmbedding stored = s.embedding(1, layer, "tsne");
    const std::vector<int32_t> experts = s.top_experts(1, layer);
    // Every stored point is drawn once, at its stored place, in the graph of its stored top-1 expert.
    size_t drawn = 0;
    for (int g = 0; g < view->plot()->graphCount(); ++g) {
      QCPGraph* graph = view->plot()->graph(g);
      if (graph->name().startsWith("E")) drawn += static_cast<size_t>(graph->dataCount());
    }
    EXPECT_EQ(drawn, stored.samples.size());
    for (size_t i = 0; i < stored.samples.size(); i += 37) {
      const int64_t sample = stored.samples[i];
      EXPECT_EQ(view->drawn_group(sample), experts[static_cast<size_t>(sample)]) << "layer " << layer << " sample " << sample;
      bool found = false;
      for (int g = 0; g < view->plot()->graphCount() && !found; ++g) {
        QCPGraph* graph = view->plot()->graph(g);
        if (graph->name() != QString("E%1").arg(experts[static_cast<size_t>(sample)])) continue;
        for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
          found |= it->key == stored.x[i] && it->value == stored.y[i];
      }
      EXPECT_TRUE(found) << "sample " << sample << " is not drawn at its stored point in its expert's colour";
    }
    // The summary states the stored neighbour agreement.
    const ExpertNeighbours n = s.expert_neighbours(1).at(static_cast<size_t>(layer));
    EXPECT_TRUE(view->summary_text().contains(QString::number(100 * n.agreement, 'f', 1) + "%")) << view->summary_text().toStdString();
    EXPECT_TRUE(view->summary_text().contains(QString::number(100 * n.majority_share, 'f', 1) + "%"));
  }
  // By class: each point in its class's group.
  view->set_colouring(views::EmbeddingView::Colouring::Class);
  const std::vector<SampleRow> rows = s.sample_rows(1, {});
  for (int64_t sample : {0, 77, 299}) EXPECT_EQ(view->drawn_group(sample), static_cast<int64_t>(rows[static_cast<size_t>(sample)].truth));

  // A click on a point selects its sample.
  window_->embedding()->parentWidget()->raise();
  view->resize(700, 500);
  view->plot()->replot();
  QApplication::processEvents();
  // A mouse event of `type` at `at` in the plot, with the left button (held, for a move).
  const auto mouse = [&](QEvent::Type type, QPointF at) {
    QMouseEvent event(type, at, view->plot()->mapToGlobal(at), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton,
                      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->plot(), &event);
  };
  window_->selection().select_sample(0);
  const QPointF at = *view->pixel_of(42);
  mouse(QEvent::MouseButtonPress, at);
  mouse(QEvent::MouseButtonRelease, at);
  ASSERT_TRUE(window_->selection().current().sample);
  const int64_t clicked = *window_->selection().current().sample;
  EXPECT_LE(QLineF(*view->pixel_of(clicked), at).length(), QLineF(*view->pixel_of(42), at).length());  // 42 or one on top of it

  // A lasso around the left half of the map: the samples inside, and the samples table lists exactly them.
  const QRect area = view->plot()->graph(0)->keyAxis()->axisRect()->rect();
  const QPolygonF lasso({QPointF(area.left() + 2, area.top() + 2), QPointF(area.center().x(), area.top() + 2),
                         QPointF(area.center().x(), area.bottom() - 2), QPointF(area.left() + 2, area.bottom() - 2)});
  const std::vector<int64_t> inside = view->samples_inside(lasso);
  ASSERT_FALSE(inside.empty());
  ASSERT_LT(inside.size(), 300u);
  for (int64_t sample : inside) EXPECT_LT(view->pixel_of(sample)->x(), area.center().x());
  mouse(QEvent::MouseButtonPress, lasso[0]);
  for (int i = 1; i < lasso.size(); ++i) mouse(QEvent::MouseMove, lasso[i]);
  mouse(QEvent::MouseButtonRelease, lasso[3]);
  ASSERT_TRUE(window_->selection().current().group);
  EXPECT_EQ(*window_->selection().current().group, inside);
  wait_for_rows(window_->samples());
  ASSERT_EQ(window_->samples()->model().rowCount(), static_cast<int>(inside.size()));
  for (int r = 0; r < window_->samples()->model().rowCount(); ++r) EXPECT_EQ(window_->samples()->model().row(r).sample, inside[static_cast<size_t>(r)]);
  // Clearing the group lists every sample again.
  window_->selection().clear_group();
  wait_for_rows(window_->samples());
  EXPECT_EQ(window_->samples()->model().rowCount(), 300);
}
