#include "hash_family.h"

#include <mutex>

#include "ndtmoe/model/family_registry.h"

namespace ndtmoe::test {

namespace {

class HashRouterImpl : public RouterImpl {
 public:
  HashRouterImpl(int64_t in_features, int64_t experts, int64_t top_k, int64_t seed) : top_k_(top_k) {
    // A buffer, not a parameter: saved with the checkpoint, never trained.
    torch::Generator generator = at::detail::createCPUGenerator(static_cast<uint64_t>(seed));
    projection_ = register_buffer("projection", torch::randn({in_features, experts}, generator));
  }

  RoutingDecision forward(const torch::Tensor& router_input) override {
    RoutingDecision r;
    r.logits = torch::matmul(router_input.detach(), projection_);
    r.probs = torch::softmax(r.logits, -1);
    select_top_k(r, top_k_);
    r.records["hash_bucket"] = r.top_experts.select(1, 0);  // a family-specific record
    return r;
  }

 private:
  int64_t top_k_;
  torch::Tensor projection_;
};

}  // namespace

void register_hash_family() {
  static std::once_flag once;
  std::call_once(once, [] {
    Family family;
    family.name = kHashFamily;
    family.description = "Test family: a fixed random projection hashes each row to its experts";
    family.options = {{"seed", OptionType::Integer, 7, 0, 1000000, {}, "Seed of the fixed projection"}};
    family.make_router = [](const MoELayerOptions& o) -> RouterPtr {
      return std::make_shared<HashRouterImpl>(o.router_in, o.experts, o.top_k, o.family_options.at("seed").get<int64_t>());
    };
    register_family(std::move(family));
  });
}

}  // namespace ndtmoe::test
