#pragma once
// The model families the engine can build, by name. A family is one router kind and one expert kind
// behind the MoE layer's interfaces, the options it takes (family_options.h), the rules that tie those
// options to the layer's sizes, and what the analyses and views can do with it. Adding a family is one
// registration (docs/architecture.md, "Adding a family").

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ndtmoe/model/family_options.h"
#include "ndtmoe/model/model_config.h"
#include "ndtmoe/model/moe_layer.h"

namespace ndtmoe {

class Predictor;

struct Family {
  std::string name;         // --family NAME, run.json, the trace store
  std::string description;  // one line for `ndtmoe families` and the New run dialog
  std::vector<OptionSpec> options;
  // Builds one layer's router from complete options. Its module name in checkpoints is `router_module`.
  std::function<RouterPtr(const MoELayerOptions&)> make_router;
  std::string router_module = "router";
  std::function<std::unique_ptr<ExpertBank>(const MoELayerOptions&)> make_experts = make_feed_forward_experts;
  // Rules between the options and the layer's sizes, applied after the options are completed (e.g. one
  // expert per leaf fixes the expert count); throws std::invalid_argument with a message for the user.
  std::function<void(ModelConfig&)> normalize;
  // Family-specific analyses beyond the generic ones (e.g. "rules"), and the routing panel the
  // workbench shows ("tree", "gate", or "generic").
  std::vector<std::string> analyses;
  std::string view_panel = "generic";
  // Traces record the neurons of its MLP experts unless asked not to (other families with MLP experts
  // record them when asked).
  bool records_neurons = false;
  // A family whose model is not a stack of MoE layers (imoie: one layer from the raw inputs straight to
  // the classes, with losses of its own) builds it here; empty: MoEModel.
  std::function<std::shared_ptr<Predictor>(const ModelConfig&)> make_model;

  static std::unique_ptr<ExpertBank> make_feed_forward_experts(const MoELayerOptions& options);
};

// Adds a family; a name that is taken is an error. The built-in families are registered before the
// first lookup.
void register_family(Family family);
const Family& find_family(const std::string& name);  // throws std::invalid_argument listing the known names
std::vector<const Family*> registered_families();    // in registration order, built-ins first

// Completes a Mixture configuration's family options with the family's defaults, checks them and the
// top-K, and applies the family's rules. Idempotent; models of other kinds are left as they are.
void normalize_family_config(ModelConfig& config);

}  // namespace ndtmoe
