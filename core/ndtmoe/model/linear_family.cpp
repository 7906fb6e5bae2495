#include "ndtmoe/model/linear_family.h"

namespace ndtmoe {

Family linear_family() {
  Family f;
  f.name = "linear";
  f.description = "Softmax-gated MoE: a linear gate's top-K experts (Switch / Shazeer), FFN experts";
  f.make_router = [](const MoELayerOptions& o) -> RouterPtr { return std::make_shared<LinearGateRouterImpl>(o.router_in, o.experts, o.top_k); };
  // Checkpoints name the gate "gate", as before families existed.
  f.router_module = "gate";
  f.view_panel = "gate";
  return f;
}

}  // namespace ndtmoe
