#include <gtest/gtest.h>

#include <set>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/train/image_augmentation.h"
#include "ndtmoe/data/readers.h"
#include "test_support.h"

using namespace ndtmoe;

namespace {

constexpr int64_t kSide = 28;

struct AugmentedImages {
  Dataset images = make_dataset(load_builtin("fashion-mnist-test", 0, 64), "");
  Preprocessor preprocessor = Preprocessor::fit(images);
  torch::Tensor x = preprocessor.encode_features(images);

  // Pixel values of row r as the data set holds them, [28, 28].
  torch::Tensor pixels(int64_t r) const {
    torch::Tensor p = torch::empty({kSide * kSide});
    for (int64_t i = 0; i < kSide * kSide; ++i) p[i] = images.features.columns[i].values[r];
    return p.view({kSide, kSide});
  }
  // Standardized rows mapped back to pixel units with the preprocessor's own statistics.
  torch::Tensor to_pixels(const torch::Tensor& standardized, int64_t r) const {
    torch::Tensor p = torch::empty({kSide * kSide});
    const auto& features = preprocessor.features();
    for (int64_t i = 0; i < kSide * kSide; ++i) p[i] = standardized[r][i].item<double>() * features[i].scale + features[i].mean;
    return p.view({kSide, kSide});
  }
};

// out[y][x] = in[y + dy][x + dx], black outside the image: written out pixel by pixel.
torch::Tensor translated(const torch::Tensor& in, int64_t dy, int64_t dx) {
  torch::Tensor out = torch::zeros_like(in);
  for (int64_t y = 0; y < kSide; ++y)
    for (int64_t x = 0; x < kSide; ++x)
      if (y + dy >= 0 && y + dy < kSide && x + dx >= 0 && x + dx < kSide) out[y][x] = in[y + dy][x + dx];
  return out;
}

}  // namespace

TEST(ImageAugmentation, FlipsMirrorAboutHalfOfTheImagesAndKeepTheRest) {
  AugmentedImages data;
  torch::Generator generator = at::detail::createCPUGenerator(3);
  const torch::Tensor out = ImageAugmenter({0, true}, data.preprocessor)(data.x, generator);
  ASSERT_EQ(out.sizes(), data.x.sizes());
  int mirrored = 0;
  for (int64_t r = 0; r < data.x.size(0); ++r) {
    const torch::Tensor original = data.pixels(r), seen = data.to_pixels(out, r);
    const bool kept = torch::allclose(seen, original, 1e-5, 1e-3);
    const bool flipped = torch::allclose(seen, original.flip({1}), 1e-5, 1e-3);
    EXPECT_TRUE(kept || flipped) << "row " << r << " is neither the image nor its mirror";
    mirrored += flipped && !kept;
  }
  EXPECT_GT(mirrored, 16);
  EXPECT_LT(mirrored, 48);
}

TEST(ImageAugmentation, ShiftsAreTranslationsWithinTheLimitFilledWithBlack) {
  AugmentedImages data;
  torch::Generator generator = at::detail::createCPUGenerator(5);
  const ImageAugmenter augment({2, false}, data.preprocessor);
  const torch::Tensor out = augment(data.x, generator);
  std::set<std::pair<int64_t, int64_t>> shifts_seen;
  for (int64_t r = 0; r < data.x.size(0); ++r) {
    const torch::Tensor original = data.pixels(r), seen = data.to_pixels(out, r);
    bool matched = false;
    for (int64_t dy = -2; dy <= 2 && !matched; ++dy)
      for (int64_t dx = -2; dx <= 2 && !matched; ++dx)
        if (torch::allclose(seen, translated(original, dy, dx), 1e-5, 1e-3)) {
          matched = true;
          shifts_seen.insert({dy, dx});
        }
    EXPECT_TRUE(matched) << "row " << r << " is not the image shifted by at most 2 pixels";
  }
  EXPECT_GT(shifts_seen.size(), 10u) << "64 images should see many of the 25 shifts";

  // The same generator state gives the same batch: seeded training stays reproducible.
  torch::Generator again = at::detail::createCPUGenerator(5);
  EXPECT_TRUE(torch::equal(augment(data.x, again), out));
}

TEST(ImageAugmentation, MirroredRowsAreEachImageFlippedLeftToRight) {
  AugmentedImages data;
  const ImageAugmenter augmenter({}, data.preprocessor);
  const torch::Tensor out = augmenter.mirrored(data.x);
  ASSERT_EQ(out.sizes(), data.x.sizes());
  for (int64_t r = 0; r < data.x.size(0); ++r)
    EXPECT_TRUE(torch::allclose(data.to_pixels(out, r), data.pixels(r).flip({1}), 1e-5, 1e-3)) << "row " << r;
  EXPECT_TRUE(torch::allclose(augmenter.mirrored(out), data.x, 1e-5, 1e-3)) << "mirroring twice gives the image back";
}

TEST(ImageAugmentation, RefusesDataThatAreNotImagesAndNegativeShifts) {
  const Dataset table = make_dataset(read_csv(test::shared_data("wine.csv")), "");
  EXPECT_THROW(ImageAugmenter({1, false}, Preprocessor::fit(table)), std::invalid_argument);
  AugmentedImages data;
  EXPECT_THROW(ImageAugmenter({-1, false}, data.preprocessor), std::invalid_argument);
  // Switched off, the batch passes through untouched.
  torch::Generator generator = at::detail::createCPUGenerator(0);
  EXPECT_TRUE(torch::equal(ImageAugmenter({0, false}, data.preprocessor)(data.x, generator), data.x));
}
