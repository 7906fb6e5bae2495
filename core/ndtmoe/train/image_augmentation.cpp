#include "ndtmoe/train/image_augmentation.h"

#include <stdexcept>

namespace ndtmoe {

nlohmann::json ImageAugmentation::to_json() const {
  return {{"max_shift", max_shift}, {"horizontal_flip", horizontal_flip}, {"test_time_mirror", test_time_mirror}};
}

ImageAugmentation ImageAugmentation::from_json(const nlohmann::json& j) {
  ImageAugmentation a;
  a.max_shift = j.at("max_shift");
  a.horizontal_flip = j.at("horizontal_flip");
  // Runs saved before test-time mirroring existed predicted from the image alone.
  a.test_time_mirror = j.value("test_time_mirror", false);
  return a;
}

ImageAugmenter::ImageAugmenter(ImageAugmentation options, const Preprocessor& preprocessor)
    : options_(options), shape_(preprocessor.image_shape()) {
  if (options_.max_shift < 0) throw std::invalid_argument("image augmentation: the shift must not be negative");
  if (shape_.size() != 3) throw std::invalid_argument("image augmentation needs image data (declare the pixels as an image)");
  const auto& features = preprocessor.features();
  if (static_cast<int64_t>(features.size()) != shape_[0] * shape_[1] * shape_[2])
    throw std::invalid_argument("image augmentation: the data have " + std::to_string(features.size()) +
                                " features, not one per pixel of the declared image");
  std::vector<float> mean, scale;
  for (const auto& f : features) {
    if (f.nominal) throw std::invalid_argument("image augmentation: pixel '" + f.name + "' is nominal");
    mean.push_back(static_cast<float>(f.mean));
    scale.push_back(static_cast<float>(f.scale));
  }
  pixel_mean_ = torch::tensor(mean);
  pixel_scale_ = torch::tensor(scale);
}

torch::Tensor ImageAugmenter::to_images(const torch::Tensor& x) const {
  return (x * pixel_scale_.to(x.device()) + pixel_mean_.to(x.device())).view({x.size(0), shape_[0], shape_[1], shape_[2]});
}

torch::Tensor ImageAugmenter::to_rows(const torch::Tensor& images) const {
  const torch::Tensor rows = images.reshape({images.size(0), shape_[0] * shape_[1] * shape_[2]});
  return ((rows - pixel_mean_.to(rows.device())) / pixel_scale_.to(rows.device())).contiguous();
}

torch::Tensor ImageAugmenter::mirrored(const torch::Tensor& x) const {
  torch::NoGradGuard no_grad;
  return to_rows(to_images(x).flip({3}));
}

torch::Tensor ImageAugmenter::operator()(const torch::Tensor& x, torch::Generator& generator) const {
  if (!options_.enabled()) return x;
  torch::NoGradGuard no_grad;
  const int64_t B = x.size(0), H = shape_[1], W = shape_[2], s = options_.max_shift;
  const auto device = x.device();
  torch::Tensor images = to_images(x);
  if (s > 0) {
    // A random crop of the zero-padded image: crop offsets 0..2s in each direction, s being "no shift".
    const auto offsets = torch::TensorOptions().dtype(torch::kLong);
    const torch::Tensor top = torch::randint(0, 2 * s + 1, {B}, generator, offsets).to(device);
    const torch::Tensor left = torch::randint(0, 2 * s + 1, {B}, generator, offsets).to(device);
    const torch::Tensor padded = torch::constant_pad_nd(images, {s, s, s, s}, 0.0).permute({0, 2, 3, 1});  // [B, H+2s, W+2s, C]
    const torch::Tensor rows = top.view({B, 1, 1}) + torch::arange(H, offsets.device(device)).view({1, H, 1});
    const torch::Tensor cols = left.view({B, 1, 1}) + torch::arange(W, offsets.device(device)).view({1, 1, W});
    const torch::Tensor batch = torch::arange(B, offsets.device(device)).view({B, 1, 1});
    images = padded.index({batch, rows, cols}).permute({0, 3, 1, 2});  // [B, C, H, W]
  }
  if (options_.horizontal_flip) {
    const torch::Tensor mirror = (torch::rand({B}, generator) < 0.5).to(device).view({B, 1, 1, 1});
    images = torch::where(mirror, images.flip({3}), images);
  }
  return to_rows(images);
}

}  // namespace ndtmoe
