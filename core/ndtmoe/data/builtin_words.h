#pragma once
// builtin:words — language identification of single words, from Debian's word lists (wamerican,
// wngerman, wfrench, wspanish, witalian, wportuguese). Words are lower-cased (ASCII letters), kept when
// 2..16 bytes of letters only, deduplicated, and dropped when two languages share them; each language
// contributes the same number of words, drawn with the seed. The input is the word as text.

#include <cstdint>
#include <string>
#include <vector>

#include "ndtmoe/data/table.h"

namespace ndtmoe {

struct WordList {
  std::string language, path, package;
};
const std::vector<WordList>& word_lists();

// rows <= 0: 12,000 (2,000 per language); otherwise `rows`, the languages differing by at most one word.
Table words_table(uint64_t seed, int64_t rows);

}  // namespace ndtmoe
