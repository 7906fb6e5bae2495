#include "ndtmoe/analysis/decomposition_frontier.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ndtmoe {

namespace {

// The decomposition record a trace keeps in its configuration, or null for an ordinary run.
nlohmann::json decomposition_of(const RunDescription& d) {
  const nlohmann::json config = nlohmann::json::parse(d.config_json, nullptr, false);
  if (!config.is_object() || !config.contains("decomposition")) return nullptr;
  return config["decomposition"];
}

}  // namespace

DecompositionFrontier decomposition_frontier(TraceStore& store, const std::vector<int64_t>& runs) {
  DecompositionFrontier f;
  std::string source;  // the decomposed run's directory
  for (int64_t id : runs) {
    const RunDescription d = store.description(id);
    const nlohmann::json record = decomposition_of(d);
    const auto damaged = [&](const std::string& what) {
      return StoreError(store.path() + ": run " + std::to_string(id) + " (" + d.name + "): " + what + "; the store is damaged");
    };
    if (record.is_null()) {
      f.other_runs.push_back(id);
      continue;
    }
    std::string layer, run_directory, metric;
    int64_t k = 0;
    try {
      layer = record.at("layer").get<std::string>();
      run_directory = record.at("run").get<std::string>();
      metric = record.at("metric").get<std::string>();
      k = record.at("k").get<int64_t>();
    } catch (const nlohmann::json::exception& e) {
      throw damaged(std::string("runs.config_json: decomposition: ") + e.what());
    }
    if (f.runs.empty()) {
      f.layer = layer;
      f.metric = metric;
      source = run_directory;
    } else if (layer != f.layer || run_directory != source || metric != f.metric) {
      f.other_runs.push_back(id);
      continue;
    }
    const auto value = [&](const std::string& model, const std::string& name) {
      const auto m = d.metrics.find(model);
      if (m == d.metrics.end() || !m->second.count(name)) throw damaged("metrics: " + model + " has no " + name);
      return m->second.at(name);
    };
    f.runs.push_back(id);
    f.original = value("original", metric);
    f.zero_ablated = value("zero_ablated", metric);
    for (const auto& [model, values] : d.metrics) {
      if (model == "original" || model == "zero_ablated" || !values.count("normalized_mse")) continue;
      const std::string name = model == "student" ? d.family : model;
      f.points.push_back({id, k, name, value(model, "normalized_mse"), value(model, metric)});
    }
  }
  // The family's stand-in first, then the transcoder and the skip transcoder; points by K in that order.
  const auto rank = [](const std::string& model) { return model == "transcoder" ? 1 : model == "skip-transcoder" ? 2 : 0; };
  std::stable_sort(f.points.begin(), f.points.end(),
                   [&](const FrontierPoint& a, const FrontierPoint& b) { return std::pair{a.k, rank(a.model)} < std::pair{b.k, rank(b.model)}; });
  for (const FrontierPoint& p : f.points)
    if (std::find(f.models.begin(), f.models.end(), p.model) == f.models.end()) f.models.push_back(p.model);
  std::stable_sort(f.models.begin(), f.models.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  return f;
}

}  // namespace ndtmoe
