#include "ndtmoe/train/experiment.h"

#include <algorithm>
#include <cmath>

#include "ndtmoe/model/family_registry.h"
#include "ndtmoe/train/metrics.h"
#include "ndtmoe/train/upcycling.h"

namespace ndtmoe {

// Field-by-field JSON for the option structs; the keys are the member names.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(LossWeights, alpha, temperature, lambda_lb, lambda_z, lambda_h)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TrainOptions, epochs, batch_size, lr, weight_decay, warmup_fraction, patience, clip_norm,
                                   log_every, loss, seed, hidden_target_width)

namespace {

TrainingSet training_set(const torch::Tensor& x, const torch::Tensor& y, const std::vector<int64_t>& rows) {
  torch::Tensor index = torch::tensor(rows, torch::kLong);
  return TrainingSet{x.index_select(0, index), y.index_select(0, index), {}, {}, {}};
}

std::vector<int64_t> pick(const std::vector<int64_t>& from, const std::vector<int64_t>& positions) {
  std::vector<int64_t> out;
  for (int64_t p : positions) out.push_back(from[p]);
  return out;
}

}  // namespace

nlohmann::json ExperimentConfig::to_json() const {
  nlohmann::json j = {{"student", student.to_json()}, {"teacher", teacher.to_json()}, {"teacher_kind", to_string(teacher_kind)},
          {"teacher_path", teacher_path}, {"student_training", student_training},
          {"teacher_training", teacher_training}, {"teacher_augmentation", teacher_augmentation.to_json()}, {"baselines", baselines},
          {"validation_fraction", validation_fraction}, {"max_categories", max_categories}, {"numeric_scaling", to_string(numeric_scaling)}, {"upcycle_from", upcycle_from}, {"world_size", world_size}, {"device", device}, {"seed", seed}};
  if (tuning) j["tuning"] = tuning->to_json();
  return j;
}

ExperimentConfig ExperimentConfig::from_json(const nlohmann::json& j) {
  ExperimentConfig c;
  c.student = ModelConfig::from_json(j.at("student"));
  c.teacher = ModelConfig::from_json(j.at("teacher"));
  c.teacher_kind = teacher_kind_from_string(j.at("teacher_kind"));
  c.teacher_path = j.at("teacher_path");
  c.student_training = j.at("student_training").get<TrainOptions>();
  c.teacher_training = j.at("teacher_training").get<TrainOptions>();
  // Runs saved before augmentation existed trained their teacher without it.
  if (j.contains("teacher_augmentation")) c.teacher_augmentation = ImageAugmentation::from_json(j.at("teacher_augmentation"));
  c.baselines = j.at("baselines");
  c.validation_fraction = j.at("validation_fraction");
  c.max_categories = j.value("max_categories", kDefaultMaxCategories);  // runs saved before the limit
  c.numeric_scaling = numeric_scaling_from_string(j.value("numeric_scaling", "standard"));  // runs saved before quantile scaling
  c.upcycle_from = j.value("upcycle_from", "");  // runs saved before up-cycling started from scratch
  c.world_size = j.value("world_size", int64_t{1});
  c.device = j.at("device");
  c.seed = j.at("seed");
  if (j.contains("tuning")) c.tuning = TuningRecord::from_json(j.at("tuning"));
  return c;
}

namespace {

// The forest's probabilities as logits for distillation and metrics: a class no tree voted for keeps a
// small probability instead of an infinite negative logit.
torch::Tensor forest_logits(const torch::Tensor& probabilities) { return probabilities.clamp_min(1e-3).log(); }

}  // namespace

torch::Tensor Experiment::teacher_outputs(const torch::Tensor& x, torch::Device device) {
  auto outputs = [&](const torch::Tensor& rows) {
    if (teacher) return predict(*teacher, rows, device);
    if (scripted_teacher) return scripted_teacher->predict(rows);
    if (forest_teacher) return forest_logits(forest_teacher->probabilities(rows));
    return torch::Tensor();
  };
  torch::Tensor logits = outputs(x);
  if (!logits.defined() || !config.teacher_augmentation.test_time_mirror) return logits;
  const ImageAugmenter augmenter(config.teacher_augmentation, preprocessor);
  return (logits + outputs(augmenter.mirrored(x))) / 2;
}

std::map<std::string, torch::Tensor> Experiment::predict_all(const torch::Tensor& x, torch::Device device) {
  std::map<std::string, torch::Tensor> outputs;
  torch::Tensor t = teacher_outputs(x, device);
  if (t.defined()) outputs["teacher"] = t;
  if (student) {
    outputs["student"] = predict(*student, x, device);
    for (const std::string& mode : student->prediction_modes()) outputs["student_" + mode] = predict_in_mode(*student, mode, x, device);
  }
  if (mlp) outputs["mlp"] = predict(*mlp, x, device);
  if (moe) outputs["moe"] = predict(*moe, x, device);
  return outputs;
}

Split fit_validation_split(const Dataset& data, const std::vector<int64_t>& train_rows, const ExperimentConfig& config) {
  std::vector<int64_t> train_labels;
  if (data.task == TaskKind::Classification) for (int64_t r : train_rows) train_labels.push_back(data.labels[r]);
  const Split inner = stratified_holdout(train_labels, static_cast<int64_t>(train_rows.size()), config.validation_fraction, config.seed + 1);
  return {pick(train_rows, inner.train), pick(train_rows, inner.test)};
}

namespace {

// The standard MoE the student is compared with: the same sizes and experts, a linear softmax gate.
ModelConfig linear_gate_baseline(ModelConfig student) {
  student.family = "linear";
  student.family_options = nlohmann::json::object();
  return student;
}


// The encoded rows one experiment trains on: the training rows split again (stratified) into rows
// that fit the weights and rows that decide early stopping.
struct EncodedRows {
  torch::Tensor all_inputs;  // every row of the data, in order
  TrainingSet fit, validation;
  std::vector<int64_t> fit_rows;
};

EncodedRows encode_rows(const Experiment& ex, const Dataset& data, const Split& rows) {
  torch::Tensor x = ex.preprocessor.encode_features(data);
  torch::Tensor y = ex.preprocessor.encode_targets(data);
  const Split inner = fit_validation_split(data, rows.train, ex.config);
  if (inner.train.empty())
    throw DataError(data.name + ": its " + std::to_string(data.rows()) + " rows leave none to fit the models once the " + std::to_string(rows.test.size()) +
                    " test rows and the " + std::to_string(inner.test.size()) + " early-stopping rows are held out: use a data set with more rows");
  EncodedRows e;
  e.all_inputs = x;
  e.fit_rows = inner.train;
  e.fit = training_set(x, y, e.fit_rows);
  e.validation = training_set(x, y, inner.test);
  return e;
}

// Grows the forest teacher on the fit rows and caches its outputs on every row, each fit row's from the
// trees that did not draw it (distilling in-bag probabilities would repeat the labels). Returns false when
// cancelled.
bool grow_forest_teacher(Experiment& ex, const EncodedRows& rows, const std::function<void(int64_t trees_grown, int64_t trees)>& progress,
                         const std::atomic<bool>* cancel) {
  const ForestOptions options{ForestOptions{}.trees, ex.config.seed};
  ex.forest_teacher = std::make_unique<RandomForest>(rows.fit.x, rows.fit.y, ex.preprocessor.output_width(), options,
                                                     [&](int64_t grown) { progress(grown, options.trees); }, cancel);
  if (cancel && cancel->load()) return false;
  torch::Tensor all = ex.teacher_outputs(rows.all_inputs, torch::kCPU);
  all.index_copy_(0, torch::tensor(rows.fit_rows, torch::kLong), forest_logits(ex.forest_teacher->out_of_bag_probabilities()));
  ex.teacher_cache = {inputs_fingerprint(rows.all_inputs), all};
  return true;
}

// The fit rows with the teacher's outputs attached (none when there is no teacher). The teacher runs on
// every row, not only the fit rows, and the experiment keeps its outputs for traces of the same data; a
// resumed training finds them there.
TrainingSet with_teacher_outputs(Experiment& ex, const Dataset& data, const EncodedRows& rows, torch::Device device) {
  TrainingSet distill = rows.fit;
  const torch::Tensor fit_rows = torch::tensor(rows.fit_rows, torch::kLong);
  if (ex.config.teacher_kind == TeacherKind::LogitsCsv) {
    torch::Tensor all = read_teacher_logits_csv(ex.config.teacher_path, data.rows(), ex.preprocessor.output_width());
    distill.teacher_output = all.index_select(0, fit_rows);
  } else {
    torch::Tensor all = ex.teacher_cache.outputs_for(rows.all_inputs);
    if (!all.defined()) {
      all = ex.teacher_outputs(rows.all_inputs, device);
      if (all.defined()) ex.teacher_cache = {inputs_fingerprint(rows.all_inputs), all.to(torch::kCPU, torch::kFloat)};
    }
    if (all.defined()) distill.teacher_output = all.to(device).index_select(0, fit_rows.to(device));
  }
  if (distill.teacher_output.defined() && !torch::isfinite(distill.teacher_output).all().item<bool>())
    throw TrainingDiverged("teacher: outputs contain NaN or infinite values; cannot distill from them");
  // Hidden-state matching needs the teacher's representation, which only a teacher trained here exposes.
  if (ex.teacher && ex.config.student_training.loss.lambda_h != 0.0) distill.teacher_hidden = predict_hidden(*ex.teacher, rows.fit.x, device);
  return distill;
}

}  // namespace

void Experiment::record_test_metrics(const Dataset& test, torch::Device device) {
  const auto metrics = evaluate_experiment(*this, test, device);
  for (const auto& [name, values] : metrics) {
    if (name == "agreement") {
      agreement = values;
      continue;
    }
    const auto report = std::find_if(reports.begin(), reports.end(), [&name = name](const ModelReport& r) { return r.name == name; });
    if (report != reports.end()) {
      report->metrics = values;
      continue;
    }
    // A teacher that was not trained here (logits, TorchScript) leads the table; a student's other
    // prediction modes ("student_explicit") follow the models that were trained.
    reports.insert(name == "teacher" ? reports.begin() : reports.end(), ModelReport{name, values, {}});
  }
}

Experiment run_experiment(const Dataset& data, const Split& rows, const ExperimentConfig& config,
                          const ExperimentCallback& progress, const std::atomic<bool>* cancel, const TeacherOutputCache& trained_teacher) {
  Experiment ex;
  ex.config = config;
  const torch::Device device = resolve_device(config.device);
  ex.preprocessor = Preprocessor::fit(subset(data, rows.train), config.max_categories, config.numeric_scaling);
  const TaskKind task = data.task;
  const EncodedRows encoded = encode_rows(ex, data, rows);
  // The augmenter refuses data that are not images: here, before any training.
  std::optional<ImageAugmenter> augmenter;
  if (config.teacher_augmentation.enabled() || config.teacher_augmentation.test_time_mirror)
    augmenter.emplace(config.teacher_augmentation, ex.preprocessor);

  auto complete = [&](ModelConfig c, ModelKind kind) {
    c.kind = kind;
    c.in_features = ex.preprocessor.encoded_width();
    c.out_features = ex.preprocessor.output_width();
    c.image_shape = ex.preprocessor.image_shape();
    c.text_length = ex.preprocessor.text_length();
    normalize_family_config(c);
    return c;
  };
  const ModelConfig student_config = complete(config.student, config.student.routes() ? config.student.kind : ModelKind::Mixture);
  check_first_layer(student_config);  // before the teacher trains
  if (config.teacher_kind == TeacherKind::Forest && task != TaskKind::Classification)
    throw DataError(data.name + ": the forest teacher classifies, and this target is numeric (regression): use the transformer teacher");
  const bool reuses_teacher = config.teacher_kind == TeacherKind::Transformer && config.student_training.loss.lambda_h == 0.0 &&
                              trained_teacher.outputs_for(encoded.all_inputs).defined();
  if (reuses_teacher) ex.teacher_cache = trained_teacher;
  const bool trains_teacher = config.teacher_kind == TeacherKind::Transformer && !reuses_teacher;
  const bool grows_forest = config.teacher_kind == TeacherKind::Forest;
  const int stages = (trains_teacher || grows_forest ? 1 : 0) + 1 + (config.baselines ? 2 : 0);
  int stage = 0;
  auto train_one = [&](const std::string& name, const ModelConfig& model_config, const TrainOptions& options,
                       const TrainingSet& set, const PredictorPtr& dense = nullptr) -> PredictorPtr {
    ++stage;
    torch::manual_seed(options.seed);
    PredictorPtr model = make_predictor(model_config);
    model->fit_to_training_inputs(set.x);
    if (dense) upcycle_from_dense(*model, *dense);
    auto trainer = std::make_unique<Trainer>(model, task, options, device, name);
    TrainResult result = trainer->fit(set, encoded.validation, [&](const TrainProgress& p) {
      if (progress) progress(ExperimentProgress{name, stage, stages, &p});
    }, cancel);
    ex.cancelled = ex.cancelled || result.cancelled;
    ex.reports.push_back(ModelReport{name, {}, std::move(result)});
    ex.trainers[name] = std::move(trainer);
    return model;
  };

  if (trains_teacher) {
    TrainingSet teacher_set = encoded.fit;
    if (config.teacher_augmentation.enabled()) teacher_set.augment = *augmenter;
    ex.teacher = train_one("teacher", complete(config.teacher, ModelKind::Transformer), config.teacher_training, teacher_set);
    if (ex.cancelled) return ex;
  } else if (config.teacher_kind == TeacherKind::TorchScript) {
    ex.scripted_teacher = std::make_unique<TorchScriptTeacher>(config.teacher_path);
  } else if (grows_forest) {
    ++stage;
    const auto report = [&](int64_t grown, int64_t trees) {
      if (progress) progress(ExperimentProgress{"forest", stage, stages, nullptr, grown, trees});
    };
    if (!grow_forest_teacher(ex, encoded, report, cancel)) {
      ex.cancelled = true;
      return ex;
    }
  }
  const TrainingSet distill = with_teacher_outputs(ex, data, encoded, device);
  if (distill.teacher_hidden.defined()) ex.config.student_training.hidden_target_width = distill.teacher_hidden.size(1);
  const TrainOptions& student_options = ex.config.student_training;

  ex.student = train_one("student", student_config, student_options, distill,
                         config.upcycle_from.empty() ? nullptr : dense_model_of_run(config.upcycle_from));
  if (config.baselines && !ex.cancelled) {
    ex.mlp = train_one("mlp", complete(config.student, ModelKind::Mlp), student_options, distill);
    if (!ex.cancelled) ex.moe = train_one("moe", complete(linear_gate_baseline(student_config), student_config.kind), student_options, distill);
  }
  if (ex.cancelled) return ex;

  if (progress) progress(ExperimentProgress{"evaluate", stages, stages, nullptr});
  if (!rows.test.empty()) ex.record_test_metrics(subset(data, rows.test), device);
  return ex;
}

void resume_student(Experiment& ex, const Dataset& data, const Split& rows, int64_t epochs, const ExperimentCallback& progress,
                    const std::atomic<bool>* cancel) {
  if (!ex.student || !ex.trainers.count("student")) throw std::runtime_error("the run has no student to resume");
  const torch::Device device = resolve_device(ex.config.device);
  const EncodedRows encoded = encode_rows(ex, data, rows);
  const TrainingSet distill = with_teacher_outputs(ex, data, encoded, device);
  Trainer& trainer = *ex.trainers.at("student");
  trainer.extend_to(epochs);
  ex.config.student_training.epochs = epochs;
  TrainResult result = trainer.fit(distill, encoded.validation, [&](const TrainProgress& p) {
    if (progress) progress(ExperimentProgress{"student", 1, 1, &p});
  }, cancel);
  ex.cancelled = result.cancelled;
  auto report = std::find_if(ex.reports.begin(), ex.reports.end(), [](const ModelReport& r) { return r.name == "student"; });
  if (report == ex.reports.end()) report = ex.reports.insert(ex.reports.end(), ModelReport{"student", {}, {}});
  report->training = std::move(result);
  if (!ex.cancelled && !rows.test.empty()) ex.record_test_metrics(subset(data, rows.test), device);
}

std::map<std::string, std::map<std::string, double>> evaluate_experiment(Experiment& ex, const Dataset& data, torch::Device device) {
  const torch::Tensor x = ex.preprocessor.encode_features(data);
  torch::Tensor y = ex.preprocessor.encode_targets(data);
  std::map<std::string, std::map<std::string, double>> result;
  auto outputs = ex.predict_all(x, device);
  const TaskKind task = ex.preprocessor.task();
  auto in_units = [&](const torch::Tensor& t) { return task == TaskKind::Regression ? ex.preprocessor.restore_target(t) : t; };
  for (auto& [name, out] : outputs) result[name] = compute_metrics(in_units(out), in_units(y), task);
  if (outputs.count("teacher") && outputs.count("student"))
    result["agreement"] = agreement(in_units(outputs["student"]), in_units(outputs["teacher"]), task);
  return result;
}

}  // namespace ndtmoe

namespace ndtmoe {

FoldSummary summarize_folds(const std::vector<Experiment>& folds) {
  FoldSummary s;
  for (const auto& ex : folds) {
    std::map<std::string, std::map<std::string, double>> table;
    for (const auto& r : ex.reports) table[r.name] = r.metrics;
    if (!ex.agreement.empty()) table["agreement"] = ex.agreement;
    s.folds.push_back(table);
  }
  std::map<std::string, std::map<std::string, std::vector<double>>> values;
  for (const auto& table : s.folds)
    for (const auto& [model, metrics] : table)
      for (const auto& [metric, v] : metrics) values[model][metric].push_back(v);
  for (const auto& [model, metrics] : values)
    for (const auto& [metric, vs] : metrics) {
      double mean = 0, sq = 0;
      for (double v : vs) mean += v;
      mean /= static_cast<double>(vs.size());
      for (double v : vs) sq += (v - mean) * (v - mean);
      s.mean[model][metric] = mean;
      s.stddev[model][metric] = vs.size() > 1 ? std::sqrt(sq / static_cast<double>(vs.size() - 1)) : 0.0;
    }
  return s;
}

}  // namespace ndtmoe
