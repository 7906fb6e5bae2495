#include "ndtmoe/model/family_registry.h"

#include <mutex>
#include <stdexcept>

#include "ndtmoe/model/imoie_family.h"
#include "ndtmoe/model/linear_family.h"
#include "ndtmoe/model/moe_x_family.h"
#include "ndtmoe/model/mxd_family.h"
#include "ndtmoe/model/ndt_family.h"

namespace ndtmoe {

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<Family>> families;  // stable addresses: lookups hand out references
};

Registry& registry() {
  static Registry* instance = [] {
    auto* r = new Registry;  // never destroyed: models may look families up during static destruction
    r->families.push_back(std::make_unique<Family>(ndt_family()));
    r->families.push_back(std::make_unique<Family>(linear_family()));
    r->families.push_back(std::make_unique<Family>(moe_x_family()));
    r->families.push_back(std::make_unique<Family>(mxd_family()));
    r->families.push_back(std::make_unique<Family>(imoie_family()));
    return r;
  }();
  return *instance;
}

}  // namespace

std::unique_ptr<ExpertBank> Family::make_feed_forward_experts(const MoELayerOptions& o) {
  return std::make_unique<FeedForwardExpertBank>(o.experts, FeedForwardExpertOptions(o.d_model, o.expert_hidden).dropout(o.dropout));
}

void register_family(Family family) {
  if (family.name.empty() || !family.make_router || !family.make_experts)
    throw std::invalid_argument("a family needs a name, a router factory and an expert factory");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& known : r.families)
    if (known->name == family.name) throw std::invalid_argument("family '" + family.name + "' is already registered");
  r.families.push_back(std::make_unique<Family>(std::move(family)));
}

const Family& find_family(const std::string& name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::string known;
  for (const auto& family : r.families) {
    if (family->name == name) return *family;
    known += (known.empty() ? "" : ", ") + family->name;
  }
  throw std::invalid_argument("unknown model family '" + name + "' (known: " + known + ")");
}

std::vector<const Family*> registered_families() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<const Family*> all;
  for (const auto& family : r.families) all.push_back(family.get());
  return all;
}

void normalize_family_config(ModelConfig& config) {
  if (!config.routes()) return;
  const Family& family = find_family(config.family);
  config.family_options = complete_options(family.name, family.options, config.family_options);
  if (family.normalize) family.normalize(config);
  if (config.experts < 1) throw std::invalid_argument("experts must be at least 1, got " + std::to_string(config.experts));
  if (config.top_k < 1 || config.top_k > config.experts)
    throw std::invalid_argument("top-k " + std::to_string(config.top_k) + " must be in 1..experts (" + std::to_string(config.experts) + ")");
}

}  // namespace ndtmoe
