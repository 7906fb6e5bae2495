#pragma once
// A trained model with one dense layer replaced by the MoE layer of a sparse stand-in (`ndtmoe
// decompose`), seen as a model that routes: its one MoE layer routes every row the dense layer saw — each
// sample for the MLP's hidden layer, each real token for a transformer's feed-forward block — so the
// stand-in's routing is traced, stored and explored like a student's. A teacher's CLS token is routed
// too but not recorded: the store's positions are the data's tokens.

#include "ndtmoe/model/mixture_predictor.h"
#include "ndtmoe/model/sparse_replacement.h"

namespace ndtmoe {

// Sets the override of a model's dense layer for as long as it lives, so no exit path leaves the model
// altered.
class ScopedLayerOverride {
 public:
  ScopedLayerOverride(Predictor& model, std::string layer, LayerOverride override);
  ~ScopedLayerOverride();
  ScopedLayerOverride(const ScopedLayerOverride&) = delete;
  ScopedLayerOverride& operator=(const ScopedLayerOverride&) = delete;

 private:
  Predictor& model_;
  std::string layer_;
};

class SplicedModel : public MixturePredictor {
 public:
  // Throws std::invalid_argument when `layer` is not one of host's dense layers, the stand-in has no MoE
  // layer (a transcoder) or its widths differ from the layer's.
  SplicedModel(PredictorPtr host, const std::string& layer, SparseReplacement stand_in);
  PredictorOutput run(const torch::Tensor& x) override;
  int64_t moe_layer_count() const override { return 1; }
  MoELayer moe_layer(int64_t) const override { return stand_in_->moe(); }
  int64_t routed_tokens() const override;
  torch::Tensor token_values(const torch::Tensor& x) const override;
  const std::string& layer() const { return layer_.name; }

 private:
  // The routing of the override's rows placed at the data's token positions [B * tokens] (padding and
  // the CLS token dropped); unchanged for a layer over whole samples.
  RoutingDecision placed(RoutingDecision routing, const torch::Tensor& x) const;

  PredictorPtr host_;
  DenseLayer layer_;
  SparseReplacement stand_in_;
};

}  // namespace ndtmoe
