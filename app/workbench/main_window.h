#pragma once
// The workbench window: wires the trace store, the run browser and the linked views. No analysis or
// training logic lives here (app/ only wires).

#include <QMainWindow>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "background_tasks.h"

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {
struct LoadedRun;
}
#include "ndtmoe_views/selection.h"

class QComboBox;
class QMessageBox;
class QMenu;
class QDockWidget;
class QSpinBox;
class QScrollArea;
class QStackedWidget;
class QTableView;

namespace ndtmoe::views {
class DecisionPathView;
class Figure;
class ImportanceView;
class TrainingView;
class ComparisonView;
class FrontierView;
class GateView;
class ExpertGalleryView;
class DecoderExpertsView;
class RoutingTreeView;
class RunListModel;
class RunData;
class SamplesView;
class UtilizationView;
class EmbeddingView;
class TuningView;
class TokenLanesView;
class ExpertTokensView;
class NeuronDashboardView;
}  // namespace ndtmoe::views

namespace ndtmoe::workbench {

struct NewRun;
class TrainingJob;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  MainWindow();
  ~MainWindow() override;

  // Opens a store read-only and shows `run` (or its newest complete run); false and a dialog on error.
  bool open_store(const QString& path, int64_t run = -1);
  bool show_run(int64_t run);
  // The run on show; null before one is.
  const RunSummary* shown_run() const;

  views::SelectionModel& selection() { return selection_; }
  views::RoutingTreeView* routing_tree() const { return tree_view_; }
  views::GateView* gate() const { return gate_view_; }
  views::ExpertGalleryView* expert_gallery() const { return gallery_view_; }
  // The routing panel on show: the routing tree, the gate view for a linear gate, or the expert gallery.
  QWidget* routing_panel() const;
  views::SamplesView* samples() const { return samples_view_; }
  views::DecisionPathView* decision_path() const { return path_view_; }
  views::UtilizationView* utilization() const { return utilization_view_; }
  views::EmbeddingView* embedding() const { return embedding_view_; }
  views::ImportanceView* importance() const { return importance_view_; }
  views::TrainingView* training() const { return training_view_; }

  // Trains, saves and traces `run` on a worker thread into the open store (or the default one) and
  // shows it when done; null when a training already runs.
  TrainingJob* start_training(const NewRun& run);
  // The New run dialog (optionally on a data file), then start_training.
  void new_run(const QString& source = {});
  std::vector<views::Figure*> figures() const;
  // Opens the comparison of these runs of the open store; false (and a message) when it cannot.
  bool compare_runs(const std::vector<int64_t>& runs);
  views::ComparisonView* comparison() const { return comparison_view_; }
  views::TokenLanesView* token_lanes() const { return token_lanes_; }
  views::ExpertTokensView* expert_tokens() const { return expert_tokens_; }
  views::NeuronDashboardView* neurons() const { return neurons_; }
  views::DecoderExpertsView* decoder_experts() const { return decoders_; }
  views::FrontierView* frontier() const { return frontier_view_; }
  views::TuningView* tuning() const { return tuning_view_; }
  QTableView* run_browser() const { return runs_; }
  // Whether the shown run's model is loaded for what-if (it loads on a worker thread when a run is shown).
  bool what_if_ready() const;
  // A view's handler failed (GuardedApplication): says so without stacking dialogs; the window stays.
  void report_failure(const QString& message, bool store_damaged);
  // What the integrity check of the open store found broken (it runs on a worker after opening); empty
  // while it runs or when the file is sound.
  const QStringList& store_damage() const { return store_damage_; }
  bool damage_check_done() const { return damage_checked_; }

 Q_SIGNALS:
  void run_shown(int64_t run);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_menus();
  void choose_store();
  void export_current_figure();
  void export_all_figures();
  void fill_run_browser();
  void remember_store(const QString& path);
  void update_recent_menu();
  void show_error(const QString& what, const QString& cause);
  void check_store_damage(const QString& path);
  void show_store_damage(const QString& path, const QStringList& problems);
  void update_title();
  // What-if: runs the run's student on edited inputs and shows the new path; an edit made while the
  // model still loads is applied when it arrives.
  void what_if(const std::vector<float>& inputs);
  void load_live_model();
  void live_model_loaded(int64_t run, std::shared_ptr<LoadedRun> loaded, const QString& error);
  // Runs `ndtmoe explain`'s analysis for the shown run on a worker thread and refreshes the view.
  void compute_explanation(const QString& method, qint64 sample);

  views::SelectionModel selection_;
  std::shared_ptr<TraceStore> store_;
  std::shared_ptr<views::RunData> data_;
  QString store_path_;
  QStringList store_damage_;
  bool damage_checked_ = false;
  QMessageBox* failure_box_ = nullptr;  // the one failure report on screen, updated rather than stacked
  views::Figure* routing_figure() const;

  QStackedWidget* routing_;
  views::RoutingTreeView* tree_view_;
  views::GateView* gate_view_;
  views::ExpertGalleryView* gallery_view_;
  QScrollArea* gallery_scroll_ = nullptr;
  views::SamplesView* samples_view_;
  views::DecisionPathView* path_view_;
  views::UtilizationView* utilization_view_;
  views::EmbeddingView* embedding_view_;
  views::TuningView* tuning_view_;
  QDockWidget* tuning_dock_ = nullptr;
  views::ImportanceView* importance_view_;
  views::TrainingView* training_view_;
  views::ComparisonView* comparison_view_;
  views::FrontierView* frontier_view_;
  views::TokenLanesView* token_lanes_;
  views::ExpertTokensView* expert_tokens_;
  QDockWidget* tokens_dock_ = nullptr;
  views::NeuronDashboardView* neurons_;
  QDockWidget* neurons_dock_ = nullptr;
  views::DecoderExpertsView* decoders_;
  QDockWidget* decoders_dock_ = nullptr;
  QDockWidget* comparison_dock_ = nullptr;
  QDockWidget* frontier_dock_ = nullptr;
  std::unique_ptr<TrainingJob> job_;
  QTableView* runs_;
  views::RunListModel* run_list_;
  QSpinBox *layer_, *tree_;
  QMenu* recent_menu_ = nullptr;
  QAction* icicle_action_ = nullptr;
  std::shared_ptr<LoadedRun> live_;  // the shown run's checkpoint, for what-if
  int64_t live_run_ = -1, loading_run_ = -1;
  std::optional<std::vector<float>> pending_what_if_;
  BackgroundTasks tasks_;  // last: destroyed first, so no worker outlives what it reports to
};

}  // namespace ndtmoe::workbench
