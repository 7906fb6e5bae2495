#pragma once
// A model whose forward pass routes through MoE layers of one family: the stack over whole samples
// (MoEModel) and the transformer whose feed-forward blocks are MoE layers, routing token by token
// (TransformerModel with kind TransformerMixture). Tracing, analyses and the views read routing
// through this face.

#include "ndtmoe/model/moe_layer.h"
#include "ndtmoe/model/predictor.h"

namespace ndtmoe {

class MixturePredictor : public Predictor {
 public:
  using Predictor::Predictor;
  virtual int64_t moe_layer_count() const = 0;
  virtual MoELayer moe_layer(int64_t l) const = 0;
  // Positions routed per sample: 1 for a model over whole samples, the token count for a transformer.
  // PredictorOutput::routing then holds [B * tokens] rows per layer, sample-major; a padding position
  // has expert -1 and weight 0.
  virtual int64_t routed_tokens() const { return 1; }
  // [B, tokens] int64 label of each position (byte, patch, feature; -1 for padding); undefined for
  // models over whole samples.
  virtual torch::Tensor token_values(const torch::Tensor& x) const { return {}; }
  // The parameters of the given experts of `layer` [M] (most used first) that the views draw, by name,
  // stored with the trace; empty for a family whose experts the views do not draw. A model may keep
  // fewer than asked (imoie keeps the first that fit in 64 MB). By default what the layer's expert bank
  // draws (ExpertBank::drawn_tensors).
  virtual std::map<std::string, torch::Tensor> expert_tensors(int64_t layer, const torch::Tensor& experts) {
    return moe_layer(layer)->experts().drawn_tensors(experts);
  }
  // [d_model, in]: the weight of the exactly linear map from the encoded inputs to the first MoE layer's
  // input (a stack's encoder), through which that layer's neurons read the input features; undefined
  // when the first layer's input is not linear in the inputs (a transformer's tokens).
  virtual torch::Tensor first_layer_input_map() const { return {}; }
};

}  // namespace ndtmoe
