#pragma once
// Every architecture knob of the models the engine builds, serializable to JSON for checkpoints.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>


namespace ndtmoe {

// A Mixture is a stack of MoE layers of one model family (its router and experts: ndt, linear, ...) over
// whole samples; a TransformerMixture is a transformer whose feed-forward blocks are such MoE layers,
// routing token by token; a Transformer is the dense teacher. Both transformers take their tokens from
// the data (token_embedding.h).
enum class ModelKind { Mixture, Mlp, Transformer, TransformerMixture };
const char* to_string(ModelKind kind);
ModelKind model_kind_from_string(const std::string& text);

enum class RouterInput { Input, Hidden, Both };
const char* to_string(RouterInput input);
RouterInput router_input_from_string(const std::string& text);

// The most bins of a piecewise-linear first layer (ModelConfig::piecewise_bins).
inline constexpr int64_t kMaxPiecewiseBins = 256;

struct ModelConfig {
  ModelKind kind = ModelKind::Mixture;
  int64_t in_features = 0;              // encoded input width
  int64_t out_features = 0;             // classes, or 1 for regression
  std::vector<int64_t> image_shape;     // {C, H, W} for image data
  double dropout = 0.1;
  // Mixture of experts (student and linear-gate baseline).
  int64_t d_model = 64;
  int64_t layers = 2;
  int64_t experts = 8;
  int64_t top_k = 2;
  int64_t expert_hidden = 128;
  std::string family = "ndt";            // a name in the family registry (family_registry.h)
  nlohmann::json family_options = nlohmann::json::object();  // that family's options; completed with defaults by normalize_family_config
  RouterInput router_input = RouterInput::Input;
  bool dense_connections = false;
  bool head_on_mean = false;            // head on the mean of all layers instead of the last
  int64_t piecewise_bins = 0;           // > 0: the stack's (and the MLP's) first layer encodes each input piecewise-linearly over this many quantile bins (piecewise_linear_encoder.h)
  // Transformers (teacher and token-level student).
  int64_t text_length = 0;              // > 0: the input is text, this many byte columns (byte tokens)
  int64_t moe_every = 1;                // token-level student: an MoE layer in every moe_every-th block
  // MLP baseline.
  int64_t mlp_hidden = 128;
  int64_t d_token = 64;
  int64_t heads = 4;
  int64_t blocks = 3;
  int64_t patch = 4;
  int64_t conv_stem = 0;                // vision teacher: channels of a 3x3 convolution before patching (0: none)

  // Whether the model routes through MoE layers of `family`.
  bool routes() const { return kind == ModelKind::Mixture || kind == ModelKind::TransformerMixture; }

  nlohmann::json to_json() const;
  static ModelConfig from_json(const nlohmann::json& j);
};

// Throws std::invalid_argument naming the first size of a complete configuration (widths filled in from
// the data) that lies outside what this program builds, so a damaged run.json cannot make it allocate
// without bound.
void check_model_sizes(const ModelConfig& config);

}  // namespace ndtmoe
