#include "ndtmoe/train/decomposed_run.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ndtmoe/model/spliced_model.h"
#include "ndtmoe/train/decomposition.h"

namespace ndtmoe {

namespace {

struct DecompositionRecord {
  std::string run_directory, model, layer, metric;
  ReplacementSpec spec;  // the family's stand-in, the first of the replacements
  // What decompose measured on the test rows, as models: the stand-in as "student", the transcoders by
  // their kind, "original" and "zero_ablated" (each its metric and normalised MSE).
  std::vector<ModelReport> reports;
};

DecompositionRecord parse_record(const nlohmann::json& j) {
  DecompositionRecord r;
  r.run_directory = j.at("run").get<std::string>();
  const std::string layer = j.at("layer").get<std::string>();
  const size_t dot = layer.find('.');
  if (dot == std::string::npos) throw std::invalid_argument("layer '" + layer + "' is not <model>.<layer>");
  r.model = layer.substr(0, dot);
  r.layer = layer.substr(dot + 1);
  r.metric = j.at("metric").get<std::string>();
  const nlohmann::json& replacements = j.at("replacements");
  r.spec = ReplacementSpec::from_json(replacements.at(0).at("spec"));
  for (size_t i = 0; i < replacements.size(); ++i) {
    const nlohmann::json& m = replacements.at(i);
    r.reports.push_back({i == 0 ? "student" : m.at("spec").at("kind").get<std::string>(),
                         {{r.metric, m.at(r.metric).get<double>()}, {"normalized_mse", m.at("normalized_mse").get<double>()}}, {}});
  }
  r.reports.push_back({"original", {{r.metric, j.at("original").at(r.metric).get<double>()}, {"normalized_mse", 0.0}}, {}});
  r.reports.push_back({"zero_ablated", {{r.metric, j.at("zero_ablated").at(r.metric).get<double>()}, {"normalized_mse", 1.0}}, {}});
  // A damaged size must not make the stand-in allocate without bound: 2^28 floats is beyond any stand-in
  // decompose writes for the layers this program builds.
  const ReplacementSpec& s = r.spec;
  const auto within = [](int64_t value, int64_t most) { return value >= 1 && value <= most; };
  if (!within(s.inputs, 1 << 16) || !within(s.outputs, 1 << 16) || !within(s.hidden, 1 << 20) || !within(s.experts, 1 << 24) ||
      !within(s.k, s.experts) || (s.experts + s.hidden) * (s.inputs + s.outputs + 1) > (int64_t{1} << 28))
    throw std::invalid_argument("replacements[0].spec: sizes outside what decompose writes (" + s.to_json().dump() + ")");
  return r;
}

}  // namespace

bool is_decomposition_directory(const std::string& directory) {
  return std::filesystem::exists(directory + "/" + kDecompositionFile) && !std::filesystem::exists(directory + "/run.json");
}

LoadedRun load_decomposed_run(const std::string& directory, const std::string& device) {
  const std::string path = directory + "/" + kDecompositionFile;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open");
  nlohmann::json manifest;
  DecompositionRecord record;
  try {
    manifest = nlohmann::json::parse(in);
    record = parse_record(manifest);
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": malformed decomposition record: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw DataError(path + ": " + e.what());
  }
  verify_checksums(directory, manifest, kDecompositionFile);
  LoadedRun run = load_run(record.run_directory, device);
  Experiment& ex = run.experiment;
  const PredictorPtr host = model_named(ex, record.model);
  if (!host) throw DataError(path + ": the run " + record.run_directory + " has no model '" + record.model + "'");
  SparseReplacement stand_in{nullptr};
  try {
    stand_in = SparseReplacement(record.spec);
  } catch (const std::invalid_argument& e) {
    throw DataError(path + ": replacements[0].spec: " + e.what());
  }
  load_checked_weights(directory + "/" + record.spec.kind + ".pt", *stand_in, kDecompositionFile);
  try {
    ex.student = std::make_shared<SplicedModel>(host, record.layer, stand_in);
  } catch (const std::invalid_argument& e) {
    throw DataError(path + ": " + e.what());
  }
  ex.student->to(resolve_device(device));
  ex.student->eval();
  ex.trainers.erase("student");
  ex.reports.erase(std::remove_if(ex.reports.begin(), ex.reports.end(), [](const ModelReport& report) { return report.name == "student"; }),
                   ex.reports.end());
  ex.reports.insert(ex.reports.end(), record.reports.begin(), record.reports.end());
  ex.agreement.clear();  // it was the original student's
  run.manifest["decomposition"] = {{"directory", std::filesystem::absolute(directory).lexically_normal().string()},
                                   {"run", record.run_directory},
                                   {"layer", record.model + "." + record.layer},
                                   {"family", record.spec.kind},
                                   {"k", record.spec.k},
                                   {"metric", record.metric}};
  return run;
}

LoadedRun load_traced_run(const std::string& directory, const std::string& device) {
  return is_decomposition_directory(directory) ? load_decomposed_run(directory, device) : load_run(directory, device);
}

}  // namespace ndtmoe
