#include <atomic>
#include <filesystem>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "ndtmoe/train/distributed.h"
#include "interrupt.h"
#include "ndtmoe/data/builtin_data.h"
#include "family_flags.h"
#include "ndtmoe/train/defaults.h"
#include "ndtmoe/train/experiment.h"
#include "ndtmoe/train/run_directory.h"
#include "ndtmoe/train/tuner.h"
#include "progress_line.h"
#include "report.h"

namespace ndtmoe::cli {
namespace {

struct TrainFlags {
  DataDescription data;
  std::string test_data;
  std::string out;
  int folds = 0;
  bool json = false;
  std::string teacher = "transformer";
  std::string router_input = "input";
  std::string image;
  std::string student = "mixture";
  bool no_baselines = false;
  std::string tune;
  ExperimentConfig config = default_experiment_config();
  std::string numeric_scaling = to_string(config.numeric_scaling);  // after `config`, which it reads
  FamilyFlags family;

  void add_to(CLI::App* cmd) {
    auto& s = config.student;
    auto& st = config.student_training;
    auto& tt = config.teacher_training;
    cmd->add_option("--data", data.source, "Data file (.csv, .arff, or IDX images *-images-idx3-ubyte with their labels beside them; optionally .gz) or builtin:NAME");
    cmd->add_option("--labels", data.labels, "IDX images: their labels file (default: X-labels-idx1-ubyte[.gz] beside X-images-idx3-ubyte)");
    cmd->add_option("--target", data.target, "Target column (default: the last column)");
    cmd->add_option("--task", data.task, "auto, classification or regression")->check(CLI::IsMember({"auto", "classification", "regression"}));
    cmd->add_option("--rows", data.builtin_rows, "Rows to generate for builtin:NAME (0: its default)")->check(non_negative());
    cmd->add_option("--test-fraction", data.test_fraction, "Held-out share for testing when --folds is not given")->check(CLI::Range(0.05, 0.9));
    cmd->add_option("--test-data", test_data, "Evaluate on this data instead of a held-out share (e.g. builtin:fashion-mnist-test)");
    cmd->add_option("--folds", folds, "Stratified k-fold cross-validation with K folds")->check(CLI::Range(2, 20));
    cmd->add_option("--out", out, "Run directory for the checkpoint (with --folds: one fold-K subdirectory each)");
    cmd->add_flag("--json", json, "Print one final JSON object with every model's metrics on stdout");
    std::vector<std::string> teacher_kinds;
    for (const TeacherKind kind : kTeacherKinds) teacher_kinds.emplace_back(to_string(kind));
    cmd->add_option("--teacher", teacher, "transformer, forest (a random forest, distilled from its out-of-bag probabilities), torchscript, logits or none")
        ->check(CLI::IsMember(teacher_kinds));
    cmd->add_option("--teacher-path", config.teacher_path, "TorchScript module (--teacher torchscript) or logits CSV (--teacher logits)");
    cmd->add_option("--teacher-epochs", tt.epochs, "Teacher training epochs")->check(positive());
    cmd->add_option("--teacher-lr", tt.lr, "Teacher peak learning rate")->check(positive());
    cmd->add_option("--teacher-d", config.teacher.d_token, "Teacher token width")->check(positive());
    cmd->add_option("--teacher-blocks", config.teacher.blocks, "Teacher transformer blocks")->check(positive());
    cmd->add_option("--teacher-heads", config.teacher.heads, "Teacher attention heads")->check(positive());
    cmd->add_option("--image", image,
                    "Read the feature columns as images, HxW or CxHxW pixels in row-major order (vision teacher); none: as a table. "
                    "Default: images when the columns are named PREFIX_ROW_COL over a full grid (digits.csv's px_0_0..px_7_7)");
    patch_option = cmd->add_option("--patch", config.teacher.patch, "Patch size of the vision teacher and of a transformer-moe student on images")
        ->check(positive());
    cmd->add_option("--conv-stem", config.teacher.conv_stem, "Vision teacher: channels of a 3x3 convolution before the patches (0: none)")->check(non_negative());
    cmd->add_option("--augment-shift", config.teacher_augmentation.max_shift,
                    "Vision teacher: shift each training image by up to N pixels (random crop of the zero-padded image)")->check(non_negative());
    cmd->add_flag("--augment-flip", config.teacher_augmentation.horizontal_flip, "Vision teacher: mirror half of the training images left to right");
    cmd->add_flag("--test-time-mirror", config.teacher_augmentation.test_time_mirror,
                  "Vision teacher: predict the mean logits of each image and its mirror");
    cmd->add_option("--alpha", st.loss.alpha, "Weight of the task loss; 1-alpha weighs distillation")->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--temperature", st.loss.temperature, "Distillation temperature T")->check(positive());
    cmd->add_option("--lambda-lb", st.loss.lambda_lb, "Load-balancing loss weight")->check(non_negative());
    cmd->add_option("--lambda-z", st.loss.lambda_z, "Router z-loss weight")->check(non_negative());
    cmd->add_option("--lambda-h", st.loss.lambda_h, "Hidden-state matching weight")->check(non_negative());
    epochs_option = cmd->add_option("--epochs", st.epochs, "Student (and baseline) epochs (default: about 20,000 steps, 20 to 200 epochs)")
                        ->check(positive());
    cmd->add_option("--batch-size", st.batch_size, "Batch size")->check(positive());
    cmd->add_option("--lr", st.lr, "Student peak learning rate")->check(positive());
    cmd->add_option("--weight-decay", st.weight_decay, "AdamW weight decay")->check(non_negative());
    patience_option = cmd->add_option("--patience", st.patience, "Early-stopping patience in epochs (0: off; default: a quarter of the epochs, at least 10)")
                          ->check(non_negative());
    cmd->add_option("--clip", st.clip_norm, "Gradient clipping norm (0: off)")->check(non_negative());
    cmd->add_option("--text", data.text_column, "Read this column as free text, one token per UTF-8 byte (ARFF string attributes are text already)");
    cmd->add_option("--student", student,
                    "mixture: MoE layers over whole samples; transformer-moe: a transformer whose feed-forward blocks are MoE layers routing each token")
        ->check(CLI::IsMember({"mixture", "transformer-moe"}));
    cmd->add_option("--student-d", s.d_token, "transformer-moe: token width")->check(positive());
    cmd->add_option("--student-blocks", s.blocks, "transformer-moe: transformer blocks")->check(CLI::Range(1, 32));
    cmd->add_option("--student-heads", s.heads, "transformer-moe: attention heads")->check(positive());
    cmd->add_option("--moe-every", s.moe_every, "transformer-moe: an MoE layer in every Nth block (1: all, 2: every other as in Switch)")
        ->check(CLI::Range(1, 32));
    experts_option = cmd->add_option("--experts", s.experts, "Experts per layer (default: " + std::to_string(default_experts({})) + ", " + std::to_string(default_experts({1, 8, 8})) + " for images)")->check(CLI::Range(1, 4096));
    cmd->add_option("--top-k", s.top_k, "Experts per sample")->check(positive());
    cmd->add_option("--layers", s.layers, "MoE layers")->check(CLI::Range(1, 32));
    cmd->add_option("--d-model", s.d_model, "Hidden width")->check(positive());
    cmd->add_option("--expert-hidden", s.expert_hidden, "Expert FFN width")->check(positive());
    cmd->add_option("--dropout", s.dropout, "Dropout")->check(CLI::Range(0.0, 0.9));
    cmd->add_option("--router-input", router_input, "Router input: input, hidden, both")->check(CLI::IsMember({"input", "hidden", "both"}));
    cmd->add_flag("--dense", s.dense_connections, "DenseNet connections between layers");
    cmd->add_flag("--head-on-mean", s.head_on_mean, "Head on the mean of all layers instead of the last");
    cmd->add_option("--piecewise-bins", s.piecewise_bins,
                    "First layer of the student and the MLP baseline piecewise-linear in each input, over N quantile bins of the "
                    "training rows (0: linear)")
        ->check(CLI::Range(int64_t{0}, kMaxPiecewiseBins));
    cmd->add_option("--tune", tune,
                    "Search the student's and teacher's main settings first, on the training rows alone (inner 3-fold CV, TPE): "
                    "a number of trials (40) or a time (20m), shared by the folds");
    cmd->add_flag("--no-baselines", no_baselines, "Skip the MLP and linear-gate MoE baselines");
    cmd->add_option("--device", config.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--seed", config.seed, "Seed for data generation, splits, initialisation and shuffling");
    cmd->add_option("--numeric-scaling", numeric_scaling,
                    "Numeric features: standard (z-scores) or quantile (rank-Gaussian through the training quantiles, as NODE)")
        ->check(CLI::IsMember({"standard", "quantile"}));
    cmd->add_option("--max-categories", config.max_categories, "Refuse a nominal feature with more categories (its one-hot width)")
        ->check(positive());
    cmd->add_option("--upcycle-from", config.upcycle_from,
                    "Start the student's experts from a trained dense run (the same stack with --experts 1 --top-k 1): copies or slices of its MLP")
        ->check(CLI::ExistingDirectory);
    family.add_to(cmd);
  }

  TuningBudget tuning_budget;
  CLI::Option *patch_option = nullptr, *experts_option = nullptr, *epochs_option = nullptr, *patience_option = nullptr;

  // Images declared by the column names (unless --image was given), the patch and experts that suit them,
  // and the student's epochs and patience for the number of training rows (defaults.h), unless given.
  void adapt_to(Dataset& data, int64_t training_rows) {
    auto& st = config.student_training;
    if (epochs_option && epochs_option->count() == 0) {
      st.epochs = default_student_epochs(training_rows, st.batch_size * config.world_size, config.validation_fraction);
      if (st.epochs < default_experiment_config().student_training.epochs)
        std::cerr << training_rows << " training rows: " << st.epochs << " student epochs (--epochs to choose)\n";
    }
    if (patience_option && patience_option->count() == 0) st.patience = default_patience(st.epochs);
    tie_teacher_to_student(config);
    if (image.empty() && data.features.image_shape.empty()) {
      const std::vector<int64_t> shape = image_shape_from_column_names(data.features);
      if (!shape.empty()) {
        declare_image(data, shape);
        this->data.image_shape = shape;
        std::cerr << "reading the " << data.features.columns.size() << " columns " << data.features.columns.front().name << " .. "
                  << data.features.columns.back().name << " as " << shape[1] << "x" << shape[2] << " images (--image none: as a table)\n";
      }
    }
    if (!data.features.image_shape.empty() && patch_option && patch_option->count() == 0)
      config.teacher.patch = config.student.patch = default_patch(data.features.image_shape);
    if (experts_option && experts_option->count() == 0) config.student.experts = default_experts(data.features.image_shape);
  }

  void finalize() {
    try {
      if (!image.empty() && image != "none") data.image_shape = parse_image_shape(image);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--image " + image + ": " + e.what());
    }
    try {
      if (!tune.empty()) tuning_budget = parse_tuning_budget(tune);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--tune: ") + e.what());
    }
    config.teacher_kind = teacher_kind_from_string(teacher);
    config.numeric_scaling = numeric_scaling_from_string(numeric_scaling);
    if ((config.teacher_kind == TeacherKind::TorchScript || config.teacher_kind == TeacherKind::LogitsCsv) && config.teacher_path.empty())
      throw UsageError("--teacher " + teacher + " needs --teacher-path");
    config.student.router_input = router_input_from_string(router_input);
    config.student.kind = model_kind_from_string(student);
    config.student.patch = config.teacher.patch;
    family.apply_to(config.student);
    config.baselines = !no_baselines;
    tie_teacher_to_student(config);
  }
};

void print_summary(const TrainFlags& flags, const std::vector<Experiment>& experiments, int64_t rows, TaskKind task) {
  const FoldSummary summary = summarize_folds(experiments);
  const bool folds = experiments.size() > 1;
  if (flags.json) {
    nlohmann::json j{{"data", flags.data.to_json()}, {"rows", rows}, {"task", to_string(task)},
                     {"folds", static_cast<int>(experiments.size())}, {"metrics", metric_table_json(summary.mean)}};
    if (folds) {
      j["stddev"] = metric_table_json(summary.stddev);
      nlohmann::json per_fold = nlohmann::json::array();
      for (const auto& fold : summary.folds) per_fold.push_back(metric_table_json(fold));
      j["per_fold"] = per_fold;
    }
    if (!flags.out.empty()) j["run"] = flags.out;
    std::cout << j.dump() << std::endl;
    return;
  }
  std::cout << (folds ? "Mean over " + std::to_string(experiments.size()) + " folds (± standard deviation):\n" : std::string("Test metrics:\n"));
  print_metric_table(std::cout, summary.mean, folds ? &summary.stddev : nullptr);
  if (!flags.out.empty()) std::cout << "Run saved to " << flags.out << "\n";
}

// Saves a cancelled run when there is a student to resume; says what happened either way.
void report_cancel(const Experiment& ex, const DataDescription& description, const std::string& dir) {
  if (!ex.student || dir.empty()) {
    throw std::runtime_error("cancelled" + std::string(ex.student ? " (no --out given, nothing saved)" : " before the student started; nothing saved"));
  }
  save_run(dir, ex, description, /*complete=*/false);
  throw std::runtime_error("cancelled; the run so far is saved in " + dir + " (continue with: ndtmoe train --resume " + dir + ")");
}

// Tunes the flags' configuration on the fold's training rows (tuner.h) and reports the choice on stderr.
ExperimentConfig tuned_config(const TrainFlags& flags, const Dataset& data, const Split& split, int folds, ProgressLine& line,
                              const std::atomic<bool>& interrupted, bool reports) {
  const TuningRecord record = tune(data, split.train, flags.config, flags.tuning_budget.share(folds), [&](const TuningProgress& p) {
    if (reports) line.update(p);
  }, &interrupted);
  if (reports) line.finish();
  if (record.cancelled) throw std::runtime_error("cancelled while tuning, after " + std::to_string(record.trials.size()) + " trials; nothing saved");
  if (reports) {
    const TuningTrial& chosen = record.trials.at(static_cast<size_t>(record.chosen));
    std::cerr << "tuning: " << record.trials.size() << " trials; chose " << record.selection << " (inner-CV score " << chosen.score
              << "): " << chosen.settings.dump() << "\n";
  }
  return apply_chosen(flags.config, record);
}

// `configured`: the flags' configuration is complete as it is (the demo), not to be finished from flags.
void run_training(TrainFlags& flags, bool configured = false) {
  if (!configured) flags.finalize();
  // Started by torchrun or Slurm with several ranks: data-parallel, and rank 0 alone writes and reports.
  const ProcessGroup* group = join_process_group_from_environment();
  const bool reports = !group || group->is_main();
  flags.config.world_size = group ? group->world_size() : 1;
  flags.data.seed = flags.config.seed;
  Dataset data = flags.data.load();
  std::cerr << data.name << ": " << data.rows() << " rows, " << data.features.columns.size() << " features, "
            << to_string(data.task);
  if (data.task == TaskKind::Classification) std::cerr << " (" << data.num_classes() << " classes)";
  std::cerr << ", device " << resolve_device(flags.config.device) << "\n";
  if (flags.folds > 1 && !flags.test_data.empty()) throw UsageError("--folds and --test-data exclude each other");
  flags.data.test_source = flags.test_data;
  flags.data.folds = flags.folds;
  if (!configured) {
    DataDescription first = flags.data;
    first.fold = flags.folds > 1 ? 1 : 0;
    flags.adapt_to(data, static_cast<int64_t>(first.split(data).train.size()));
  }
  const int runs = std::max(1, flags.folds);

  const std::atomic<bool>& interrupted = cancel_on_interrupt();
  std::vector<Experiment> experiments;
  for (int f = 1; f <= runs; ++f) {
    DataDescription description = flags.data;
    description.fold = flags.folds > 1 ? f : 0;
    const Split split = description.split(data);
    ProgressLine line(runs > 1 ? "fold " + std::to_string(f) + "/" + std::to_string(runs) + " " : "");
    const ExperimentConfig config = flags.tuning_budget.empty() ? flags.config : tuned_config(flags, data, split, runs, line, interrupted, reports);
    Experiment ex = run_experiment(data, split, config, [&](const ExperimentProgress& p) {
      if (reports) line.update(p);
    }, &interrupted);
    if (reports) line.finish();
    const std::string dir = flags.out.empty() || !reports ? "" : runs > 1 ? flags.out + "/fold-" + std::to_string(f) : flags.out;
    if (ex.cancelled) report_cancel(ex, description, dir);
    if (!flags.test_data.empty()) ex.record_test_metrics(description.load_test(), resolve_device(flags.config.device));
    if (!dir.empty()) save_run(dir, ex, description);
    experiments.push_back(std::move(ex));
  }
  if (reports) print_summary(flags, experiments, data.rows(), data.task);
}

void run_resume(TrainFlags& flags, const std::string& dir, int64_t epochs) {
  LoadedRun run = load_run(dir, flags.config.device);
  Experiment& ex = run.experiment;
  ex.config.device = flags.config.device;
  const Dataset data = run.data.load();
  const Split rows = run.data.split(data);
  if (epochs <= 0) epochs = ex.config.student_training.epochs;
  const int64_t done = ex.trainers.at("student")->completed_epochs();
  if (epochs <= done) throw UsageError(dir + ": the student has already trained " + std::to_string(done) + " epochs; pass --epochs above that");
  std::cerr << dir << ": resuming the student at epoch " << done + 1 << " of " << epochs << "\n";
  const std::atomic<bool>& interrupted = cancel_on_interrupt();
  ProgressLine line;
  resume_student(ex, data, rows, epochs, [&](const ExperimentProgress& p) { line.update(p); }, &interrupted);
  line.finish();
  if (ex.cancelled) report_cancel(ex, run.data, dir);
  if (!run.data.test_source.empty()) ex.record_test_metrics(run.data.load_test(), resolve_device(ex.config.device));
  save_run(dir, ex, run.data);
  flags.out = dir;
  flags.data = run.data;
  std::vector<Experiment> one;
  one.push_back(std::move(ex));
  print_summary(flags, one, data.rows(), data.task);
}

}  // namespace

void add_train_commands(CLI::App& app) {
  auto train_flags = std::make_shared<TrainFlags>();
  CLI::App* train = app.add_subcommand("train", "Train a teacher, distill the NDT-MoE student, train baselines, report metrics");
  train_flags->add_to(train);
  auto resume = std::make_shared<std::string>();
  train->add_option("--resume", *resume, "Continue training the student of this run directory (to --epochs in total)")
      ->excludes("--data")->excludes("--folds")->excludes("--tune");
  train->callback([train_flags, resume, train] {
    if (!resume->empty()) {
      run_resume(*train_flags, *resume, train->count("--epochs") ? train_flags->config.student_training.epochs : 0);
      return;
    }
    if (train_flags->data.source.empty()) throw UsageError("train: --data is required (or --resume RUN_DIR)");
    run_training(*train_flags);
  });

  auto demo_flags = std::make_shared<TrainFlags>();
  CLI::App* demo = app.add_subcommand("demo", "The main job headless: rule-tree data, teacher, distillation, summary");
  demo->add_option("--out", demo_flags->out, "Run directory to keep the demo run");
  demo->add_option("--device", demo_flags->config.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  demo->add_flag("--json", demo_flags->json, "Print the final metrics as JSON");
  demo->callback([demo_flags] {
    std::cerr << "NDT-MoE demo: a transformer teacher and an NDT-MoE student on data whose labels follow a known rule tree\n";
    const DemoSetup demo = demo_setup();
    const std::string device = demo_flags->config.device;
    demo_flags->data = demo.data;
    demo_flags->config = demo.config;
    demo_flags->config.device = device;
    run_training(*demo_flags, /*configured=*/true);
  });
}

}  // namespace ndtmoe::cli
