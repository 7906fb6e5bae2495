#include "ndtmoe_views/run_data.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ndtmoe/analysis/token_usage.h"

#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

RunData::RunData(std::shared_ptr<TraceStore> store, int64_t run)
    : store_(std::move(store)),
      run_(run),
      summary_(store_->run(run)),
      description_(store_->description(run)),
      worker_(std::make_unique<StoreWorker>(store_->path())) {
  // A malformed preprocessing record only costs the image views their picture, not the run.
  const nlohmann::json preprocessing = nlohmann::json::parse(description_.preprocessing_json, nullptr, /*allow_exceptions=*/false);
  if (preprocessing.is_object() && preprocessing.contains("image_shape") && preprocessing["image_shape"].is_array()) {
    for (const auto& size : preprocessing["image_shape"])
      if (size.is_number_integer() && size.get<int64_t>() > 0) image_shape_.push_back(size.get<int64_t>());
    if (image_shape_.size() != 3) image_shape_.clear();
  }
  if (preprocessing.is_object() && preprocessing.contains("features") && preprocessing["features"].is_array())
    for (const auto& feature : preprocessing["features"])
      if (feature.is_object() && feature.value("text_length", nlohmann::json(0)).is_number_integer())
        text_length_ = std::max<int64_t>(text_length_, feature.value("text_length", int64_t{0}));
  // The encoded inputs' names, in the preprocessor's order (Preprocessor::encoded_names): a text
  // feature's byte columns, a nominal feature's one-hot slots, a numeric feature itself.
  for (size_t f = 0; f < description_.features.size(); ++f) {
    const FeatureInfo& feature = description_.features[f];
    const nlohmann::json* stored = preprocessing.is_object() && preprocessing.contains("features") && preprocessing["features"].is_array() &&
                                           f < preprocessing["features"].size() ? &preprocessing["features"][f] : nullptr;
    const int64_t text = stored && stored->is_object() && stored->value("text_length", nlohmann::json(0)).is_number_integer()
                             ? stored->value("text_length", int64_t{0}) : 0;
    if (text > 0) {
      for (int64_t i = 0; i < text; ++i) encoded_names_.push_back(QString("%1[%2]").arg(QString::fromStdString(feature.name)).arg(i));
    } else if (feature.nominal) {
      for (const std::string& category : feature.categories)
        encoded_names_.push_back(QString::fromStdString(feature.name + "=" + category));
    } else {
      encoded_names_.push_back(QString::fromStdString(feature.name));
    }
  }
}

QString RunData::encoded_input_name(int64_t input) const {
  return input >= 0 && static_cast<size_t>(input) < encoded_names_.size() ? encoded_names_[static_cast<size_t>(input)]
                                                                          : QString("input %1").arg(input);
}

const std::vector<TreeNodeCount>& RunData::tree_nodes(int64_t layer, int64_t tree) {
  auto it = nodes_.find({layer, tree});
  if (it == nodes_.end()) it = nodes_.emplace(std::make_pair(layer, tree), store_->tree_nodes(run_, layer, tree)).first;
  return it->second;
}

const std::vector<CountCell>& RunData::leaf_experts(int64_t layer, int64_t tree) {
  auto it = leaf_experts_.find({layer, tree});
  if (it == leaf_experts_.end()) it = leaf_experts_.emplace(std::make_pair(layer, tree), store_->leaf_experts(run_, layer, tree)).first;
  return it->second;
}

SampleTrace RunData::sample(int64_t id, std::optional<int64_t> token) {
  SampleTrace trace = store_->sample(run_, id);
  return token ? trace.with_token(*token) : trace;
}

SampleFilter RunData::filter_for(const Selection& s) const {
  SampleFilter f;
  f.limit = -1;
  if (s.expert) {
    f.layer = s.layer;
    f.expert = s.expert;
  }
  if (s.tree_node()) {
    f.layer = s.layer;
    f.tree = s.tree;
    if (*s.tree_level() == summary_.depth) f.leaf = s.tree_node();
    else f.level = s.tree_level(), f.node = s.tree_node();
  }
  if (s.label) f.label = s.label;
  if (s.group) f.samples = *s.group;
  return f;
}

QString RunData::class_name(int64_t label) const {
  return label >= 0 && label < static_cast<int64_t>(description_.classes.size()) ? QString::fromStdString(description_.classes[static_cast<size_t>(label)])
                                                                                 : QString::number(label);
}

QString RunData::token_name(int64_t value) const {
  // Image patches form a square grid in the data sets we read (28x28 images in 7x7 patches: 4x4).
  const auto side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(summary_.tokens))));
  return QString::fromStdString(token_label(summary_.token_kind, value, description_.features, side * side == summary_.tokens ? side : 0));
}

QString RunData::input_name(int64_t input) const {
  return QString::fromStdString(description_.router_inputs.at(static_cast<size_t>(input)).name);
}

QString RunData::value_text(double value) const {
  return classification() ? class_name(static_cast<int64_t>(value)) : QString::number(value, 'g', 5);
}

}  // namespace ndtmoe::views
