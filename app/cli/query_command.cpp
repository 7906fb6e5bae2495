#include <algorithm>
#include <cstdio>
#include <iostream>

#include "number_checks.h"
#include "commands.h"
#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe/analysis/token_usage.h"
#include "ndtmoe/explain/explain.h"
#include "ndtmoe/data/tuning_record.h"
#include "report.h"

namespace ndtmoe::cli {

namespace {

struct QueryFlags {
  std::string store, method;
  int64_t run = -1, sample = 0, layer = -1, token = -1;
  std::string by = "value";
  bool json = false;
  SampleFilter filter;
  int64_t expert = -1, tree = 0, level = -1, node = -1, leaf = -1, label = -1;
  double max_confidence = -1;
};

// The run of --run, once every index flag given is checked against it: a layer the model lacks would
// otherwise match no sample and read as an empty answer.
int64_t checked_run(TraceStore& store, const QueryFlags& flags) {
  if (flags.run < 0) throw UsageError("this query needs --run ID (list them with: ndtmoe query --store " + flags.store + " runs)");
  const RunSummary r = store.run(flags.run);
  const auto check = [&r](const char* flag, int64_t value, int64_t count, const std::string& what) {
    if (value >= count)
      throw UsageError(std::string(flag) + " " + std::to_string(value) + ": run " + std::to_string(r.id) + " has " + std::to_string(count) + " " + what +
                       (count > 0 ? " (0.." + std::to_string(count - 1) + ")" : ""));
  };
  check("--layer", flags.layer, r.layers, "layers");
  check("--expert", flags.expert, r.experts, "experts");
  if (flags.leaf >= 0 || flags.node >= 0 || flags.level >= 0) {
    if (!r.has_trees()) throw UsageError("--tree, --leaf, --node and --level: run " + std::to_string(r.id) + " (family " + r.family + ") routes without decision trees");
    check("--tree", flags.tree, r.trees, "trees");
    check("--leaf", flags.leaf, int64_t{1} << r.depth, "leaves per tree");
    check("--level", flags.level, r.depth + 1, "levels (the leaves are level " + std::to_string(r.depth) + ")");
    check("--node", flags.node, int64_t{1} << std::max<int64_t>(0, flags.level), "nodes at level " + std::to_string(std::max<int64_t>(0, flags.level)));
  }
  if (flags.label >= 0) {
    const RunDescription d = store.description(r.id);
    check("--label", flags.label, static_cast<int64_t>(d.classes.size()), "classes");
  }
  return r.id;
}

std::string class_name(const RunDescription& d, double value) {
  if (d.task != "classification") return fixed(value, 4);
  const auto c = static_cast<size_t>(value);
  return c < d.classes.size() ? d.classes[c] : std::to_string(c);
}

void query_runs(TraceStore& store, const QueryFlags& flags) {
  const std::vector<RunSummary> runs = store.runs();
  if (flags.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const RunSummary& r : runs)
      all.push_back({{"run", r.id}, {"name", r.name}, {"status", r.status}, {"created_at", r.created_at}, {"run_directory", r.run_directory},
                     {"data_source", r.data_source}, {"task", r.task}, {"layers", r.layers}, {"experts", r.experts}, {"top_k", r.top_k},
                     {"depth", r.depth}, {"trees", r.trees}, {"family", r.family},
                     {"family_options", nlohmann::json::parse(r.family_options_json)}, {"traced_samples", r.traced_samples}, {"total_samples", r.total_samples},
                     {"metrics", metric_table_json(r.metrics)}});
    std::cout << all.dump() << std::endl;
    return;
  }
  std::vector<std::vector<std::string>> rows{{"id", "name", "family", "status", "samples", "task", "layers x experts", "student", "teacher", "created"}};
  for (const RunSummary& r : runs) {
    rows.push_back({std::to_string(r.id), r.name, r.family, r.status, std::to_string(r.traced_samples) + "/" + std::to_string(r.total_samples), r.task,
                    std::to_string(r.layers) + " x " + std::to_string(r.experts), fixed(r.test_score("student"), 4), fixed(r.test_score("teacher"), 4),
                    r.created_at});
  }
  if (runs.empty()) std::cout << "No runs in " << flags.store << "\n";
  else print_table(std::cout, rows);
}

// The search that chose the run's settings (`train --tune`): every trial, the chosen one marked.
void query_tuning(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  const nlohmann::json config = nlohmann::json::parse(store.description(run).config_json);
  if (!config.contains("tuning")) throw UsageError("run " + std::to_string(run) + " was trained without tuning (ndtmoe train --tune)");
  TuningRecord record;
  try {
    record = TuningRecord::from_json(config.at("tuning"));
  } catch (const std::exception& e) {
    throw StoreError(flags.store + ": run " + std::to_string(run) + ": its tuning record is damaged: " + e.what());
  }
  if (flags.json) {
    std::cout << record.to_json().dump() << std::endl;
    return;
  }
  const std::vector<std::string> settings = setting_names(record);
  std::vector<std::vector<std::string>> rows{{"trial", "score", "inner folds", "fresh split", "ended", "seconds"}};
  rows[0].insert(rows[0].end(), settings.begin(), settings.end());
  for (size_t i = 0; i < record.trials.size(); ++i) {
    const TuningTrial& t = record.trials[i];
    std::string folds;
    for (double s : t.fold_scores) folds += (folds.empty() ? "" : " ") + fixed(s, 3);
    std::vector<std::string> row{std::to_string(t.number) + (static_cast<int64_t>(i) == record.chosen ? " *" : ""),
                                 t.failed() ? "-" : fixed(t.score, 4), folds, confirmation_text(t), trial_end(t), fixed(t.seconds, 1)};
    for (const std::string& name : settings) row.push_back(t.settings.contains(name) ? setting_text(t.settings.at(name)) : "-");
    rows.push_back(std::move(row));
  }
  print_table(std::cout, rows);
  std::cout << record.trials.size() << " trials (" << record.sampler << ", " << record.inner_folds << " inner folds, budget " << record.budget
            << "); * the chosen one: " << (record.selection.empty() ? "the highest score" : record.selection) << "\n";
}

void query_utilization(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  const RunDescription d = store.description(run);
  const std::vector<CountCell> load = store.expert_layers(run);
  std::map<int64_t, std::vector<CountCell>> by_layer;
  for (int64_t l = 0; l < d.layers; ++l)
    if (flags.layer < 0 || flags.layer == l) by_layer[l] = store.expert_classes(run, l);
  if (flags.json) {
    nlohmann::json j{{"run", run}, {"classes", d.classes}, {"load", nlohmann::json::array()}, {"expert_classes", nlohmann::json::object()}};
    for (const CountCell& c : load)
      j["load"].push_back({{"expert", c.row}, {"layer", c.column}, {"samples", c.samples}, {"assignments", c.assignments}, {"weight", c.weight}});
    for (const auto& [layer, cells] : by_layer)
      for (const CountCell& c : cells)
        j["expert_classes"][std::to_string(layer)].push_back(
            {{"expert", c.row}, {"class", c.column}, {"samples", c.samples}, {"assignments", c.assignments}, {"weight", c.weight}});
    std::cout << j.dump() << std::endl;
    return;
  }
  std::cout << "Samples per expert (top-1) and layer:\n";
  std::vector<std::vector<std::string>> rows{{"expert"}};
  for (int64_t l = 0; l < d.layers; ++l) rows[0].push_back("layer " + std::to_string(l));
  for (int64_t e = 0; e < d.experts; ++e) {
    rows.push_back({std::to_string(e)});
    rows.back().resize(static_cast<size_t>(d.layers + 1), "0");
  }
  for (const CountCell& c : load) rows[static_cast<size_t>(c.row + 1)][static_cast<size_t>(c.column + 1)] = std::to_string(c.samples);
  print_table(std::cout, rows);
  for (const auto& [layer, cells] : by_layer) {
    if (d.classes.empty()) break;
    std::cout << "\nLayer " << layer << ", samples per expert (top-1) and class:\n";
    std::vector<std::vector<std::string>> table{{"expert"}};
    table[0].insert(table[0].end(), d.classes.begin(), d.classes.end());
    for (int64_t e = 0; e < d.experts; ++e) {
      table.push_back({std::to_string(e)});
      table.back().resize(d.classes.size() + 1, "0");
    }
    for (const CountCell& c : cells) table[static_cast<size_t>(c.row + 1)][static_cast<size_t>(c.column + 1)] = std::to_string(c.samples);
    print_table(std::cout, table);
  }
}

void query_flow(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  if (const int64_t layers = store.run(run).layers; flags.layer >= 0 && layers > 1 && flags.layer == layers - 1)
    throw UsageError("--layer " + std::to_string(flags.layer) + " is the last layer of run " + std::to_string(run) + ": no flow leaves it (0.." +
                     std::to_string(layers - 2) + ")");
  const std::vector<FlowCell> flow = store.flow(run);
  if (flags.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const FlowCell& f : flow) j.push_back({{"layer", f.layer}, {"from_expert", f.from_expert}, {"to_expert", f.to_expert}, {"samples", f.samples}});
    std::cout << nlohmann::json{{"run", run}, {"flow", j}}.dump() << std::endl;
    return;
  }
  std::vector<std::vector<std::string>> rows{{"from layer", "expert", "to layer", "expert", "samples"}};
  for (const FlowCell& f : flow)
    if (flags.layer < 0 || flags.layer == f.layer)
      rows.push_back({std::to_string(f.layer), std::to_string(f.from_expert), std::to_string(f.layer + 1), std::to_string(f.to_expert),
                      std::to_string(f.samples)});
  if (flow.empty()) std::cout << "Run " << run << " has a single layer: there is no flow between layers.\n";
  else print_table(std::cout, rows);
}

nlohmann::json path_json(const DecisionPath& path) {
  const SampleTrace& s = path.sample;
  nlohmann::json j{{"sample", s.sample}, {"split", s.split}, {"source_line", s.source_line}, {"prediction", s.prediction}};
  if (s.label) j["label"] = *s.label; else j["target"] = s.target;
  if (!std::isnan(s.confidence)) j["confidence"] = s.confidence;
  if (s.has_teacher) j["teacher_prediction"] = s.teacher_prediction;
  if (!std::isnan(s.teacher_confidence)) j["teacher_confidence"] = s.teacher_confidence;
  for (const PathLayer& layer : path.layers) {
    nlohmann::json levels = nlohmann::json::array();
    for (const PathLevel& lv : layer.levels) {
      nlohmann::json selected = nlohmann::json::array();
      for (const SelectedInput& in : lv.selected) selected.push_back({{"input", in.input}, {"name", in.name}, {"weight", in.weight}});
      nlohmann::json level{{"tree", lv.tree}, {"level", lv.level}, {"selected", selected}, {"value", lv.value}, {"threshold", lv.threshold},
                           {"temperature", lv.temperature}, {"decision", lv.decision}, {"branch", lv.right ? "right" : "left"}};
      if (lv.feature) level["feature"] = {{"name", *lv.feature}, {"value", lv.feature_value}, {"threshold", lv.feature_threshold}};
      levels.push_back(level);
    }
    j["layers"].push_back({{"layer", layer.layer}, {"levels", levels}, {"leaf_probabilities", layer.leaf_probs}, {"top_leaves", layer.top_leaves},
                           {"experts", layer.experts}, {"weights", layer.weights}});
  }
  return j;
}

void print_path(const RunDescription& d, const DecisionPath& path) {
  const SampleTrace& s = path.sample;
  std::cout << "Sample " << s.sample << " (" << s.split << (s.source_line > 0 ? ", line " + std::to_string(s.source_line) : std::string()) << ")\n";
  std::cout << "  label " << (s.label ? class_name(d, static_cast<double>(*s.label)) : fixed(s.target, 4)) << ", student "
            << class_name(d, s.prediction) << (std::isnan(s.confidence) ? std::string() : " (" + fixed(s.confidence, 3) + ")");
  if (s.has_teacher)
    std::cout << ", teacher " << class_name(d, s.teacher_prediction)
              << (std::isnan(s.teacher_confidence) ? std::string() : " (" + fixed(s.teacher_confidence, 3) + ")");
  std::cout << "\n";
  for (const PathLayer& layer : path.layers) {
    std::cout << "Layer " << layer.layer << ": experts";
    for (size_t k = 0; k < layer.experts.size(); ++k) std::cout << " " << layer.experts[k] << " (" << fixed(layer.weights[k], 3) << ")";
    std::cout << "\n";
    std::vector<std::vector<std::string>> rows{{"tree", "level", "selects", "value", "threshold", "temp", "p(right)", "branch", "in feature units"}};
    for (const PathLevel& lv : layer.levels) {
      std::string selects;
      for (size_t k = 0; k < std::min<size_t>(3, lv.selected.size()); ++k)
        selects += (k ? " + " : "") + fixed(lv.selected[k].weight, 2) + " " + lv.selected[k].name;
      if (lv.selected.size() > 3) selects += " + " + std::to_string(lv.selected.size() - 3) + " more";
      const std::string units = lv.feature ? *lv.feature + " " + fixed(lv.feature_value, 4) + (lv.right ? " > " : " <= ") + fixed(lv.feature_threshold, 4) : "";
      rows.push_back({std::to_string(lv.tree), std::to_string(lv.level), selects, fixed(lv.value, 4), fixed(lv.threshold, 4),
                      fixed(lv.temperature, 3), fixed(lv.decision, 3), lv.right ? "right" : "left", units});
    }
    print_table(std::cout, rows);
    for (size_t t = 0; t < layer.leaf_probs.size(); ++t) {
      std::vector<size_t> order(layer.leaf_probs[t].size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return layer.leaf_probs[t][a] > layer.leaf_probs[t][b]; });
      std::cout << "  tree " << t << " leaves:";
      for (size_t k = 0; k < std::min<size_t>(4, order.size()) && layer.leaf_probs[t][order[k]] > 0; ++k)
        std::cout << " " << order[k] << " (" << fixed(layer.leaf_probs[t][order[k]], 3) << ")";
      std::cout << "\n";
    }
  }
}

void query_path(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  if (const RunSummary s = store.run(run); flags.sample < s.first_sample || flags.sample >= s.first_sample + s.traced_samples)
    throw UsageError("sample " + std::to_string(flags.sample) + ": run " + std::to_string(run) + " holds samples " + std::to_string(s.first_sample) +
                     ".." + std::to_string(s.first_sample + s.traced_samples - 1));
  const RunDescription d = store.description(run);
  SampleTrace sample = store.sample(run, flags.sample);
  if (flags.token >= 0) {
    if (std::none_of(sample.tokens.begin(), sample.tokens.end(), [&](const TokenTrace& t) { return t.position == flags.token; }))
      throw UsageError("--token " + std::to_string(flags.token) + ": sample " + std::to_string(flags.sample) + " of run " + std::to_string(run) +
                       (sample.tokens.empty() ? " routes as a whole (the run is not token-level)" : " has no token there"));
    sample = sample.with_token(flags.token);
  }
  const DecisionPath path = decision_path(d, sample);
  if (flags.json) std::cout << path_json(path).dump() << std::endl;
  else print_path(d, path);
}

// Per expert of a layer, the token values (or positions) it receives most; with --expert, examples.
void query_tokens(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  const RunSummary summary = store.run(run);
  if (!summary.token_level())
    throw UsageError("run " + std::to_string(run) + " routes whole samples, not tokens (train with --student transformer-moe)");
  const RunDescription d = store.description(run);
  const int64_t layer = std::max<int64_t>(0, flags.layer);
  if (layer >= summary.layers) throw UsageError("--layer " + std::to_string(layer) + ": run " + std::to_string(run) + " has " + std::to_string(summary.layers) + " layers");
  const TokenAxis axis = flags.by == "position" ? TokenAxis::Position : TokenAxis::Value;
  const std::vector<CountCell> cells = store.expert_tokens(run, layer, axis);
  const auto name = [&](int64_t key) { return axis == TokenAxis::Position ? std::to_string(key) : token_label(summary.token_kind, key, d.features); };
  nlohmann::json j{{"run", run}, {"layer", layer}, {"by", flags.by}, {"token_kind", summary.token_kind}, {"experts", nlohmann::json::array()}};
  std::vector<std::vector<std::string>> rows{{"expert", "tokens", "most received (" + flags.by + ": share of the expert's tokens)"}};
  for (int64_t e = 0; e < summary.experts; ++e) {
    if (flags.expert >= 0 && e != flags.expert) continue;
    const std::vector<TokenShare> top = top_tokens(cells, e, flags.expert >= 0 ? 50 : 8);
    int64_t total = 0;
    for (const CountCell& c : cells) if (c.row == e) total += c.samples;
    nlohmann::json shares = nlohmann::json::array();
    std::string text;
    for (const TokenShare& t : top) {
      shares.push_back({{"key", t.key}, {"token", name(t.key)}, {"tokens", t.tokens}, {"share", t.share}, {"mean_weight", t.mean_weight}});
      text += (text.empty() ? "" : "  ") + name(t.key) + " " + fixed(100 * t.share, 1) + "%";
    }
    nlohmann::json expert{{"expert", e}, {"tokens", total}, {"top", shares}};
    if (flags.expert >= 0 && !top.empty()) {
      expert["examples"] = nlohmann::json::array();
      for (const TokenHit& hit : store.expert_token_hits(run, layer, e, axis, top.front().key, 10))
        expert["examples"].push_back({{"sample", hit.sample}, {"position", hit.position}, {"token", token_label(summary.token_kind, hit.value, d.features)}});
    }
    j["experts"].push_back(expert);
    rows.push_back({std::to_string(e), std::to_string(total), text});
  }
  if (flags.json) std::cout << j.dump() << std::endl;
  else print_table(std::cout, rows);
}

void query_explanations(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  const std::vector<Explanation> all = store.explanations(run, flags.method);
  if (flags.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const Explanation& e : all) j.push_back(explanation_json(e));
    std::cout << j.dump() << std::endl;
    return;
  }
  std::vector<std::vector<std::string>> rows{{"id", "method", "created", "values", "parameters"}};
  for (const Explanation& e : all)
    rows.push_back({std::to_string(e.id), e.method, e.created_at, std::to_string(e.values.size()), e.parameters_json});
  if (all.empty()) std::cout << "Run " << run << " has no stored explanations (make one with ndtmoe explain)\n";
  else print_table(std::cout, rows);
}

void query_samples(TraceStore& store, const QueryFlags& flags) {
  const int64_t run = checked_run(store, flags);
  SampleFilter f = flags.filter;
  if (flags.layer >= 0) f.layer = flags.layer;
  if (flags.expert >= 0) f.expert = flags.expert;
  if (flags.leaf >= 0) f.leaf = flags.leaf;
  if (flags.node >= 0) f.node = flags.node, f.level = std::max<int64_t>(0, flags.level);
  if ((f.leaf || f.node)) f.tree = flags.tree;
  if (flags.label >= 0) f.label = flags.label;
  if (flags.max_confidence >= 0) f.max_confidence = flags.max_confidence;
  if ((f.expert || f.leaf || f.node) && !f.layer) throw UsageError("--expert, --leaf and --node need --layer");
  const std::vector<int64_t> ids = store.samples(run, f);
  if (flags.json) {
    std::cout << nlohmann::json{{"run", run}, {"samples", ids}}.dump() << std::endl;
    return;
  }
  const RunDescription d = store.description(run);
  std::vector<std::vector<std::string>> rows{{"sample", "split", "label", "student", "confidence", "teacher"}};
  for (int64_t id : ids) {
    const SampleTrace s = store.sample(run, id);
    rows.push_back({std::to_string(id), s.split, s.label ? class_name(d, static_cast<double>(*s.label)) : fixed(s.target, 4),
                    class_name(d, s.prediction), fixed(s.confidence, 3), s.has_teacher ? class_name(d, s.teacher_prediction) : "-"});
  }
  print_table(std::cout, rows);
  std::cout << ids.size() << " samples" << (f.limit >= 0 && static_cast<int64_t>(ids.size()) == f.limit ? " (limit reached)" : "") << "\n";
}

}  // namespace

void add_query_command(CLI::App& app) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* cmd = app.add_subcommand("query", "Read a trace store: runs, expert utilization, flow between layers, decision paths, samples");
  cmd->add_option("--store", flags->store, "Trace store written by ndtmoe trace")->required();
  cmd->add_option("--run", flags->run, "Run id (see the runs query)")->check(non_negative());
  cmd->add_flag("--json", flags->json, "Print one JSON object instead of tables");
  cmd->require_subcommand(1);
  // Each query opens the store read-only, so it never blocks or changes a store being traced.
  const auto with_store = [flags](void (*query)(TraceStore&, const QueryFlags&)) {
    return [flags, query] {
      TraceStore store(flags->store, TraceStore::Mode::ReadOnly);
      query(store, *flags);
    };
  };

  cmd->add_subcommand("runs", "List the runs of the store with their status and metrics")->callback(with_store(query_runs));
  cmd->add_subcommand("tuning", "The trials of the search that chose the run's settings (train --tune), the chosen one marked")
      ->callback(with_store(query_tuning));
  CLI::App* util = cmd->add_subcommand("utilization", "Samples per expert and layer, and per expert and class");
  util->add_option("--layer", flags->layer, "Only this layer's expert x class table")->check(non_negative());
  util->callback(with_store(query_utilization));
  CLI::App* flow = cmd->add_subcommand("flow", "Samples moving from each expert of a layer to each expert of the next (top-1)");
  flow->add_option("--layer", flags->layer, "Only the flow out of this layer")->check(non_negative());
  flow->callback(with_store(query_flow));
  CLI::App* path = cmd->add_subcommand("path", "One sample's decision path through every layer's router");
  path->add_option("sample", flags->sample, "Sample id (row of the traced data, from 0)")->required()->check(non_negative());
  path->add_option("--token", flags->token, "Token-level runs: the routing of the token at this position")->check(non_negative());
  path->callback(with_store(query_path));
  CLI::App* tokens = cmd->add_subcommand("tokens", "Token-level runs: the token values (or positions) each expert of a layer receives most");
  tokens->add_option("--layer", flags->layer, "Layer (default 0)")->check(non_negative());
  tokens->add_option("--expert", flags->expert, "Only this expert, with its top 50 and examples")->check(non_negative());
  tokens->add_option("--by", flags->by, "value or position")->check(CLI::IsMember({"value", "position"}));
  tokens->callback(with_store(query_tokens));
  CLI::App* explanations = cmd->add_subcommand("explanations", "The explanations stored for the run (ndtmoe explain); --json prints their values");
  explanations->add_option("--method", flags->method, "Only this method")->check(CLI::IsMember(explain_methods()));
  explanations->callback(with_store(query_explanations));
  CLI::App* samples = cmd->add_subcommand("samples", "Samples matching filters (all filters combine)");
  samples->add_option("--layer", flags->layer, "Layer of --expert, --leaf or --node")->check(non_negative());
  samples->add_option("--expert", flags->expert, "Top-1 expert in --layer")->check(non_negative());
  samples->add_option("--tree", flags->tree, "Tree of --leaf or --node (default 0)")->check(non_negative());
  samples->add_option("--leaf", flags->leaf, "Most probable leaf of --tree")->check(non_negative());
  samples->add_option("--node", flags->node, "Node of --tree at --level (its leaves' low --level bits)")->check(non_negative());
  samples->add_option("--level", flags->level, "Level of --node (0: the root)")->check(non_negative());
  samples->add_option("--label", flags->label, "True class index")->check(non_negative());
  samples->add_option("--split", flags->filter.split, "fit, validation, test or traced")
      ->check(CLI::IsMember({"fit", "validation", "test", "traced"}));
  samples->add_flag("--misclassified", flags->filter.misclassified, "Student prediction differs from the label");
  samples->add_flag("--disagreement", flags->filter.disagreement, "Student and teacher predict different classes");
  samples->add_option("--max-confidence", flags->max_confidence, "Student confidence at most this")->check(CLI::Range(0.0, 1.0));
  flags->filter.limit = 50;
  samples->add_option("--limit", flags->filter.limit, "At most this many samples (-1: all)");
  // --run and --json may also follow the query name.
  for (CLI::App* sub : cmd->get_subcommands({})) sub->fallthrough();
  samples->callback(with_store(query_samples));
}

}  // namespace ndtmoe::cli
