#include "ndtmoe/model/predictor.h"

#include <stdexcept>

#include "ndtmoe/model/mlp_model.h"
#include "ndtmoe/model/moe_model.h"
#include "ndtmoe/model/transformer.h"

namespace ndtmoe {

PredictorPtr make_predictor(const ModelConfig& config) {
  if (config.in_features <= 0 || config.out_features <= 0) throw std::invalid_argument("model needs input and output widths");
  switch (config.kind) {
    case ModelKind::Mixture: return std::make_shared<MoEModel>(config);
    case ModelKind::Mlp: return std::make_shared<MLPModel>(config);
    case ModelKind::Transformer:
    case ModelKind::TransformerMixture: return std::make_shared<TransformerModel>(config);
  }
  throw std::invalid_argument("unknown model kind");
}

}  // namespace ndtmoe
