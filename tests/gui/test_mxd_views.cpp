// The Mixture of Decoders views show what the store holds. The expert panel: each expert's stored
// modulation vector in the colours of its values, the experts ordered by the trace's use, the selected
// sample's experts and gate values as its stored routing, and their mixture Σ a·ĉ. The frontier: each
// traced decomposition's stored measurements against its K.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDockWidget>
#include <QMouseEvent>
#include <algorithm>

#include "../core/run_fixtures.h"
#include "main_window.h"
#include "ndtmoe/train/decomposed_run.h"
#include "ndtmoe/train/decomposition.h"
#include "ndtmoe_views/frontier_view.h"
#include "ndtmoe_views/qcustomplot_keywords.h"
#include "ndtmoe_views/decoder_experts_view.h"
#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/run_figures.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;

TEST(DecoderExperts, ThePanelShowsTheStoredModulationsByUseAndTheSamplesExpertsAndMixture) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/mxd.sqlite";
  {
    LoadedRun run = ndtmoe::test::tiny_run(dir, 300, [](ExperimentConfig& c) {
      c.student.family = "mxd";
      c.student.family_options = nlohmann::json::object();
      c.student.experts = 32;
      c.student.top_k = 2;
    });
    TraceStore store(store_path);
    trace_run(store, run, dir.path() + "/run", "builtin:rule-tree", load_data_for_run(run, "builtin:rule-tree"), torch::kCPU, {});
  }
  workbench::MainWindow window;
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(store_path)));
  views::DecoderExpertsView* view = window.decoder_experts();
  ASSERT_TRUE(view->has_experts());
  TraceStore store(store_path, TraceStore::Mode::ReadOnly);
  const RunDescription d = store.description(1);
  const StoredTensor& stored = d.router_tensors.at(0).at("modulations");
  ASSERT_EQ(stored.shape, (std::vector<int64_t>{32, 16}));
  const auto stored_row = [&](int64_t expert) {
    const std::vector<float>& ids = d.router_tensors.at(0).at("expert_ids").values;
    const auto slot = static_cast<size_t>(std::find(ids.begin(), ids.end(), static_cast<float>(expert)) - ids.begin());
    return std::vector<double>(stored.values.begin() + static_cast<std::ptrdiff_t>(slot * 16), stored.values.begin() + static_cast<std::ptrdiff_t>(slot * 16 + 16));
  };

  // Listed by the rows that chose each expert in any slot, most first; shares of the 300 routed rows.
  std::vector<std::pair<int64_t, int64_t>> use;  // (rows, expert)
  for (const CountCell& cell : store.expert_layers(1))
    if (cell.column == 0) use.push_back({cell.assignments, cell.row});
  std::stable_sort(use.begin(), use.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const QRect figure(QPoint(0, 0), view->figure_size());
  const std::vector<int64_t> listed = view->listed_experts(figure);
  ASSERT_EQ(listed.size(), 12u);
  for (size_t r = 0; r < listed.size(); ++r) {
    EXPECT_EQ(listed[r], use[r].second) << r;
    EXPECT_NEAR(view->experts().by_use[r].share, static_cast<double>(use[r].first) / 300.0, 1e-12);
  }
  // A drawn cell has the colour of its stored value on the panel's one scale.
  QImage image(figure.size(), QImage::Format_RGB32);
  view->paint_figure(image, figure);
  const std::vector<double> first = stored_row(listed[0]);
  for (const int output : {0, 7, 15}) {
    const QColor drawn = image.pixelColor(view->strip_cell(figure, 0, output).center().toPoint());
    const QColor expected = views::diverging_color(first[static_cast<size_t>(output)], view->strip_scale());
    EXPECT_NEAR(drawn.red(), expected.red(), 2) << output;
    EXPECT_NEAR(drawn.green(), expected.green(), 2) << output;
    EXPECT_NEAR(drawn.blue(), expected.blue(), 2) << output;
  }

  // The sample's experts and gate values are its stored routing; the mixture is Σ a·ĉ of the stored ĉ.
  window.selection().select_sample(5);
  QApplication::processEvents();
  const LayerTrace routed = store.sample(1, 5).layers[0];
  EXPECT_EQ(view->sample_experts(), routed.experts);
  EXPECT_EQ(view->sample_gates(), routed.weights);
  std::vector<double> mixture(16, 0.0);
  for (size_t k = 0; k < routed.experts.size(); ++k)
    for (size_t i = 0; i < 16; ++i) mixture[i] += routed.weights[k] * stored_row(routed.experts[k])[i];
  ASSERT_EQ(view->sample_mixture().size(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_NEAR(view->sample_mixture()[i], mixture[i], 1e-6) << i;

  // Layer 1 has experts of its own.
  window.selection().select_layer(1);
  QApplication::processEvents();
  EXPECT_EQ(view->experts().layer, 1);
  EXPECT_NE(view->experts().modulations, std::vector<float>(stored.values.begin(), stored.values.end()));
  window.selection().select_layer(0);

  // Clicking a listed expert selects it.
  const QRectF second = view->strip_cell(view->rect(), 1, 0);
  QMouseEvent click(QEvent::MouseButtonPress, second.center(), view->mapToGlobal(second.center()), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(view, &click);
  ASSERT_TRUE(window.selection().current().expert);
  EXPECT_EQ(*window.selection().current().expert, view->listed_experts(view->rect())[1]);

  // The run's figures include the panel per layer and per sample.
  const QString out = QString::fromStdString(dir.path()) + "/figures";
  const QStringList files = views::export_run_figures(std::make_shared<views::RunData>(std::make_shared<TraceStore>(store_path, TraceStore::Mode::ReadOnly), 1),
                                                      out, {views::FigureFormat::Png}, {}, {5});
  EXPECT_TRUE(files.contains(out + "/mxd-experts-layer0.png"));
  EXPECT_TRUE(files.contains(out + "/mxd-experts-layer1.png"));
  EXPECT_TRUE(files.contains(out + "/mxd-experts-layer0-sample5.csv"));
}

TEST(DecompositionFrontier, TheFrontierDrawsEachStandInsStoredNumbersAgainstK) {
  ScratchDir dir;
  const std::string store_path = dir.path() + "/frontier.sqlite";
  {
    LoadedRun run = ndtmoe::test::tiny_run(dir, 300, [](ExperimentConfig& c) { c.baselines = true; });
    const TrainAndTestData data = load_train_and_test_data(run);
    TraceStore store(store_path);
    for (const int64_t k : {1, 4}) {
      DecompositionOptions o;
      o.layer = "mlp.hidden";
      o.k = k;
      o.experts = 16;
      o.epochs = 1;
      const std::string out = dir.path() + "/k" + std::to_string(k);
      save_decomposition(out, decompose_layer(run.experiment, data.train, data.test, o, torch::kCPU), o, dir.path() + "/run");
      LoadedRun decomposed = load_traced_run(out, "cpu");
      TraceOptions options;
      options.embeddings = false;
      trace_run(store, decomposed, out, decomposed.data.source, load_data_for_run(decomposed, decomposed.data.source), torch::kCPU, options);
    }
  }
  workbench::MainWindow window;
  window.resize(1200, 800);
  window.show();
  ASSERT_TRUE(window.open_store(QString::fromStdString(store_path)));
  ASSERT_TRUE(window.compare_runs({1, 2}));
  views::FrontierView* view = window.frontier();
  const DecompositionFrontier& f = view->frontier();
  ASSERT_EQ(f.models, (std::vector<std::string>{"mxd", "transcoder", "skip-transcoder"}));
  ASSERT_EQ(f.points.size(), 6u);
  // Each stand-in's curve: its stored normalised MSE and spliced accuracy at K = 1 and 4.
  TraceStore store(store_path, TraceStore::Mode::ReadOnly);
  for (size_t m = 0; m < f.models.size(); ++m) {
    SCOPED_TRACE(f.models[m]);
    const std::string stored_name = m == 0 ? "student" : f.models[m];
    for (const auto& [plot, measure] : {std::pair{view->errors(), "normalized_mse"}, std::pair{view->metrics(), "accuracy"}}) {
      const QCPGraph* graph = plot->graph(static_cast<int>(m));
      ASSERT_EQ(graph->dataCount(), 2);
      for (int i = 0; i < 2; ++i) {
        const int64_t run = i + 1;
        EXPECT_EQ(graph->data()->at(i)->key, run == 1 ? 1.0 : 4.0);
        EXPECT_DOUBLE_EQ(graph->data()->at(i)->value, store.run(run).metrics.at(stored_name).at(measure));
      }
    }
  }
  // The original and the zero-ablated model as lines at their stored accuracy.
  EXPECT_DOUBLE_EQ(view->metrics()->graph(3)->data()->at(0)->value, store.run(1).metrics.at("original").at("accuracy"));
  EXPECT_DOUBLE_EQ(view->metrics()->graph(4)->data()->at(1)->value, store.run(1).metrics.at("zero_ablated").at("accuracy"));
  const std::vector<views::Figure*> figures = window.figures();
  EXPECT_NE(std::find(figures.begin(), figures.end(), static_cast<views::Figure*>(view)), figures.end());
}
