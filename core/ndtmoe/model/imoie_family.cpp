#include "ndtmoe/model/imoie_family.h"

#include "ndtmoe/model/imoie_model.h"

namespace ndtmoe {
namespace {

namespace nn = torch::nn;

int64_t ceil_half(int64_t size) { return (size + 1) / 2; }
int64_t ceil_quarter(int64_t size) { return (size + 3) / 4; }

nn::Conv2d conv3x3(int64_t in, int64_t out) { return nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)); }

nn::Upsample upsample_to(int64_t h, int64_t w) {
  return nn::Upsample(nn::UpsampleOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

// Images: two 3×3 convolutions with max-pooling, pooled to a quarter of the image, then a linear map to
// the code (the paper's ResNet-18, sized for a CPU). Tables: an MLP. Both end in a batch norm without
// affine parameters, so each bit splits the batch: without it the encoder's bias sent every row to the
// same expert from the start (digits: all 1,797 rows to one of 16), and the routing loss is then
// trivially met.
nn::Sequential make_encoder(int64_t in_features, const std::vector<int64_t>& image, const ImoieFamilyOptions& o) {
  const nn::BatchNorm1d balance(nn::BatchNorm1dOptions(o.code_length).affine(false));
  if (image.empty())
    return nn::Sequential(nn::Linear(in_features, o.width), nn::ReLU(), nn::Linear(o.width, o.width), nn::ReLU(), nn::Linear(o.width, o.code_length),
                          balance);
  const int64_t c = o.channels, h = ceil_quarter(image[1]), w = ceil_quarter(image[2]);
  return nn::Sequential(nn::Unflatten(nn::UnflattenOptions(1, image)), conv3x3(image[0], c), nn::ReLU(), nn::MaxPool2d(nn::MaxPool2dOptions(2).ceil_mode(true)),
                        conv3x3(c, 2 * c), nn::ReLU(), nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({h, w})), nn::Flatten(),
                        nn::Linear(2 * c * h * w, o.code_length), balance);
}

// The encoder mirrored, bilinear upsampling for pooling: one weight image per class and one for the
// router, each of the input's shape. Tables: an MLP to (O + 1) · I weights.
nn::Sequential make_decoder(int64_t in_features, int64_t classes, const std::vector<int64_t>& image, const ImoieFamilyOptions& o) {
  const int64_t maps = classes + 1;
  if (image.empty())
    return nn::Sequential(nn::Linear(o.code_length, o.width), nn::ReLU(), nn::Linear(o.width, o.width), nn::ReLU(),
                          nn::Linear(o.width, maps * in_features));
  const int64_t c = o.channels, h = ceil_quarter(image[1]), w = ceil_quarter(image[2]);
  return nn::Sequential(nn::Linear(o.code_length, 2 * c * h * w), nn::ReLU(), nn::Unflatten(nn::UnflattenOptions(1, {2 * c, h, w})),
                        upsample_to(ceil_half(image[1]), ceil_half(image[2])), conv3x3(2 * c, c), nn::ReLU(), upsample_to(image[1], image[2]),
                        conv3x3(c, maps * image[0]), nn::Flatten());
}

}  // namespace

ImoieFamilyOptions ImoieFamilyOptions::of(const nlohmann::json& options) {
  ImoieFamilyOptions o;
  o.code_length = options.at("code-length");
  o.binarize = options.at("binarize");
  o.lambda_c = options.at("lambda-c");
  o.lambda_r = options.at("lambda-r");
  o.lambda_ec = options.at("lambda-ec");
  o.lambda_l1 = options.at("lambda-l1");
  o.explicit_top = options.at("explicit-top");
  o.width = options.at("width");
  o.channels = options.at("channels");
  return o;
}

torch::Tensor binarize_straight_through(const torch::Tensor& z) {
  const torch::Tensor sign = torch::where(z >= 0, torch::ones_like(z), -torch::ones_like(z));
  return sign.detach() + (z - z.detach());  // z − z is exactly 0: the value stays exactly ±1
}

torch::Tensor expert_of_code(const torch::Tensor& z) {
  const torch::Tensor powers = torch::pow(2, torch::arange(z.size(1), z.options().dtype(torch::kLong)));
  return (z.detach() >= 0).to(torch::kLong).mul(powers).sum(1);
}

torch::Tensor code_of_expert(const torch::Tensor& experts, int64_t code_length) {
  const torch::Tensor powers = torch::pow(2, torch::arange(code_length, experts.options().dtype(torch::kLong)));
  const torch::Tensor bits = experts.unsqueeze(1).floor_divide(powers).remainder(2);
  return bits.to(torch::kFloat) * 2 - 1;
}

torch::Tensor with_bias_column(const torch::Tensor& x) { return torch::cat({x, torch::ones({x.size(0), 1}, x.options())}, 1); }

torch::Tensor apply_own_maps(const torch::Tensor& maps, const torch::Tensor& x) {
  return torch::bmm(maps, with_bias_column(x).unsqueeze(2)).squeeze(2);
}

ImoieRouterImpl::ImoieRouterImpl(int64_t in_features, const std::vector<int64_t>& image_shape, ImoieFamilyOptions options)
    : options_(options), image_shape_(image_shape) {
  encoder_ = register_module("encoder", make_encoder(in_features, image_shape_, options_));
}

torch::Tensor ImoieRouterImpl::code_scores(const torch::Tensor& x) { return encoder_->forward(x); }

RoutingDecision ImoieRouterImpl::forward(const torch::Tensor& x) {
  RoutingDecision r;
  const torch::Tensor z = code_scores(x);
  const int64_t experts = int64_t{1} << options_.code_length;
  r.logits = torch::matmul(z, code_of_expert(torch::arange(experts, z.options().dtype(torch::kLong)), options_.code_length).to(z.dtype()).t());
  r.top_experts = expert_of_code(z).unsqueeze(1);
  r.top_weights = torch::ones({z.size(0), 1}, z.options());
  r.records["code_scores"] = z;
  return r;
}

ImplicitExpertBank::ImplicitExpertBank(int64_t in_features, int64_t classes, const std::vector<int64_t>& image_shape, ImoieFamilyOptions options)
    : options_(options), in_features_(in_features), classes_(classes), image_shape_(image_shape) {
  decoder_ = make_decoder(in_features_, classes_, image_shape_, options_);
  bias_ = nn::Linear(options_.code_length, classes_ + 1);
}

void ImplicitExpertBank::register_in(torch::nn::Module& layer) {
  decoder_ = layer.register_module("decoder", decoder_);
  bias_ = layer.register_module("decoder_bias", bias_);
}

torch::Tensor ImplicitExpertBank::generate(const torch::Tensor& codes) {
  const torch::Tensor weights = decoder_->forward(codes).view({codes.size(0), classes_ + 1, in_features_});
  return torch::cat({weights, bias_->forward(codes).unsqueeze(2)}, 2);
}

torch::Tensor ImplicitExpertBank::generate_all() {
  torch::NoGradGuard no_grad;
  const auto device = bias_->weight.device();
  const int64_t experts = size(), chunk = 256;
  std::vector<torch::Tensor> parts;
  for (int64_t begin = 0; begin < experts; begin += chunk) {
    const torch::Tensor ids = torch::arange(begin, std::min(experts, begin + chunk), torch::TensorOptions(device).dtype(torch::kLong));
    parts.push_back(generate(code_of_expert(ids, options_.code_length)));
  }
  return torch::cat(parts);
}

torch::Tensor ImplicitExpertBank::forward(int64_t expert, const torch::Tensor& x) {
  const torch::Tensor code = code_of_expert(torch::full({1}, expert, torch::TensorOptions(x.device()).dtype(torch::kLong)), options_.code_length);
  const torch::Tensor maps = generate(code).narrow(1, 0, classes_).expand({x.size(0), -1, -1});
  return apply_own_maps(maps, x);
}

std::optional<torch::Tensor> ImplicitExpertBank::mix(const torch::Tensor& x, const RoutingDecision& routing) {
  const torch::Tensor z = routing.record("code_scores");
  torch::Tensor codes = code_of_expert(routing.top_experts.select(1, 0), options_.code_length).to(x.dtype());
  // The chosen expert's code carries z's gradient (straight through); forced experts keep their code.
  if (z.defined()) codes = options_.binarize ? codes + (z - z.detach()) : z;
  last_generated_ = generate(codes);
  return apply_own_maps(last_generated_.narrow(1, 0, classes_), x) * routing.top_weights;
}

Family imoie_family() {
  Family f;
  f.name = "imoie";
  f.description = "IMoIE: a black-box encoder picks one of 2^L linear experts by a binary code; a decoder generates each expert and its linear router";
  f.options = {
      {"code-length", OptionType::Integer, 4, 1, 16, {}, "Code bits L: 2^L experts"},
      {"binarize", OptionType::Flag, true, 0, 0, {}, "Binarise the code (off: a continuous code, the paper's infinitely many experts; no explicit mode)"},
      {"lambda-c", OptionType::Real, 0.5, 0, 100, {}, "Weight of the classification (and distillation) loss L_C"},
      {"lambda-r", OptionType::Real, 0.7, 0, 100, {}, "Weight of the routing loss L_R (routers agree with the encoder)"},
      {"lambda-ec", OptionType::Real, 1.0, 0, 100, {}, "Weight of the explicit-mode classification loss L_EC"},
      {"lambda-l1", OptionType::Real, 0.1, 0, 100, {}, "Weight of the L1 penalty on the experts' and routers' weights"},
      {"explicit-top", OptionType::Integer, 8, 1, 256, {}, "Explicit mode: softmax over this many largest router scores"},
      {"width", OptionType::Integer, 128, 8, 2048, {}, "Tables: units of the encoder's and decoder's hidden layers"},
      {"channels", OptionType::Integer, 16, 2, 256, {}, "Images: channels of the encoder's and decoder's first convolution"},
  };
  f.make_router = [](const MoELayerOptions& o) -> RouterPtr {
    return std::make_shared<ImoieRouterImpl>(o.router_in, o.image_shape, ImoieFamilyOptions::of(o.family_options));
  };
  f.make_experts = [](const MoELayerOptions& o) -> std::unique_ptr<ExpertBank> {
    return std::make_unique<ImplicitExpertBank>(o.router_in, o.d_model, o.image_shape, ImoieFamilyOptions::of(o.family_options));
  };
  f.normalize = [](ModelConfig& config) {
    if (config.kind != ModelKind::Mixture)
      throw std::invalid_argument("family imoie is a whole model from the inputs to the classes, not a transformer's feed-forward block: use --student mixture");
    config.experts = int64_t{1} << ImoieFamilyOptions::of(config.family_options).code_length;
    config.top_k = 1;
    config.layers = 1;
  };
  f.make_model = [](const ModelConfig& config) -> PredictorPtr { return std::make_shared<ImoieModel>(config); };
  f.view_panel = "experts";
  return f;
}

}  // namespace ndtmoe
