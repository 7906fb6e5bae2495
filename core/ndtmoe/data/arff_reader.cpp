#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

#include "ndtmoe/data/file_text.h"
#include "ndtmoe/data/readers.h"

namespace ndtmoe {
namespace {

enum class AttributeKind { Numeric, Nominal, String };

struct Attribute {
  AttributeKind kind;
  std::map<std::string, int64_t> nominal_index;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Reads one possibly quoted token starting at `pos`; stops at any character in `stops` outside quotes.
std::string next_token(const std::string& text, size_t& pos, const char* stops, bool* was_quoted = nullptr) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (was_quoted) *was_quoted = false;
  if (pos < text.size() && (text[pos] == '\'' || text[pos] == '"')) {
    const char quote = text[pos++];
    std::string token;
    while (pos < text.size() && text[pos] != quote) {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      token += text[pos++];
    }
    if (pos >= text.size()) throw std::runtime_error("unterminated quote");
    ++pos;
    if (was_quoted) *was_quoted = true;
    return token;
  }
  const size_t start = pos;
  while (pos < text.size() && !std::strchr(stops, text[pos])) ++pos;
  return trim(text.substr(start, pos - start));
}

// Splits on commas outside quotes; whitespace around unquoted values is dropped.
std::vector<std::pair<std::string, bool>> split_values(const std::string& text) {
  std::vector<std::pair<std::string, bool>> values;
  size_t pos = 0;
  for (;;) {
    bool quoted = false;
    std::string token = next_token(text, pos, ",", &quoted);
    values.emplace_back(token, quoted);
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    if (pos >= text.size()) break;
    if (text[pos] != ',') throw std::runtime_error("unexpected character '" + std::string(1, text[pos]) + "' after value");
    ++pos;
  }
  return values;
}

}  // namespace

Table parse_arff(const std::string& text, const std::string& source) {
  const std::vector<std::string> lines = split_lines(text);
  Table table;
  table.source = source;
  std::vector<Attribute> attributes;
  bool in_data = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const int64_t line_no = static_cast<int64_t>(i + 1);
    const std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '%') continue;
    auto fail = [&](const std::string& cause) -> DataError { return DataError(located_message(source, line_no, 0, cause)); };
    if (!in_data) {
      if (line[0] != '@') throw fail("expected @relation, @attribute or @data, found " + quoted_excerpt(line));
      size_t pos = 1;
      std::string keyword;
      try {
        keyword = lower(next_token(line, pos, " \t"));
      } catch (const std::exception& e) { throw fail(e.what()); }
      if (keyword == "relation") continue;
      if (keyword == "data") {
        if (attributes.empty()) throw fail("@data before any @attribute");
        in_data = true;
        continue;
      }
      if (keyword != "attribute") throw fail("unknown declaration '@" + keyword + "'");
      std::string name, type;
      try {
        name = next_token(line, pos, " \t{");
      } catch (const std::exception& e) { throw fail(e.what()); }
      if (name.empty()) throw fail("@attribute without a name");
      const std::string rest = trim(line.substr(pos));
      Column column{name, false, {}, {}};
      Attribute attribute{AttributeKind::Numeric, {}};
      if (!rest.empty() && rest[0] == '{') {
        const size_t close = rest.rfind('}');
        if (close == std::string::npos) throw fail("nominal attribute '" + name + "' lacks a closing '}'");
        column.nominal = true;
        attribute.kind = AttributeKind::Nominal;
        try {
          for (const auto& [value, quoted] : split_values(rest.substr(1, close - 1))) {
            if (value.empty() && !quoted) continue;
            if (attribute.nominal_index.count(value)) throw fail("nominal attribute '" + name + "' lists '" + value + "' twice");
            attribute.nominal_index[value] = static_cast<int64_t>(column.categories.size());
            column.categories.push_back(value);
          }
        } catch (const DataError&) { throw; } catch (const std::exception& e) { throw fail(e.what()); }
      } else {
        type = lower(rest.substr(0, rest.find_first_of(" \t")));
        if (type == "numeric" || type == "real" || type == "integer") attribute.kind = AttributeKind::Numeric;
        else if (type == "string") { attribute.kind = AttributeKind::String; column.nominal = true; column.text = true; }
        else if (type == "date") throw fail("date attribute '" + name + "' is not supported; convert it to numeric");
        else throw fail("unknown type '" + rest + "' for attribute '" + name + "'");
      }
      for (const auto& existing : table.columns)
        if (existing.name == name) throw fail("duplicate attribute name '" + name + "'");
      table.columns.push_back(std::move(column));
      attributes.push_back(std::move(attribute));
      continue;
    }

    // Data row: dense "v1, v2, ..." or sparse "{index value, ...}" (omitted entries are 0).
    std::vector<std::pair<std::string, bool>> values;
    std::vector<bool> omitted(attributes.size(), false);  // sparse rows: value index 0 (0, or the first category)
    try {
      if (line[0] == '{') {
        const size_t close = line.rfind('}');
        if (close == std::string::npos) throw fail("sparse row lacks a closing '}'");
        if (line.find_first_not_of(" \t", close + 1) != std::string::npos) throw fail("unexpected text after the sparse row's '}'");
        values.assign(attributes.size(), {"", false});
        omitted.assign(attributes.size(), true);
        for (const auto& [entry, quoted] : split_values(line.substr(1, close - 1))) {
          if (entry.empty()) continue;
          size_t pos = 0;
          const std::string index_text = next_token(entry, pos, " \t");
          double index;
          // Written so that NaN fails too: an index must be a whole number of an attribute.
          if (!parse_number(index_text, &index) || !(index >= 0 && index < static_cast<double>(attributes.size()) && index == std::floor(index)))
            throw fail("bad sparse index " + quoted_excerpt(index_text) + " (expected 0.." + std::to_string(attributes.size() - 1) + ")");
          bool value_quoted = false;
          values[static_cast<size_t>(index)] = {next_token(entry, pos, "", &value_quoted), value_quoted};
          omitted[static_cast<size_t>(index)] = false;
        }
      } else {
        values = split_values(line);
      }
    } catch (const DataError&) { throw; } catch (const std::exception& e) { throw fail(e.what()); }
    if (values.size() != attributes.size())
      throw fail("expected " + std::to_string(attributes.size()) + " values, found " + std::to_string(values.size()));
    for (size_t a = 0; a < attributes.size(); ++a) {
      const auto& [token, quoted] = values[a];
      Column& column = table.columns[a];
      if (!quoted && token == "?") { column.values.push_back(kMissing); continue; }
      if (omitted[a] && attributes[a].kind != AttributeKind::String) { column.values.push_back(0.0); continue; }
      const int64_t column_no = static_cast<int64_t>(a + 1);
      auto fail_at = [&](const std::string& cause) { return DataError(located_message(source, line_no, column_no, cause)); };
      switch (attributes[a].kind) {
        case AttributeKind::Numeric: {
          double v;
          if (!parse_number(token, &v)) {
            const std::string why = unusable_number(token);
            throw fail_at(why.empty() ? "cannot parse " + quoted_excerpt(token) + " as a number for attribute '" + column.name + "'"
                                      : quoted_excerpt(token) + " for attribute '" + column.name + "' is " + why);
          }
          column.values.push_back(v);
          break;
        }
        case AttributeKind::Nominal: {
          auto it = attributes[a].nominal_index.find(token);
          if (it == attributes[a].nominal_index.end())
            throw fail_at("unknown value " + quoted_excerpt(token) + " for nominal attribute '" + column.name + "'");
          column.values.push_back(static_cast<double>(it->second));
          break;
        }
        case AttributeKind::String: {
          auto [it, inserted] = attributes[a].nominal_index.emplace(token, static_cast<int64_t>(column.categories.size()));
          if (inserted) column.categories.push_back(token);
          column.values.push_back(static_cast<double>(it->second));
          break;
        }
      }
    }
    table.source_lines.push_back(line_no);
  }
  if (attributes.empty()) throw DataError(located_message(source, 0, 0, "no @attribute declarations (empty or not an ARFF file)"));
  if (!in_data) throw DataError(located_message(source, 0, 0, "no @data section"));
  return table;
}

Table read_arff(const std::string& path) { return parse_arff(read_file_bytes(path), path); }

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Table read_table(const std::string& path, const std::string& labels) {
  std::string base = lower(path);
  if (ends_with(base, ".gz")) base.resize(base.size() - 3);
  if (ends_with(base, "-idx3-ubyte")) return read_idx_pair(path, labels.empty() ? idx_labels_beside(path) : labels);
  if (!labels.empty())
    throw DataError(located_message(path, 0, 0, "labels file " + labels + " given, but only IDX images (*-idx3-ubyte) take their labels from another file"));
  if (ends_with(base, ".csv") || ends_with(base, ".tsv") || ends_with(base, ".txt")) return read_csv(path);
  if (ends_with(base, ".arff")) return read_arff(path);
  throw DataError(located_message(path, 0, 0, "unknown file type (expected .csv, .tsv, .arff, or IDX images named *-images-idx3-ubyte; "
                                              "each optionally .gz)"));
}

}  // namespace ndtmoe
