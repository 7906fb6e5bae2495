#include "ndtmoe/model/ndt_family.h"

namespace ndtmoe {

NDTFamilyOptions NDTFamilyOptions::of(const nlohmann::json& options) {
  NDTFamilyOptions o;
  o.depth = options.at("depth");
  o.trees = options.at("trees");
  o.leaf_mode = leaf_expert_mode_from_string(options.at("leaf_mode"));
  return o;
}

NDTFamilyOptions NDTFamilyOptions::of(const ModelConfig& config) {
  if (!config.routes() || config.family != "ndt") throw std::invalid_argument("the model is not of family ndt");
  return of(config.family_options);
}

Family ndt_family() {
  Family f;
  f.name = "ndt";
  f.description = "NDT-MoE: soft oblivious decision trees with entmax feature selection route to FFN experts";
  f.options = {
      {"depth", OptionType::Integer, 3, 1, 12, {}, "Depth of each routing tree (2^depth leaves)"},
      {"trees", OptionType::Integer, 1, 1, 64, {}, "Trees per router"},
      {"leaf_mode", OptionType::Choice, "linear", 0, 0, {"linear", "identity", "sparse"},
       "How leaves map to experts: a learned linear map, one expert per leaf (experts = trees * 2^depth), or a sparse entmax map"},
  };
  f.make_router = [](const MoELayerOptions& o) -> RouterPtr {
    const NDTFamilyOptions tree = NDTFamilyOptions::of(o.family_options);
    return std::make_shared<NDTRouterImpl>(
        NDTRouterOptions(o.router_in, o.experts).depth(tree.depth).trees(tree.trees).top_k(o.top_k).leaf_mode(tree.leaf_mode));
  };
  f.normalize = [](ModelConfig& config) {
    const NDTFamilyOptions tree = NDTFamilyOptions::of(config.family_options);
    if (tree.leaf_mode == LeafExpertMode::Identity) config.experts = tree.trees << tree.depth;
  };
  f.analyses = {"rules"};
  f.view_panel = "tree";
  return f;
}

}  // namespace ndtmoe
