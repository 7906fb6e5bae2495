#pragma once
// Random image augmentation for the vision teacher's training batches: each image is shifted by up to
// `max_shift` pixels in each direction (the uncovered border is black, pixel value 0, as in a random crop
// of a zero-padded image) and, with `horizontal_flip`, mirrored left to right with probability 1/2.
// The model sees standardized pixels, so the augmenter maps a batch back to pixel units, moves the
// pixels, and standardizes again with the training statistics. `test_time_mirror` is test-time
// augmentation: the teacher predicts the mean of its logits for each image and for its mirror.

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "ndtmoe/train/preprocessing.h"

namespace ndtmoe {

struct ImageAugmentation {
  int64_t max_shift = 0;         // pixels in each direction; 0: no shifts
  bool horizontal_flip = false;
  bool test_time_mirror = false;  // predictions, not training: mean logits of the image and its mirror
  bool enabled() const { return max_shift > 0 || horizontal_flip; }  // of the training batches

  nlohmann::json to_json() const;
  static ImageAugmentation from_json(const nlohmann::json& j);
};

class ImageAugmenter {
 public:
  // Throws std::invalid_argument when the preprocessed data are not images or the shift is negative.
  ImageAugmenter(ImageAugmentation options, const Preprocessor& preprocessor);

  // `x`: standardized rows [B, C*H*W] on any device; random draws come from `generator` (CPU), so a
  // seeded training run stays reproducible.
  torch::Tensor operator()(const torch::Tensor& x, torch::Generator& generator) const;

  // Every image of the standardized rows `x` mirrored left to right, standardized again.
  torch::Tensor mirrored(const torch::Tensor& x) const;

 private:
  torch::Tensor to_images(const torch::Tensor& x) const;         // standardized rows -> [B, C, H, W] pixels
  torch::Tensor to_rows(const torch::Tensor& images) const;      // and back

  ImageAugmentation options_;
  std::vector<int64_t> shape_;           // {C, H, W}
  torch::Tensor pixel_mean_, pixel_scale_;  // [C*H*W], float32 CPU
};

}  // namespace ndtmoe
