#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QStandardPaths>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

#include "figure_export_dialog.h"
#include "guarded_application.h"
#include "ndtmoe/explain/explain.h"
#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/trace/tracer.h"
#include "ndtmoe/train/decomposed_run.h"
#include "ndtmoe_views/decision_path_view.h"
#include "ndtmoe_views/importance_view.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/routing_tree_view.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/run_figures.h"
#include "ndtmoe_views/samples_view.h"
#include "ndtmoe_views/utilization_view.h"
#include "ndtmoe_views/embedding_view.h"
#include "ndtmoe_views/tuning_view.h"
#include "new_run_dialog.h"
#include "preferences.h"
#include "training_job.h"
#include "ndtmoe_views/comparison_view.h"
#include "ndtmoe_views/decoder_experts_view.h"
#include "ndtmoe_views/expert_gallery_view.h"
#include "ndtmoe_views/frontier_view.h"
#include "ndtmoe_views/gate_view.h"
#include "ndtmoe_views/run_list_model.h"
#include "ndtmoe_views/training_view.h"
#include "ndtmoe_views/expert_tokens_view.h"
#include "ndtmoe_views/neuron_dashboard_view.h"
#include "ndtmoe_views/token_lanes_view.h"

namespace ndtmoe::workbench {

namespace {

// The Icicle toggle's setting; absent until the user toggles it (then the layout follows the tree's depth).
const QString kIcicleKey = QStringLiteral("view/icicle");


QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
  auto* d = new QDockWidget(title, window);
  d->setObjectName(name);  // saveState/restoreState key
  d->setWidget(content);
  window->addDockWidget(area, d);
  return d;
}

// The routing panel the run's family asks for (Family::view_panel) where its data allow it; a family
// this program does not know gets the panel its stored data allow. The tree panel says why it is empty.
std::string routing_panel_of(const views::RunData& data) {
  std::string panel;
  try {
    panel = find_family(data.summary().family).view_panel;
  } catch (const std::invalid_argument&) {
    panel = data.summary().has_trees() ? "tree" : "gate";
  }
  if (panel == "experts" && views::ExpertGalleryView::can_show(data)) return panel;
  return panel == "gate" && views::GateView::can_show(data) ? "gate" : "tree";
}

}  // namespace

MainWindow::MainWindow()
    : routing_(new QStackedWidget(this)), tree_view_(new views::RoutingTreeView(selection_, this)),
      gate_view_(new views::GateView(selection_, this)), gallery_view_(new views::ExpertGalleryView(selection_, this)), samples_view_(new views::SamplesView(selection_, this)),
      path_view_(new views::DecisionPathView(selection_, this)), utilization_view_(new views::UtilizationView(selection_, this)),
      embedding_view_(new views::EmbeddingView(selection_, this)), tuning_view_(new views::TuningView(this)),
      importance_view_(new views::ImportanceView(selection_, this)), training_view_(new views::TrainingView(this)),
      comparison_view_(new views::ComparisonView(this)), frontier_view_(new views::FrontierView(this)), token_lanes_(new views::TokenLanesView(selection_, this)),
      expert_tokens_(new views::ExpertTokensView(selection_, this)), neurons_(new views::NeuronDashboardView(selection_, this)),
      decoders_(new views::DecoderExpertsView(selection_, this)),
      runs_(new QTableView(this)), run_list_(new views::RunListModel(this)), layer_(new QSpinBox(this)), tree_(new QSpinBox(this)) {
  setWindowTitle(tr("NDT-MoE Workbench"));
  if (auto* guarded = qobject_cast<GuardedApplication*>(QCoreApplication::instance()))
    connect(guarded, &GuardedApplication::handler_failed, this, &MainWindow::report_failure);
  // The routing panel the run's family wants: the tree for ndt, the gate's weights for a linear gate,
  // the expert gallery for imoie.
  routing_->addWidget(tree_view_);
  routing_->addWidget(gate_view_);
  gallery_scroll_ = new QScrollArea(this);  // a long gallery and the sample's explanation scroll
  gallery_scroll_->setWidgetResizable(true);
  gallery_scroll_->setWidget(gallery_view_);
  routing_->addWidget(gallery_scroll_);
  setCentralWidget(routing_);
  auto* sorted_runs = new QSortFilterProxyModel(this);
  sorted_runs->setSourceModel(run_list_);
  runs_->setModel(sorted_runs);
  runs_->setSortingEnabled(true);
  runs_->sortByColumn(views::RunListModel::Id, Qt::AscendingOrder);
  runs_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runs_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  runs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  runs_->verticalHeader()->hide();
  runs_->horizontalHeader()->setStretchLastSection(true);
  connect(runs_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) { show_run(index.data(Qt::UserRole).toLongLong()); });
  auto* browser = new QWidget(this);
  auto* browser_layout = new QVBoxLayout(browser);
  browser_layout->setContentsMargins(0, 0, 0, 0);
  browser_layout->addWidget(runs_, 1);
  auto* compare = new QPushButton(tr("Compare selected runs"), browser);
  compare->setToolTip(tr("Select two or more runs (Ctrl+click) to see their metrics, load health and specialization side by side"));
  connect(compare, &QPushButton::clicked, this, [this] {
    std::vector<int64_t> ids;
    for (const QModelIndex& row : runs_->selectionModel()->selectedRows()) ids.push_back(row.data(Qt::UserRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    compare_runs(ids);
  });
  browser_layout->addWidget(compare);
  QDockWidget* runs = dock(this, tr("Runs"), "runs", browser, Qt::LeftDockWidgetArea);
  QDockWidget* path = dock(this, tr("Decision path"), "path", path_view_, Qt::RightDockWidgetArea);
  resizeDocks({runs, path}, {230, 470}, Qt::Horizontal);  // a saved layout overrides this below
  QDockWidget* util = dock(this, tr("Expert utilization"), "utilization", utilization_view_, Qt::BottomDockWidgetArea);
  QDockWidget* samples = dock(this, tr("Samples"), "samples", samples_view_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, samples);
  tabifyDockWidget(util, dock(this, tr("Embedding"), "embedding", embedding_view_, Qt::BottomDockWidgetArea));
  tabifyDockWidget(util, dock(this, tr("Feature importance"), "importance", importance_view_, Qt::BottomDockWidgetArea));
  connect(importance_view_, &views::ImportanceView::compute_requested, this, &MainWindow::compute_explanation);
  connect(path_view_, &views::DecisionPathView::inputs_edited, this, &MainWindow::what_if);
  connect(path_view_, &views::DecisionPathView::what_if_reset, this, [this] { tree_view_->show_what_if(std::nullopt); });
  tabifyDockWidget(util, dock(this, tr("Training"), "training", training_view_, Qt::BottomDockWidgetArea));
  comparison_dock_ = dock(this, tr("Comparison"), "comparison", comparison_view_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, comparison_dock_);
  frontier_dock_ = dock(this, tr("Decomposition frontier"), "frontier", frontier_view_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, frontier_dock_);
  auto* tokens = new QSplitter(Qt::Vertical, this);
  tokens->addWidget(token_lanes_);
  tokens->addWidget(expert_tokens_);
  tokens->setStretchFactor(1, 3);
  tokens->setSizes({190, 480});  // lanes of a few layers at full box size; the dashboard takes the rest
  tokens_dock_ = dock(this, tr("Tokens"), "tokens", tokens, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, tokens_dock_);
  neurons_dock_ = dock(this, tr("Neurons"), "neurons", neurons_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, neurons_dock_);
  auto* decoders_scroll = new QScrollArea(this);  // a layer with thousands of experts lists its most used; the rest scroll
  decoders_scroll->setWidgetResizable(true);
  decoders_scroll->setWidget(decoders_);
  decoders_dock_ = dock(this, tr("Decoder experts"), "decoders", decoders_scroll, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, decoders_dock_);
  tuning_dock_ = dock(this, tr("Tuning"), "tuning", tuning_view_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(util, tuning_dock_);
  connect(training_view_, &views::TrainingView::cancel_requested, this, [this] {
    if (job_) job_->cancel();
  });
  connect(training_view_, &views::TrainingView::pause_requested, this, [this](bool paused) {
    if (job_) job_->set_paused(paused);
    statusBar()->showMessage(paused ? tr("Training paused") : tr("Training continues"), 4000);
  });
  setAcceptDrops(true);
  util->raise();

  auto* bar = addToolBar(tr("View"));
  bar->setObjectName("view-toolbar");
  bar->addWidget(new QLabel(tr(" Layer "), this));
  bar->addWidget(layer_);
  bar->addWidget(new QLabel(tr(" Tree "), this));
  bar->addWidget(tree_);
  QAction* fit = bar->addAction(tr("Fit"), tree_view_, &views::RoutingTreeView::fit_all);
  fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  fit->setToolTip(tr("Fit the routing tree into the view (Ctrl+0)"));
  // A checkable tree option, remembered in QSettings under `key` and applied now and on every toggle.
  const auto tree_option = [this, bar](const QString& text, const QString& tip, const QString& key, bool initially,
                                       void (views::RoutingTreeView::*set)(bool)) {
    QAction* action = bar->addAction(text);
    action->setCheckable(true);
    action->setChecked(QSettings().value(key, initially).toBool());
    action->setToolTip(tip);
    (tree_view_->*set)(action->isChecked());
    connect(action, &QAction::toggled, this, [this, key, set](bool on) {
      (tree_view_->*set)(on);
      QSettings().setValue(key, on);
    });
    return action;
  };
  tree_option(tr("Fold empty branches"), tr("Draw each branch that no sample reaches as one small stub, so deep trees show the part the data uses"),
              "view/fold_empty_branches", true, &views::RoutingTreeView::set_hide_empty);
  icicle_action_ = tree_option(tr("Icicle"), tr("Draw the tree as rows of levels, each node as wide as its share of the samples (for deep or wide trees)"),
              kIcicleKey, false, &views::RoutingTreeView::set_icicle);
  layer_->setToolTip(tr("The MoE layer whose router the views show"));
  tree_->setToolTip(tr("The tree of the layer's router"));
  const auto change_layer = [this] { selection_.select_layer(layer_->value(), tree_->value()); };
  connect(layer_, &QSpinBox::valueChanged, this, change_layer);
  connect(tree_, &QSpinBox::valueChanged, this, change_layer);
  connect(&selection_, &views::SelectionModel::changed, this, [this](const views::Selection& s) {
    const QSignalBlocker a(layer_), b(tree_);
    layer_->setValue(static_cast<int>(s.layer));
    tree_->setValue(static_cast<int>(s.tree));
    if (s.sample) statusBar()->showMessage(tr("Sample %1 selected").arg(*s.sample), 4000);
  });
  build_menus();

  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
  update_recent_menu();
  statusBar()->showMessage(tr("Open a trace store (File ▸ Open) or start with --demo"));
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&New run…"), QKeySequence::New, this, [this] { new_run(); });
  file->addAction(tr("&Open trace store…"), QKeySequence::Open, this, &MainWindow::choose_store);
  recent_menu_ = file->addMenu(tr("Open &recent"));
  file->addSeparator();
  file->addAction(tr("&Export figure of the focused view…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::export_current_figure);
  file->addAction(tr("Export &all figures of this run…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, &MainWindow::export_all_figures);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = path_view_->undo_stack()->createUndoAction(this, tr("&Undo what-if edit"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = path_view_->undo_stack()->createRedoAction(this, tr("&Redo what-if edit"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  view->addSeparator();
  view->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, [this] {
    PreferencesDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    dialog.chosen().save();
    apply_theme(dialog.chosen());
  });
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About"), this, [this] {
    QMessageBox::about(this, tr("About NDT-MoE Workbench"),
                       tr("<b>NDT-MoE Workbench %1</b><p>Train, distill and look inside mixtures of experts routed by soft "
                          "decision trees.</p><p>Trace stores are SQLite files written by <tt>ndtmoe trace</tt>.</p>"
                          "<p>Free software under the GNU General Public License, version 3 or later (GPL-3.0-or-later), "
                          "without any warranty.</p><p>It links QCustomPlot (GPL-3.0-or-later), Qt 6 (LGPL-3.0), libtorch "
                          "(BSD-3-Clause), Graphviz (EPL-1.0), SQLite (public domain) and OpenBLAS (BSD-3-Clause), and "
                          "compiles in nlohmann/json (MIT) and CLI11 (BSD-3-Clause).</p>")
                           .arg(QApplication::applicationVersion()));
  });
}

void MainWindow::new_run(const QString& source) {
  if (job_ && training_view_->running()) {
    show_error(tr("A training is running"), tr("Wait for it to finish or cancel it in the Training panel."));
    return;
  }
  NewRunDialog dialog(this, source);
  if (dialog.exec() == QDialog::Accepted) start_training(dialog.chosen());
}

TrainingJob* MainWindow::start_training(const NewRun& run) {
  if (job_ && training_view_->running()) return nullptr;
  const QString home = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
  const QString store = store_path_.isEmpty() ? home + "/runs.sqlite" : store_path_;
  QDir().mkpath(home + "/runs");
  job_ = std::make_unique<TrainingJob>(run, home + "/runs/" + run.name, store);
  connect(job_.get(), &TrainingJob::progress, training_view_, &views::TrainingView::add_point);
  connect(job_.get(), &TrainingJob::finished, this, [this](bool ok, const QString& message, qint64 traced) {
    training_view_->finish(message);
    statusBar()->showMessage(message, 10000);
    if (ok) open_store(job_->store_path(), traced);
  });
  training_view_->start(tr("Training %1 on %2…").arg(run.name, QString::fromStdString(run.data.source)));
  if (auto* d = qobject_cast<QDockWidget*>(training_view_->parentWidget())) d->raise();
  // Started from the event loop, so a caller that connects to the returned job's signals misses none of them.
  QTimer::singleShot(0, job_.get(), &TrainingJob::start);
  return job_.get();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "sqlite" || suffix == "db") open_store(path);
    else new_run(path);  // a data file: train on it
    return;
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  QMainWindow::closeEvent(event);
}

void MainWindow::show_error(const QString& what, const QString& cause) {
  QMessageBox box(QMessageBox::Warning, tr("NDT-MoE Workbench"), what, QMessageBox::Ok, this);
  box.setInformativeText(cause);
  if (QApplication::platformName() == "offscreen") {
    statusBar()->showMessage(what + ": " + cause);  // no one to click OK in headless runs and tests
    return;
  }
  box.exec();
}

void MainWindow::choose_store() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open trace store"), QFileInfo(store_path_).path(),
                                                    tr("Trace stores (*.sqlite *.db);;All files (*)"));
  if (!path.isEmpty()) open_store(path);
}

bool MainWindow::open_store(const QString& path, int64_t run) {
  try {
    store_ = std::make_shared<TraceStore>(path.toStdString(), TraceStore::Mode::ReadOnly);
    store_path_ = path;
    remember_store(path);
    check_store_damage(path);
    fill_run_browser();
    if (run < 0)
      for (const RunSummary& r : store_->runs())
        if (r.complete()) run = r.id;
    if (run < 0) {
      statusBar()->showMessage(tr("%1 has no complete run yet").arg(path));
      return true;
    }
    return show_run(run);
  } catch (const StoreError& e) {
    if (e.damaged()) show_store_damage(path, {QString::fromStdString(e.what())});
    else show_error(tr("Could not open %1").arg(path), QString::fromStdString(e.what()) + tr("\nChoose a store written by ndtmoe trace."));
    return false;
  } catch (const std::exception& e) {
    show_error(tr("Could not open %1").arg(path), QString::fromStdString(e.what()) + tr("\nChoose a store written by ndtmoe trace."));
    return false;
  }
}

void MainWindow::check_store_damage(const QString& path) {
  store_damage_.clear();
  damage_checked_ = false;
  // SQLite's quick check reads the whole file (seconds for a gigabyte): on a worker, while the views fill.
  tasks_.run([self = QPointer<MainWindow>(this), path](const std::atomic<bool>& cancelled) {
    QStringList problems;
    try {
      TraceStore store(path.toStdString(), TraceStore::Mode::ReadOnly);
      for (const std::string& problem : store.damage(10, &cancelled)) problems << QString::fromStdString(problem);
    } catch (const std::exception& e) {
      problems << QString::fromStdString(e.what());
    }
    if (cancelled) return;
    QMetaObject::invokeMethod(self, [self, path, problems] {
      if (!self || path != self->store_path_) return;  // another store was opened meanwhile
      self->damage_checked_ = true;
      if (!problems.isEmpty()) self->show_store_damage(path, problems);
    });
  });
}

void MainWindow::show_store_damage(const QString& path, const QStringList& problems) {
  store_damage_ = problems;
  if (path == store_path_) update_title();
  show_error(tr("%1 is damaged").arg(QFileInfo(path).fileName()),
             tr("SQLite's integrity check of %1 found:\n%2\n\nThe views show what can still be read and say so where they reach a damaged part. "
                "To repair it, trace the run again into a new store: ndtmoe trace --run RUN_DIR --store NEW.sqlite")
                 .arg(path, problems.mid(0, 10).join("\n")));
}

void MainWindow::update_title() {
  QString title = data_ ? tr("%1 — run %2 — NDT-MoE Workbench").arg(QFileInfo(store_path_).fileName(), QString::fromStdString(data_->summary().name))
                        : tr("NDT-MoE Workbench");
  if (!store_damage_.isEmpty()) title = tr("[damaged] %1").arg(title);
  setWindowTitle(title);
}

void MainWindow::report_failure(const QString& message, bool store_damaged) {
  const QString what = store_damaged ? tr("Part of the store is damaged and could not be read") : tr("A view could not be updated");
  statusBar()->showMessage(what + ": " + message);
  if (QApplication::platformName() == "offscreen") return;  // no one to click OK in headless runs and tests
  if (!failure_box_) {
    failure_box_ = new QMessageBox(QMessageBox::Warning, tr("NDT-MoE Workbench"), what, QMessageBox::Ok, this);
    failure_box_->setWindowModality(Qt::NonModal);  // a burst of failures updates this box instead of stacking dialogs
  }
  failure_box_->setText(what);
  failure_box_->setInformativeText(message);
  failure_box_->show();
}

const RunSummary* MainWindow::shown_run() const { return data_ ? &data_->summary() : nullptr; }

bool MainWindow::show_run(int64_t run) {
  try {
    data_ = std::make_shared<views::RunData>(store_, run);
  } catch (const std::exception& e) {
    show_error(tr("Could not read run %1").arg(run), QString::fromStdString(e.what()));
    return false;
  }
  const RunSummary& s = data_->summary();
  layer_->setRange(0, static_cast<int>(s.layers - 1));
  tree_->setRange(0, static_cast<int>(std::max<int64_t>(0, s.trees - 1)));
  tree_->setEnabled(s.has_trees());
  selection_.select_layer(0, 0);
  selection_.clear_group();
  // Each view reads what it shows now; one that meets a damaged part of the store reports it and the
  // others still show the run.
  std::optional<std::pair<QString, bool>> failure;  // the first, reported once the run's summary is shown
  const auto show_in = [this, &failure](auto* view) {
    try {
      view->set_run(data_);
    } catch (const StoreError& e) {
      if (!failure) failure.emplace(QString::fromStdString(e.what()), e.damaged());
    } catch (const std::exception& e) {
      if (!failure) failure.emplace(QString::fromStdString(e.what()), false);
    }
  };
  if (!QSettings().contains(kIcicleKey)) {  // until the user chooses, trees too deep to read as node-link come as icicles
    const QSignalBlocker block(icicle_action_);
    icicle_action_->setChecked(views::RoutingTreeView::icicle_suits(s));
    tree_view_->set_icicle(icicle_action_->isChecked());
  }
  show_in(tree_view_);
  show_in(gate_view_);
  show_in(gallery_view_);
  const std::string panel = routing_panel_of(*data_);
  routing_->setCurrentWidget(panel == "gate" ? static_cast<QWidget*>(gate_view_) : panel == "experts" ? static_cast<QWidget*>(gallery_scroll_) : tree_view_);
  show_in(samples_view_);
  show_in(path_view_);
  show_in(utilization_view_);
  show_in(embedding_view_);
  show_in(importance_view_);
  show_in(token_lanes_);
  show_in(expert_tokens_);
  show_in(neurons_);
  show_in(decoders_);
  show_in(tuning_view_);
  if (tuning_view_->record()) tuning_dock_->show();
  if (neurons_->has_neurons()) {
    neurons_dock_->show();
    neurons_dock_->raise();
  }
  if (decoders_->has_experts()) {
    decoders_dock_->show();
    decoders_dock_->raise();
  }
  if (s.token_level()) {
    tokens_dock_->show();
    tokens_dock_->raise();
    if (s.traced_samples > 0) selection_.select_sample(s.first_sample);  // the lanes show a sentence, not an empty frame
  }
  training_view_->show_history(*data_);
  update_title();
  statusBar()->showMessage(tr("Run %1: %2 samples, %3 layers × %4 experts, family %5").arg(s.id).arg(s.traced_samples).arg(s.layers).arg(s.experts)
                               .arg(QString::fromStdString(s.family)));
  if (failure) report_failure(failure->first, failure->second);
  load_live_model();  // ready before the first what-if edit
  Q_EMIT run_shown(run);
  return true;
}

void MainWindow::fill_run_browser() { run_list_->set_runs(store_->runs()); }

std::vector<views::Figure*> MainWindow::figures() const {
  std::vector<views::Figure*> all{routing_figure(), utilization_view_, embedding_view_, path_view_, samples_view_, importance_view_, training_view_};
  if (!comparison_view_->comparisons().empty()) all.push_back(comparison_view_);
  if (!frontier_view_->frontier().empty()) all.push_back(frontier_view_);
  if (data_ && data_->summary().token_level()) all.insert(all.end(), {token_lanes_, expert_tokens_});
  if (neurons_->has_neurons()) all.push_back(neurons_);
  if (decoders_->has_experts()) all.push_back(decoders_);
  if (tuning_view_->record()) all.push_back(tuning_view_);
  return all;
}

QWidget* MainWindow::routing_panel() const {
  return routing_->currentWidget() == gallery_scroll_ ? gallery_view_ : routing_->currentWidget();
}

bool MainWindow::compare_runs(const std::vector<int64_t>& runs) {
  if (!store_ || runs.empty()) {
    statusBar()->showMessage(tr("Select the runs to compare in the Runs list first"), 5000);
    return false;
  }
  try {
    comparison_view_->set_runs(*store_, runs);
  } catch (const std::exception& e) {
    show_error(tr("Could not compare the runs"), QString::fromStdString(e.what()));
    return false;
  }
  comparison_dock_->show();
  comparison_dock_->raise();
  try {  // decompositions of one layer among them: their sparsity–accuracy frontier
    frontier_view_->set_runs(*store_, runs);
  } catch (const std::exception& e) {
    frontier_view_->clear();
    report_failure(tr("The decompositions' frontier could not be drawn: %1").arg(QString::fromStdString(e.what())), false);
  }
  if (!frontier_view_->frontier().empty()) {
    frontier_dock_->show();
    frontier_dock_->raise();
  }
  return true;
}

views::Figure* MainWindow::routing_figure() const {
  if (routing_->currentWidget() == gate_view_) return gate_view_;
  if (routing_->currentWidget() == gallery_scroll_) return gallery_view_;
  return tree_view_;
}

bool MainWindow::what_if_ready() const { return data_ && live_ && live_run_ == data_->run(); }

void MainWindow::load_live_model() {
  if (!data_ || what_if_ready() || loading_run_ == data_->run()) return;
  loading_run_ = data_->run();
  tasks_.run([self = QPointer<MainWindow>(this), run = data_->run(), directory = data_->summary().run_directory](const std::atomic<bool>&) {
    std::shared_ptr<LoadedRun> loaded;
    QString error;
    try {
      loaded = std::make_shared<LoadedRun>(load_traced_run(directory, "cpu"));
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(qApp, [self, run, loaded, error] {
      if (self) self->live_model_loaded(run, loaded, error);
    });
  });
}

void MainWindow::live_model_loaded(int64_t run, std::shared_ptr<LoadedRun> loaded, const QString& error) {
  if (loading_run_ == run) loading_run_ = -1;
  if (!data_ || data_->run() != run) return;  // another run is shown by now
  std::optional<std::vector<float>> pending = std::move(pending_what_if_);
  pending_what_if_.reset();
  if (!loaded) {
    // Only an edit waiting for the model makes the failure worth a message (the store may have moved).
    if (pending) show_error(tr("What-if needs the run's checkpoint"), error);
    return;
  }
  live_ = std::move(loaded);
  live_run_ = run;
  if (pending) what_if(*pending);
}

void MainWindow::what_if(const std::vector<float>& inputs) {
  if (!data_ || !selection_.current().sample) return;
  if (!what_if_ready()) {
    pending_what_if_ = inputs;
    statusBar()->showMessage(tr("Loading the run's model for what-if…"));
    load_live_model();
    return;
  }
  try {
    const SampleTrace edited = trace_inputs(*live_, data_->sample(*selection_.current().sample), inputs, torch::kCPU);
    path_view_->show_path(ndtmoe::decision_path(data_->description(), edited));
    tree_view_->show_what_if(edited);
  } catch (const std::exception& e) {
    show_error(tr("What-if needs the run's checkpoint"), QString::fromStdString(e.what()));
  }
}

void MainWindow::compute_explanation(const QString& method, qint64 sample) {
  if (!data_) return;
  importance_view_->set_busy(true);
  statusBar()->showMessage(tr("Computing %1 for run %2…").arg(method).arg(data_->run()));
  const std::string store = store_path_.toStdString();
  const int64_t run = data_->run();
  tasks_.run([self = QPointer<MainWindow>(this), store, run, method, sample](const std::atomic<bool>&) {
    QString error;
    try {
      TraceStore writer(store);  // the views keep their read-only connection
      ExplainOptions options;
      options.method = method.toStdString();
      options.max_samples = 200;
      if (sample >= 0) options.sample = sample;
      explain(writer, run, options);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    // The window may have closed meanwhile: the guard then drops the result.
    QMetaObject::invokeMethod(qApp, [self, error, method] {
      if (!self) return;
      self->importance_view_->set_busy(false);
      if (!error.isEmpty()) {
        self->show_error(tr("Could not compute %1").arg(method), error);
        return;
      }
      self->importance_view_->reload();
      self->statusBar()->showMessage(tr("Stored %1 in the trace store").arg(method), 5000);
    });
  });
}

void MainWindow::export_current_figure() {
  views::Figure* figure = routing_figure();
  for (QWidget* w = QApplication::focusWidget(); w; w = w->parentWidget())
    if (auto* f = dynamic_cast<views::Figure*>(w)) {
      figure = f;
      break;
    }
  const QString path = QFileDialog::getSaveFileName(this, tr("Export figure"), figure->figure_name() + ".pdf",
                                                    tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
  if (path.isEmpty()) return;
  views::FigureFormat format;
  if (!views::parse_figure_format(QFileInfo(path).suffix(), &format)) {
    show_error(tr("Unknown figure format"), tr("Name the file .pdf, .svg or .png."));
    return;
  }
  FigureExportDialog sizes(*figure, format, this);
  if (sizes.exec() != QDialog::Accepted) return;
  const QString error = views::export_figure(*figure, path, format, sizes.options());
  if (!error.isEmpty()) {
    show_error(tr("Export failed"), error);
    return;
  }
  // The numbers drawn, beside the figure, as the whole-run export writes them.
  const QString csv = QFileInfo(path).path() + "/" + QFileInfo(path).completeBaseName() + ".csv";
  try {
    views::write_figure_data(*figure, csv);
  } catch (const std::exception& e) {
    show_error(tr("Export failed"), QString::fromStdString(e.what()));
    return;
  }
  statusBar()->showMessage(tr("Wrote %1 and %2").arg(path, csv), 5000);
}

void MainWindow::export_all_figures() {
  if (!data_) return;
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the figures"));
  if (dir.isEmpty()) return;
  try {
    std::vector<int64_t> samples;
    if (selection_.current().sample) samples.push_back(*selection_.current().sample);
    const QStringList files = views::export_run_figures(data_, dir, {views::FigureFormat::Pdf, views::FigureFormat::Svg, views::FigureFormat::Png}, {}, samples);
    statusBar()->showMessage(tr("Wrote %n file(s) to %1", nullptr, files.size()).arg(dir), 8000);
  } catch (const std::exception& e) {
    show_error(tr("Export failed"), QString::fromStdString(e.what()));
  }
}

void MainWindow::remember_store(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recent/stores").toStringList();
  recent.removeAll(QFileInfo(path).absoluteFilePath());
  recent.prepend(QFileInfo(path).absoluteFilePath());
  settings.setValue("recent/stores", recent.mid(0, 8));
  update_recent_menu();
}

void MainWindow::update_recent_menu() {
  if (!recent_menu_) return;
  recent_menu_->clear();
  for (const QString& path : QSettings().value("recent/stores").toStringList())
    recent_menu_->addAction(path, this, [this, path] { open_store(path); });
  recent_menu_->setEnabled(!recent_menu_->isEmpty());
}

}  // namespace ndtmoe::workbench
