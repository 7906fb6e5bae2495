#pragma once
// What the token views show about an expert of a token-level run: the token values it receives most,
// with their share of all its tokens, and how a token value or position is labelled.

#include <string>
#include <vector>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

struct TokenShare {
  int64_t key = 0;       // token value or position
  int64_t tokens = 0;    // tokens with this key whose top-1 expert is the expert
  double share = 0;      // tokens / all the expert's top-1 tokens
  double mean_weight = 0;  // mean gate weight over all K slots that chose the expert for this key
};

// The expert's `limit` most frequent keys among `cells` (expert_tokens of one layer and axis), most
// first (ties by key).
std::vector<TokenShare> top_tokens(const std::vector<CountCell>& cells, int64_t expert, size_t limit);

// How a token is named in the views: the character for a byte ("a", "\xC3" beyond ASCII, "␣" for a
// space), the feature's name, or "patch r,c" in a grid `patch_columns` patches wide.
std::string token_label(const std::string& token_kind, int64_t value, const std::vector<FeatureInfo>& features = {},
                        int64_t patch_columns = 0);

}  // namespace ndtmoe
