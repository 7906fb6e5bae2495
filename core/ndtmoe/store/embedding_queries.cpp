// The trace store's embedding tables (schema version 7): each layer's hidden states mapped to 2-D, and how
// well a sample's expert is predicted by its neighbours there.

#include <limits>
#include <nlohmann/json.hpp>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

namespace {

std::string run_place(const std::string& path, int64_t run) { return path + ": run " + std::to_string(run); }

// An embedding's details_json; `place` names the embedding when the text is damaged.
std::map<std::string, double> parse_details(const std::string& text, const std::string& place) {
  try {
    return nlohmann::json::parse(text).get<std::map<std::string, double>>();
  } catch (const nlohmann::json::exception& error) {
    throw StoreError(place + " has unreadable details (" + error.what() + "): the store is damaged");
  }
}

}  // namespace

void TraceStore::store_embedding(int64_t run, const LayerEmbedding& e) {
  if (e.x.size() != e.samples.size() || e.y.size() != e.samples.size())
    throw std::invalid_argument("an embedding needs one point per sample (" + std::to_string(e.samples.size()) + " samples, " +
                                std::to_string(e.x.size()) + " x and " + std::to_string(e.y.size()) + " y)");
  Database& db = database();
  Transaction transaction(db);
  this->run(run);  // names the id when absent
  const std::vector<int32_t> samples(e.samples.begin(), e.samples.end());
  std::vector<float> points;
  points.reserve(2 * e.x.size());
  for (size_t i = 0; i < e.x.size(); ++i) {
    points.push_back(e.x[i]);
    points.push_back(e.y[i]);
  }
  db.prepare("INSERT OR REPLACE INTO embeddings (run_id, layer, method, samples, points, details_json) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, run).bind(2, e.layer).bind(3, e.method)
      .bind_blob(4, samples.data(), samples.size() * sizeof(int32_t))
      .bind_blob(5, points.data(), points.size() * sizeof(float))
      .bind(6, nlohmann::json(e.details).dump())
      .run();
  transaction.commit();
}

void TraceStore::store_expert_neighbours(int64_t run, const ExpertNeighbours& n) {
  Database& db = database();
  Transaction transaction(db);
  this->run(run);
  db.prepare("INSERT OR REPLACE INTO expert_neighbours (run_id, layer, k, samples, agreement, majority_share) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, run).bind(2, n.layer).bind(3, n.k).bind(4, n.samples).bind(5, n.agreement).bind(6, n.majority_share)
      .run();
  transaction.commit();
}

std::vector<LayerEmbedding> TraceStore::embeddings(int64_t run) {
  Statement s = database().prepare(
      "SELECT layer, method, details_json FROM embeddings WHERE run_id = ? ORDER BY layer, method <> 'pca', method");
  s.bind(1, run);
  std::vector<LayerEmbedding> found;
  while (s.step()) {
    LayerEmbedding e;
    e.layer = s.integer(0);
    e.method = s.text(1);
    e.details = parse_details(s.text(2), run_place(path(), run) + ": the " + e.method + " embedding of layer " + std::to_string(e.layer));
    found.push_back(std::move(e));
  }
  return found;
}

LayerEmbedding TraceStore::embedding(int64_t run, int64_t layer, const std::string& method) {
  Statement s = database().prepare("SELECT samples, points, details_json FROM embeddings WHERE run_id = ? AND layer = ? AND method = ?");
  s.bind(1, run).bind(2, layer).bind(3, method);
  const std::string place = run_place(path(), run) + ": the " + method + " embedding of layer " + std::to_string(layer);
  if (!s.step()) throw StoreError(place + " is not in the store (trace the run again to compute it)");
  LayerEmbedding e;
  e.layer = layer;
  e.method = method;
  const auto samples = s.blob<int32_t>(0);
  const auto points = s.blob<float>(1);
  if (points.size() != 2 * samples.size())
    throw StoreError(place + " has " + std::to_string(points.size()) + " coordinates for " + std::to_string(samples.size()) +
                     " samples: the store is damaged");
  const int64_t end = this->run(run).end_sample();
  for (size_t i = 0; i < samples.size(); ++i) {
    if (samples[i] < 0 || samples[i] >= end || (i > 0 && samples[i] <= samples[i - 1]))
      throw StoreError(place + " lists sample " + std::to_string(samples[i]) + " out of order or out of the run: the store is damaged");
    e.samples.push_back(samples[i]);
    e.x.push_back(points[2 * i]);
    e.y.push_back(points[2 * i + 1]);
  }
  e.details = parse_details(s.text(2), place);
  return e;
}

std::vector<ExpertNeighbours> TraceStore::expert_neighbours(int64_t run) {
  Statement s = database().prepare(
      "SELECT layer, k, samples, agreement, majority_share FROM expert_neighbours WHERE run_id = ? ORDER BY layer");
  s.bind(1, run);
  std::vector<ExpertNeighbours> layers;
  while (s.step()) layers.push_back({s.integer(0), s.integer(1), s.integer(2), s.real(3), s.real(4)});
  return layers;
}

std::vector<int32_t> TraceStore::top_experts(int64_t run, int64_t layer) {
  const RunSummary summary = this->run(run);
  // The run's own count sizes the answer; a damaged count must not ask for terabytes.
  Statement count = database().prepare("SELECT count(*) FROM samples WHERE run_id = ?");
  count.bind(1, run);
  count.step();
  if (summary.first_sample < 0 || summary.first_sample > std::numeric_limits<int32_t>::max() || summary.traced_samples != count.integer(0))
    throw StoreError(run_place(path(), run) + " says " + std::to_string(summary.traced_samples) + " samples are traced but holds " +
                     std::to_string(count.integer(0)) + ": the store is damaged");
  std::vector<int32_t> experts(static_cast<size_t>(summary.first_sample + summary.traced_samples), -1);
  Statement s = database().prepare("SELECT sample, expert FROM routing WHERE run_id = ? AND layer = ? AND token = 0");
  s.bind(1, run).bind(2, layer);
  while (s.step()) {
    const int64_t sample = s.integer(0);
    if (sample < 0 || sample >= static_cast<int64_t>(experts.size()))
      throw StoreError(run_place(path(), run) + ": routing names sample " + std::to_string(sample) + ", outside the run: the store is damaged");
    experts[static_cast<size_t>(sample)] = static_cast<int32_t>(s.integer(1));
  }
  return experts;
}

}  // namespace ndtmoe
