#include "ndtmoe/train/run_directory.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <limits>
#include <cerrno>
#include <cmath>
#include <signal.h>
#include <unistd.h>

#include "ndtmoe/data/atomic_file.h"
#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/data/sha256.h"
#include "ndtmoe/data/table.h"

namespace ndtmoe {
namespace {

// A metric that was NaN or infinite when saved (a class never predicted, say) is written as null by
// JSON; it reads back as NaN rather than failing the whole run.
std::map<std::string, double> numbers(const nlohmann::json& object) {
  std::map<std::string, double> values;
  for (const auto& [name, value] : object.items())
    values[name] = value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
  return values;
}

constexpr int kRunFormatVersion = 1;

nlohmann::json report_json(const ModelReport& r) {
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& p : r.training.log)
    curve.push_back({{"epoch", p.epoch}, {"step", p.step}, {"epoch_end", p.epoch_end}, {"lr", p.lr}, {"samples_per_s", p.samples_per_s},
                     {"losses", p.losses}, {"metrics", p.metrics}});
  return {{"metrics", r.metrics}, {"best_epoch", r.training.best_epoch}, {"epochs_run", r.training.epochs_run},
          {"stopped_early", r.training.stopped_early}, {"curve", curve}};
}

constexpr const char* kTeacherCacheFile = "teacher_outputs.pt";
constexpr const char* kForestTeacherFile = "teacher.forest.pt";

void save_weights(const std::string& path, const Predictor& model) {
  write_atomically(path, [&](const std::string& tmp) {
    torch::serialize::OutputArchive archive;
    model.save(archive);
    archive.save_to(tmp);
  });
}

}  // namespace

void load_checked_weights(const std::string& path, torch::nn::Module& model, const std::string& manifest) {
  std::map<std::string, std::vector<int64_t>> built;
  for (const auto& item : model.named_parameters()) built[item.key()] = item.value().sizes().vec();
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    model.load(archive);
  } catch (const c10::Error& e) {
    std::string what = e.what();
    throw DataError(path + ": cannot load weights: " + what.substr(0, what.find('\n')));
  }
  const auto check = [&](const std::string& name, const torch::Tensor& loaded) {
    const auto expected = built.find(name);
    if (expected != built.end() && loaded.sizes().vec() != expected->second)
      throw DataError(path + ": " + name + " has shape " + c10::str(loaded.sizes()) + " in the file, but the model " + manifest + " describes needs " +
                      c10::str(c10::IntArrayRef(expected->second)) + ": the weights belong to another model");
  };
  for (const auto& item : model.named_parameters()) check(item.key(), item.value());
}

nlohmann::json file_checksums(const std::string& directory) {
  nlohmann::json checksums = nlohmann::json::object();
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    if (entry.is_regular_file()) checksums[entry.path().filename().string()] = sha256_file(entry.path().string());
  return checksums;
}

void verify_checksums(const std::string& directory, const nlohmann::json& manifest, const std::string& manifest_name) {
  const auto recorded = manifest.find("checksums");
  if (recorded == manifest.end()) return;
  const std::string where = directory + "/" + manifest_name;
  if (!recorded->is_object()) throw DataError(where + ": checksums must be an object of file names and SHA-256 digests");
  for (const auto& [name, digest] : recorded->items()) {
    const std::string path = directory + "/" + name;
    if (name.find('/') != std::string::npos || !digest.is_string()) throw DataError(where + ": checksums." + name + " is not a file's digest");
    if (!std::filesystem::exists(path)) throw DataError(path + ": missing (" + manifest_name + " records it): restore the file or write it again");
    if (sha256_file(path) != digest.get<std::string>())
      throw DataError(path + ": its SHA-256 differs from the one " + manifest_name + " recorded when it was saved: the file is damaged or from "
                             "another run; restore it or write it again");
  }
}

// With defaults: run.json files written before image_shape existed still load.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DataDescription, source, target, task, test_fraction, builtin_rows, folds, fold, test_source,
                                                seed, image_shape, text_column, labels)

nlohmann::json DataDescription::to_json() const { return *this; }

DataDescription DataDescription::from_json(const nlohmann::json& j) { return j.get<DataDescription>(); }

TaskChoice DataDescription::task_choice() const {
  if (task == "classification") return TaskChoice::Classification;
  if (task == "regression") return TaskChoice::Regression;
  return TaskChoice::Auto;
}

Dataset DataDescription::load() const { return declared(make_dataset(load_data_source(source, seed, builtin_rows, labels), target, task_choice())); }

Dataset DataDescription::load_test() const {
  // Generators get another seed so the test rows are new draws.
  // --rows limits the training source only; the test source is read whole.
  return declared(make_dataset(load_data_source(test_source, seed + 1000, 0), target, task_choice()));
}

Dataset DataDescription::declared(Dataset data) const {
  if (!image_shape.empty()) declare_image(data, image_shape);
  if (!text_column.empty()) declare_text(data, text_column);
  return data;
}

DataDescription DataDescription::holdout(std::string source, int64_t builtin_rows, double test_fraction) {
  DataDescription d;
  d.source = std::move(source);
  d.builtin_rows = builtin_rows;
  d.test_fraction = test_fraction;
  return d;
}

Split DataDescription::split(const Dataset& data) const {
  const std::vector<int64_t> labels = data.task == TaskKind::Classification ? data.labels : std::vector<int64_t>{};
  if (folds > 1) return stratified_kfold(labels, data.rows(), folds, seed).at(static_cast<size_t>(fold - 1));
  if (!test_source.empty()) {
    Split all;
    for (int64_t r = 0; r < data.rows(); ++r) all.train.push_back(r);
    return all;
  }
  return stratified_holdout(labels, data.rows(), test_fraction, seed);
}

namespace {

void write_run_files(const std::string& directory, const Experiment& ex, const DataDescription& data, bool complete) {
  nlohmann::json models = nlohmann::json::object();
  const std::pair<const char*, PredictorPtr> all[] = {{"teacher", ex.teacher}, {"student", ex.student}, {"mlp", ex.mlp}, {"moe", ex.moe}};
  for (const auto& [name, model] : all) {
    if (!model) continue;
    save_weights(directory + "/" + name + ".pt", *model);
    models[name] = model->config().to_json();
    if (ex.trainers.count(name)) ex.trainers.at(name)->save_state(directory, name);
  }
  nlohmann::json config = ex.config.to_json();
  if (ex.scripted_teacher) {
    const std::string copy = directory + "/teacher.torchscript";
    write_atomically(copy, [&](const std::string& tmp) { std::filesystem::copy_file(ex.scripted_teacher->path(), tmp); });
    config["teacher_path"] = "teacher.torchscript";
  }
  if (ex.forest_teacher) ex.forest_teacher->save(directory + "/" + kForestTeacherFile);
  if (ex.teacher_cache.defined()) save_teacher_cache(directory + "/" + kTeacherCacheFile, ex.teacher_cache);
  nlohmann::json reports = nlohmann::json::object();
  for (const auto& r : ex.reports) reports[r.name] = report_json(r);
  // Every file's SHA-256, checked on load: a flipped byte that keeps every shape would otherwise load.
  const nlohmann::json checksums = file_checksums(directory);
  nlohmann::json manifest{{"format_version", kRunFormatVersion}, {"complete", complete}, {"data", data.to_json()}, {"config", config},
                          {"preprocessing", ex.preprocessor.to_json()}, {"models", models}, {"reports", reports},
                          {"agreement", ex.agreement}, {"checksums", checksums}};
  write_text_atomically(directory + "/run.json", manifest.dump(2));
}

// The files a save writes; anything else in a run directory (a user's notes, a decomposition's output)
// is the user's and moves with the run.
bool run_owned(const std::filesystem::path& entry) {
  const std::string name = entry.filename().string();
  const auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return name == "run.json" || name == "teacher.torchscript" || ends_with(".pt") || ends_with(".trainer.json") || ends_with(".tmp");
}

// A save killed before its swap leaves its sibling "<prefix><pid>" behind: removed once that process is gone.
void remove_abandoned_saves(const std::filesystem::path& parent, const std::string& prefix) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (kill(static_cast<pid_t>(std::stoll(pid)), 0) != 0 && errno == ESRCH) std::filesystem::remove_all(entry.path(), error);
  }
}

}  // namespace

// The whole run is written into a fresh sibling directory that then takes the old run's place in one
// step, so a failure at any point — a full disk, a class name that is not UTF-8, a kill — leaves either
// the complete old run or the complete new one, never the new weights beside the old run.json.
void save_run(const std::string& directory, const Experiment& ex, const DataDescription& data, bool complete) {
  namespace fs = std::filesystem;
  fs::path target = fs::absolute(directory).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "runs/a/" or "."
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const std::string prefix = "." + target.filename().string() + ".saving-";
  const fs::path staging = target.parent_path() / (prefix + std::to_string(getpid()));
  remove_abandoned_saves(target.parent_path().empty() ? fs::path(".") : target.parent_path(), prefix);
  fs::remove_all(staging);
  fs::create_directory(staging);
  std::vector<std::pair<fs::path, fs::path>> carried;  // the user's entries, moved from the old run into the new
  const auto restore_carried = [&] {
    std::error_code ignored;
    for (const auto& [from, to] : carried) fs::rename(to, from, ignored);
  };
  try {
    write_run_files(staging.string(), ex, data, complete);
    if (fs::is_directory(target))
      for (const fs::directory_entry& entry : fs::directory_iterator(target))
        if (!run_owned(entry.path())) {
          fs::rename(entry.path(), staging / entry.path().filename());
          carried.push_back({entry.path(), staging / entry.path().filename()});
        }
    install_directory(staging.string(), target.string());
  } catch (const std::exception& e) {
    restore_carried();
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw DataError(directory + ": the run was not saved (the previous one, if any, is unchanged): " + e.what());
  }
  std::error_code ignored;
  fs::remove_all(staging, ignored);  // the old run
}

// Refuses a number beyond every integer (|v| >= 2^63) anywhere but in the standardisation statistics,
// where such magnitudes are legitimate: read into an integer field, it would be undefined behaviour.
void check_number_magnitudes(const nlohmann::json& j, const std::string& path, const std::string& where = "") {
  if (j.is_number_float() && std::fabs(j.get<double>()) >= 9.2e18 && where != "mean" && where != "scale")
    throw DataError(path + ": " + (where.empty() ? "a value" : where) + " is " + j.dump() + ", beyond any count this program writes");
  if (j.is_structured())
    for (const auto& [key, value] : j.items()) check_number_magnitudes(value, path, j.is_object() ? key : where);
}

RunManifest parse_run_manifest(const std::string& text, const std::string& path) {
  RunManifest m;
  std::string field = "run.json";  // what is being read, for the message
  try {
    m.json = nlohmann::json::parse(text);
    const nlohmann::json& format = m.json.at("format_version");
    if (!format.is_number_integer() || format.get<int64_t>() < 1)
      throw DataError(path + ": format_version " + format.dump() + " is not a format this program wrote (1 to " +
                      std::to_string(kRunFormatVersion) + ")");
    if (format.get<int64_t>() > kRunFormatVersion)
      throw DataError(path + ": written by a newer ndtmoe (format " + format.dump() + ", this build reads up to " +
                      std::to_string(kRunFormatVersion) + ")");
    check_number_magnitudes(m.json, path);
    field = "data";
    m.data = DataDescription::from_json(m.json.at("data"));
    field = "config";
    m.config = ExperimentConfig::from_json(m.json.at("config"));
    field = "preprocessing";
    m.preprocessor = Preprocessor::from_json(m.json.at("preprocessing"));
    for (const auto& [name, config_json] : m.json.at("models").items()) {
      field = "models." + name;
      ModelConfig config = ModelConfig::from_json(config_json);
      check_model_sizes(config);
      m.models.emplace_back(name, std::move(config));
    }
    for (const auto& [name, report] : m.json.at("reports").items()) {
      field = "reports." + name;
      ModelReport r;
      r.name = name;
      r.metrics = numbers(report.at("metrics"));
      for (const auto& point : report.value("curve", nlohmann::json::array())) {
        TrainProgress p;
        p.model = name;
        p.epoch = point.at("epoch");
        p.step = point.at("step");
        p.epoch_end = point.value("epoch_end", true);  // runs of the first days kept epoch ends only
        p.lr = point.value("lr", 0.0);
        p.samples_per_s = point.value("samples_per_s", 0.0);
        p.losses = numbers(point.at("losses"));
        p.metrics = numbers(point.at("metrics"));
        r.training.log.push_back(std::move(p));
      }
      m.reports.push_back(std::move(r));
    }
    field = "agreement";
    m.agreement = numbers(m.json.at("agreement"));
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": malformed run manifest (" + field + "): " + e.what());
  } catch (const std::invalid_argument& e) {  // a value out of range (the from_json functions check them)
    throw DataError(path + ": " + field + ": " + e.what());
  }
  return m;
}

LoadedRun load_run(const std::string& directory, const std::string& device_name) {
  const std::string manifest_path = directory + "/run.json";
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) throw DataError(manifest_path + ": cannot open (not a run directory, or training did not finish)");
  RunManifest manifest = parse_run_manifest(std::string(std::istreambuf_iterator<char>(in), {}), manifest_path);
  LoadedRun run;
  run.manifest = std::move(manifest.json);
  run.data = std::move(manifest.data);
  Experiment& ex = run.experiment;
  ex.config = std::move(manifest.config);
  ex.preprocessor = std::move(manifest.preprocessor);
  ex.reports = std::move(manifest.reports);
  ex.agreement = std::move(manifest.agreement);
  verify_checksums(directory, run.manifest, "run.json");
  const torch::Device device = resolve_device(device_name);
  for (const auto& [name, config] : manifest.models) {
    PredictorPtr model;
    try {
      model = make_predictor(config);
    } catch (const std::invalid_argument& e) {
      throw DataError(manifest_path + ": models." + name + ": " + e.what());
    }
    load_checked_weights(directory + "/" + name + ".pt", *model, "run.json");
    model->to(device);
    model->eval();
    const TrainOptions& options = name == "teacher" ? ex.config.teacher_training : ex.config.student_training;
    auto trainer = std::make_unique<Trainer>(model, ex.preprocessor.task(), options, device, name);
    if (std::filesystem::exists(directory + "/" + name + ".optim.pt")) trainer->load_state(directory, name);
    ex.trainers[name] = std::move(trainer);
    if (name == "teacher") ex.teacher = model;
    else if (name == "student") ex.student = model;
    else if (name == "mlp") ex.mlp = model;
    else if (name == "moe") ex.moe = model;
  }
  if (ex.config.teacher_kind == TeacherKind::TorchScript)
    ex.scripted_teacher = std::make_unique<TorchScriptTeacher>(directory + "/" + ex.config.teacher_path);
  if (ex.config.teacher_kind == TeacherKind::Forest) {
    const std::string path = directory + "/" + kForestTeacherFile;
    ex.forest_teacher = std::make_unique<RandomForest>(RandomForest::load(path));
    if (ex.forest_teacher->features() != ex.preprocessor.encoded_width() || ex.forest_teacher->classes() != ex.preprocessor.output_width())
      throw DataError(path + ": the forest reads " + std::to_string(ex.forest_teacher->features()) + " features into " +
                      std::to_string(ex.forest_teacher->classes()) + " classes; the run encodes " + std::to_string(ex.preprocessor.encoded_width()) +
                      " into " + std::to_string(ex.preprocessor.output_width()));
  }
  // Runs trained before the cache existed have none; their traces run the teacher.
  if (const std::string cache = directory + "/" + kTeacherCacheFile; std::filesystem::exists(cache))
    ex.teacher_cache = load_teacher_cache(cache, ex.preprocessor.output_width());
  return run;
}

Dataset load_data_for_run(const LoadedRun& run, const std::string& source) {
  const Preprocessor& pre = run.experiment.preprocessor;
  const TaskChoice task = pre.task() == TaskKind::Regression ? TaskChoice::Regression : TaskChoice::Classification;
  // The run's own data keeps its labels file; other IDX images take theirs from beside them.
  const std::string labels = source == run.data.source ? run.data.labels : std::string();
  Dataset data = make_dataset(load_data_source(source, run.experiment.config.seed, run.data.builtin_rows, labels), pre.to_json().at("target"), task);
  // A run trained on pixel columns declared as images reads other files of those columns the same way.
  if (data.features.image_shape.empty() && !pre.image_shape().empty()) declare_image(data, pre.image_shape());
  return data;
}

TrainAndTestData load_train_and_test_data(const LoadedRun& run) {
  const Dataset data = load_data_for_run(run, run.data.source);
  const Split rows = run.data.split(data);
  if (!run.data.test_source.empty()) return {subset(data, rows.train), run.data.load_test()};
  return {subset(data, rows.train), subset(data, rows.test)};
}

}  // namespace ndtmoe
