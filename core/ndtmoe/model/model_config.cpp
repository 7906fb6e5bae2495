#include "ndtmoe/model/model_config.h"

#include <stdexcept>

namespace ndtmoe {
namespace {

template <typename Enum, size_t N>
Enum parse_enum(const std::string& text, const std::pair<const char*, Enum> (&table)[N], const char* what) {
  std::string known;
  for (const auto& [name, value] : table) {
    if (text == name) return value;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  throw std::invalid_argument("unknown " + std::string(what) + " '" + text + "' (expected " + known + ")");
}

template <typename Enum, size_t N>
const char* enum_name(Enum value, const std::pair<const char*, Enum> (&table)[N]) {
  for (const auto& [name, v] : table) if (v == value) return name;
  return "?";
}

// "ndt-moe" and "moe" are the kinds of run.json files written before families existed (from_json);
// "tabular-transformer" and "vision-transformer" those of teachers before they took tokens from the data.
const std::pair<const char*, ModelKind> kModelKinds[] = {
    {"mixture", ModelKind::Mixture}, {"mlp", ModelKind::Mlp}, {"transformer", ModelKind::Transformer},
    {"transformer-moe", ModelKind::TransformerMixture}, {"tabular-transformer", ModelKind::Transformer},
    {"vision-transformer", ModelKind::Transformer}};
const std::pair<const char*, RouterInput> kRouterInputs[] = {
    {"input", RouterInput::Input}, {"hidden", RouterInput::Hidden}, {"both", RouterInput::Both}};

// Sizes far past anything trained here would make a damaged run.json allocate without bound.
void check_range(const char* field, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high)
    throw std::invalid_argument(std::string(field) + " " + std::to_string(value) + " is outside " + std::to_string(low) + ".." +
                                std::to_string(high));
}

}  // namespace

void check_model_sizes(const ModelConfig& c) {
  check_range("in_features", c.in_features, 1, 1 << 24);
  check_range("out_features", c.out_features, 1, 1 << 16);
  check_range("d_model", c.d_model, 1, 1 << 16);
  check_range("layers", c.layers, 1, 32);
  check_range("experts", c.experts, 1, 1 << 18);  // identity leaves: trees x 2^depth experts
  check_range("top_k", c.top_k, 1, c.experts);
  check_range("expert_hidden", c.expert_hidden, 1, 1 << 16);
  check_range("piecewise_bins", c.piecewise_bins, 0, kMaxPiecewiseBins);
  check_range("mlp_hidden", c.mlp_hidden, 1, 1 << 16);
  check_range("d_token", c.d_token, 1, 1 << 16);
  check_range("heads", c.heads, 1, c.d_token);
  check_range("blocks", c.blocks, 1, 32);
  check_range("patch", c.patch, 0, 1 << 12);
  check_range("conv_stem", c.conv_stem, 0, 1 << 12);
  check_range("text_length", c.text_length, 0, 1 << 12);
  check_range("moe_every", c.moe_every, 1, 32);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw std::invalid_argument("dropout " + std::to_string(c.dropout) + " is outside [0, 1)");
  if (!c.image_shape.empty()) {
    if (c.image_shape.size() != 3) throw std::invalid_argument("image_shape needs three sizes (channels, height, width)");
    for (const int64_t size : c.image_shape) check_range("image_shape", size, 1, 1 << 16);
  }
}


const char* to_string(ModelKind kind) { return enum_name(kind, kModelKinds); }
ModelKind model_kind_from_string(const std::string& text) { return parse_enum(text, kModelKinds, "model kind"); }
const char* to_string(RouterInput input) { return enum_name(input, kRouterInputs); }
RouterInput router_input_from_string(const std::string& text) { return parse_enum(text, kRouterInputs, "router input"); }

nlohmann::json ModelConfig::to_json() const {
  return {{"kind", to_string(kind)}, {"in_features", in_features}, {"out_features", out_features},
          {"image_shape", image_shape}, {"dropout", dropout}, {"d_model", d_model}, {"layers", layers},
          {"experts", experts}, {"top_k", top_k}, {"expert_hidden", expert_hidden}, {"family", family},
          {"family_options", family_options}, {"router_input", to_string(router_input)},
          {"dense_connections", dense_connections}, {"head_on_mean", head_on_mean}, {"piecewise_bins", piecewise_bins}, {"mlp_hidden", mlp_hidden},
          {"d_token", d_token}, {"heads", heads}, {"blocks", blocks}, {"patch", patch}, {"conv_stem", conv_stem},
          {"text_length", text_length}, {"moe_every", moe_every}};
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  ModelConfig c;
  const std::string kind = j.at("kind");
  if (kind == "ndt-moe" || kind == "moe") {
    // Before families: the NDT-MoE student ("ndt-moe", tree options at the top level) and the
    // linear-gate baseline ("moe").
    c.kind = ModelKind::Mixture;
    c.family = kind == "ndt-moe" ? "ndt" : "linear";
    if (kind == "ndt-moe") c.family_options = {{"depth", j.at("depth")}, {"trees", j.at("trees")}, {"leaf_mode", j.at("leaf_mode")}};
  } else {
    c.kind = model_kind_from_string(kind);
    c.family = j.value("family", std::string("ndt"));
    c.family_options = j.value("family_options", nlohmann::json::object());
  }
  c.in_features = j.at("in_features");
  c.out_features = j.at("out_features");
  c.image_shape = j.at("image_shape").get<std::vector<int64_t>>();
  c.dropout = j.at("dropout");
  c.d_model = j.at("d_model");
  c.layers = j.at("layers");
  c.experts = j.at("experts");
  c.top_k = j.at("top_k");
  c.expert_hidden = j.at("expert_hidden");
  c.router_input = router_input_from_string(j.at("router_input"));
  c.dense_connections = j.at("dense_connections");
  c.head_on_mean = j.at("head_on_mean");
  c.piecewise_bins = j.value("piecewise_bins", int64_t{0});  // runs saved before the encoding existed
  c.mlp_hidden = j.at("mlp_hidden");
  c.d_token = j.at("d_token");
  c.heads = j.at("heads");
  c.blocks = j.at("blocks");
  c.patch = j.at("patch");
  c.conv_stem = j.value("conv_stem", int64_t{0});  // runs saved before the stem existed have none
  c.text_length = j.value("text_length", int64_t{0});  // nor text or token-level students
  c.moe_every = j.value("moe_every", int64_t{1});
  return c;
}

}  // namespace ndtmoe
