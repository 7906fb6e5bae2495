#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "ndtmoe/data/file_text.h"
#include "ndtmoe/data/readers.h"

namespace ndtmoe {
namespace {

struct IdxArray {
  std::vector<int64_t> dims;
  std::string bytes;  // the whole file; payload starts at `offset`
  size_t offset = 0;
};

uint32_t big_endian_u32(const std::string& bytes, size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

IdxArray read_idx(const std::string& path, int expected_dims) {
  IdxArray array;
  array.bytes = read_file_bytes(path);
  if (array.bytes.size() < 4) throw DataError(located_message(path, 0, 0, "truncated IDX file: no header"));
  const uint32_t magic = big_endian_u32(array.bytes, 0);
  const uint32_t type = (magic >> 8) & 0xff, ndims = magic & 0xff;
  if ((magic >> 16) != 0 || type != 0x08)
    throw DataError(located_message(path, 0, 0, "not an unsigned-byte IDX file (magic 0x" + [&] {
      char hex[16]; std::snprintf(hex, sizeof hex, "%08x", magic); return std::string(hex); }() + ")"));
  if (static_cast<int>(ndims) != expected_dims)
    throw DataError(located_message(path, 0, 0, "expected " + std::to_string(expected_dims) + " dimensions, found " + std::to_string(ndims)));
  array.offset = 4 + 4 * size_t{ndims};
  if (array.bytes.size() < array.offset) throw DataError(located_message(path, 0, 0, "truncated IDX file: incomplete header"));
  size_t expected = 1;
  for (uint32_t d = 0; d < ndims; ++d) {
    array.dims.push_back(big_endian_u32(array.bytes, 4 + 4 * d));
    const auto extent = static_cast<size_t>(array.dims.back());
    if (extent == 0) throw DataError(located_message(path, 0, 0, "dimension " + std::to_string(d) + " of the IDX header is 0: the file holds nothing"));
    if (expected > array.bytes.size() / extent)  // more than the file holds (and no overflow)
      throw DataError(located_message(path, 0, 0, "truncated IDX file: the header declares more data than the file's " +
                                                     std::to_string(array.bytes.size()) + " bytes"));
    expected *= extent;
  }
  const size_t found = array.bytes.size() - array.offset;
  if (found < expected)
    throw DataError(located_message(path, 0, 0, "truncated IDX file: expected " + std::to_string(expected) +
                                                   " bytes of data, found " + std::to_string(found)));
  return array;
}

}  // namespace

std::string idx_labels_beside(const std::string& images_path) {
  const std::filesystem::path images(images_path);
  std::string name = images.filename().string();
  const size_t at = name.find("images-idx3-ubyte");
  if (at == std::string::npos)
    throw DataError(located_message(images_path, 0, 0, "an IDX image file should be named like train-images-idx3-ubyte[.gz], "
                                                       "so that its labels are found beside it"));
  if (!std::filesystem::exists(images)) throw DataError(located_message(images_path, 0, 0, "cannot open: no such file"));
  name.replace(at, std::string("images-idx3-ubyte").size(), "labels-idx1-ubyte");
  const std::filesystem::path labels = images.parent_path() / name;
  if (!std::filesystem::exists(labels))
    throw DataError(located_message(images_path, 0, 0, "no labels beside the images: expected " + labels.string()));
  return labels.string();
}

Table read_idx_pair(const std::string& images_path, const std::string& labels_path) {
  const IdxArray images = read_idx(images_path, 3);
  const IdxArray labels = read_idx(labels_path, 1);
  const int64_t n = images.dims[0], height = images.dims[1], width = images.dims[2];
  if (labels.dims[0] != n)
    throw DataError(located_message(labels_path, 0, 0, std::to_string(labels.dims[0]) + " labels for " +
                                                          std::to_string(n) + " images in " + images_path));
  Table table;
  table.source = images_path;
  table.image_shape = {1, height, width};
  const int64_t pixels = height * width;
  table.columns.resize(static_cast<size_t>(pixels + 1));
  const auto* data = reinterpret_cast<const unsigned char*>(images.bytes.data() + images.offset);
  for (int64_t p = 0; p < pixels; ++p) {
    Column& column = table.columns[p];
    column.name = "px_" + std::to_string(p / width) + "_" + std::to_string(p % width);
    column.values.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) column.values[i] = data[i * pixels + p] / 255.0;
  }
  Column& label = table.columns.back();
  label.name = "label";
  label.nominal = true;
  const auto* label_data = reinterpret_cast<const unsigned char*>(labels.bytes.data() + labels.offset);
  int max_label = 0;
  for (int64_t i = 0; i < n; ++i) max_label = std::max<int>(max_label, label_data[i]);
  for (int c = 0; c <= max_label; ++c) label.categories.push_back(std::to_string(c));
  label.values.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) label.values[i] = label_data[i];
  table.source_lines.assign(static_cast<size_t>(n), 0);
  return table;
}

}  // namespace ndtmoe
