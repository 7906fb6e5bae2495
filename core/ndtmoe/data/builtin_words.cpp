#include "ndtmoe/data/builtin_words.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "ndtmoe/data/builtin_data.h"

namespace ndtmoe {

namespace {

constexpr size_t kShortestWord = 2, kLongestWord = 16;

// The word lower-cased, or empty when it has anything but letters (digits, apostrophes, hyphens) or
// its length in bytes is out of range. Bytes >= 0x80 are parts of UTF-8 letters (é, ß, ç...).
std::string normalized_word(std::string word) {
  if (!word.empty() && word.back() == '\r') word.pop_back();
  if (word.size() < kShortestWord || word.size() > kLongestWord) return {};
  for (char& c : word) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) continue;
    if (!std::isalpha(byte)) return {};
    c = static_cast<char>(std::tolower(byte));
  }
  return word;
}

std::set<std::string> read_words(const WordList& list) {
  std::ifstream in(list.path);
  if (!in)
    throw DataError("builtin:words: cannot read " + list.path + " (the " + list.language + " word list; install the Debian package " +
                    list.package + ", as packaging/install-deps.sh does)");
  std::set<std::string> words;
  for (std::string line; std::getline(in, line);)
    if (std::string word = normalized_word(line); !word.empty()) words.insert(std::move(word));
  return words;
}

}  // namespace

const std::vector<WordList>& word_lists() {
  static const std::vector<WordList> lists = {
      {"english", system_share_path("dict/american-english"), "wamerican"}, {"german", system_share_path("dict/ngerman"), "wngerman"},
      {"french", system_share_path("dict/french"), "wfrench"},              {"spanish", system_share_path("dict/spanish"), "wspanish"},
      {"italian", system_share_path("dict/italian"), "witalian"},           {"portuguese", system_share_path("dict/portuguese"), "wportuguese"},
  };
  return lists;
}

Table words_table(uint64_t seed, int64_t rows) {
  const auto& lists = word_lists();
  const auto languages = static_cast<int64_t>(lists.size());
  const int64_t total = rows > 0 ? rows : 12000;
  const int64_t per_language = total / languages;  // the first total % languages languages give one more
  if (per_language < 1) throw DataError("builtin:words: --rows must be at least " + std::to_string(languages) + " (one word per language)");

  std::vector<std::set<std::string>> words;
  std::map<std::string, int> languages_of;
  for (const WordList& list : lists) {
    words.push_back(read_words(list));
    for (const std::string& w : words.back()) ++languages_of[w];
  }
  std::mt19937_64 rng(seed);
  std::vector<std::pair<std::string, int64_t>> drawn;
  for (int64_t l = 0; l < languages; ++l) {
    std::vector<std::string> own;
    for (const std::string& w : words[static_cast<size_t>(l)]) if (languages_of[w] == 1) own.push_back(w);
    const int64_t wanted = per_language + (l < total % languages ? 1 : 0);
    if (static_cast<int64_t>(own.size()) < wanted)
      throw DataError("builtin:words: " + lists[static_cast<size_t>(l)].path + " has only " + std::to_string(own.size()) +
                      " words of its own; ask for fewer rows");
    std::shuffle(own.begin(), own.end(), rng);
    for (int64_t i = 0; i < wanted; ++i) drawn.emplace_back(std::move(own[static_cast<size_t>(i)]), l);
  }
  std::shuffle(drawn.begin(), drawn.end(), rng);

  Table table;
  table.source = "builtin:words";
  Column word{"word", true, {}, {}, /*text=*/true}, language{"language", true, {}, {}};
  for (const WordList& list : lists) language.categories.push_back(list.language);
  for (const auto& drawn_word : drawn) word.categories.push_back(drawn_word.first);
  std::sort(word.categories.begin(), word.categories.end());
  for (const auto& [text, l] : drawn) {
    word.values.push_back(static_cast<double>(std::lower_bound(word.categories.begin(), word.categories.end(), text) - word.categories.begin()));
    language.values.push_back(static_cast<double>(l));
    table.source_lines.push_back(0);
  }
  table.columns = {std::move(word), std::move(language)};
  return table;
}

}  // namespace ndtmoe
