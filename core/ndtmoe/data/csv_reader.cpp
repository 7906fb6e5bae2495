#include <algorithm>
#include <cmath>
#include <map>

#include "ndtmoe/data/file_text.h"
#include "ndtmoe/data/readers.h"

namespace ndtmoe {
namespace {

struct Record {
  int64_t line = 0;
  std::vector<std::string> fields;
  std::vector<int64_t> field_columns;  // 1-based character column where each field starts
  std::vector<bool> quoted;
};

char sniff_delimiter(const std::string& text) {
  const size_t end = std::min(text.find('\n'), text.size());
  std::map<char, int> counts{{',', 0}, {';', 0}, {'\t', 0}};
  bool in_quotes = false;
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '"') in_quotes = !in_quotes;
    else if (!in_quotes && counts.count(text[i])) ++counts[text[i]];
  }
  char best = ',';
  for (auto [c, n] : counts) if (n > counts[best]) best = c;
  return best;
}

std::vector<Record> tokenize(const std::string& text, char delimiter, const std::string& source) {
  std::vector<Record> records;
  Record current;
  std::string field;
  bool in_quotes = false, field_quoted = false, record_has_content = false;
  int64_t line = 1, column = 1, field_start_column = 1, quote_line = 0;
  current.line = 1;
  auto end_field = [&]() {
    current.fields.push_back(field_quoted ? field : trim(field));
    current.field_columns.push_back(field_start_column);
    current.quoted.push_back(field_quoted);
    field.clear();
    field_quoted = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; ++column; }
      else if (c == '"') in_quotes = false;
      else { field += c; if (c == '\n') { ++line; column = 0; } }
      ++column;
      continue;
    }
    if (c == '"' && trim(field).empty()) {
      in_quotes = field_quoted = record_has_content = true;
      quote_line = line;
      field.clear();
    } else if (c == delimiter) {
      end_field();
      record_has_content = true;
      field_start_column = column + 1;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      if (record_has_content || !trim(field).empty()) { end_field(); records.push_back(std::move(current)); }
      current = Record{};
      record_has_content = false;
      ++line;
      column = 0;
      field_start_column = 1;
      current.line = line;
    } else {
      field += c;
      if (c != ' ' && c != '\t' && c != '\r') record_has_content = true;
    }
    ++column;
  }
  if (in_quotes) throw DataError(located_message(source, quote_line, 0, "unterminated quoted field"));
  if (record_has_content || !trim(field).empty()) { end_field(); records.push_back(std::move(current)); }
  return records;
}

}  // namespace

Table parse_csv(const std::string& text, const std::string& source) {
  std::vector<Record> records = tokenize(text, sniff_delimiter(text), source);
  if (records.empty()) throw DataError(located_message(source, 0, 0, "empty file (no header row)"));
  const Record& header = records.front();
  const size_t width = header.fields.size();
  Table table;
  table.source = source;
  for (size_t c = 0; c < width; ++c) {
    std::string name = header.fields[c];
    if (name.empty()) name = "column" + std::to_string(c + 1);
    for (const auto& existing : table.columns)
      if (existing.name == name)
        throw DataError(located_message(source, header.line, header.field_columns[c], "duplicate column name '" + name + "'"));
    table.columns.push_back(Column{name, false, {}, {}});
  }
  if (records.size() == 1) throw DataError(located_message(source, header.line, 0, "header row but no data rows"));
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != width)
      throw DataError(located_message(source, records[r].line, 0,
                                      "expected " + std::to_string(width) + " fields as in the header, found " +
                                          std::to_string(records[r].fields.size())));
    table.source_lines.push_back(records[r].line);
  }

  for (size_t c = 0; c < width; ++c) {
    Column& column = table.columns[c];
    size_t numeric = 0, present = 0;
    const Record* first_bad = nullptr;
    std::vector<double> numbers(records.size() - 1, kMissing);
    for (size_t r = 1; r < records.size(); ++r) {
      const std::string& token = records[r].fields[c];
      if (!records[r].quoted[c] && is_missing_token(token)) continue;
      ++present;
      double v;
      if (parse_number(token, &v)) {
        numbers[r - 1] = v;
        ++numeric;
        continue;
      }
      if (const std::string why = unusable_number(token); !why.empty())
        throw DataError(located_message(source, records[r].line, records[r].field_columns[c],
                                        quoted_excerpt(token) + " in column '" + column.name + "' is " + why));
      if (!first_bad) first_bad = &records[r];
    }
    if (present > 0 && numeric == present) { column.values = std::move(numbers); continue; }
    // A mostly numeric column with a few unparsable entries is a typo, not a nominal attribute.
    if (numeric * 2 > present && first_bad)
      throw DataError(located_message(source, first_bad->line, first_bad->field_columns[c],
                                      "cannot parse " + quoted_excerpt(first_bad->fields[c]) + " as a number in numeric column '" +
                                          column.name + "'"));
    column.nominal = true;
    std::map<std::string, int64_t> index;
    for (size_t r = 1; r < records.size(); ++r) {
      const std::string& token = records[r].fields[c];
      if (!records[r].quoted[c] && is_missing_token(token)) continue;
      index.emplace(token, 0);
    }
    for (auto& [name, idx] : index) { idx = static_cast<int64_t>(column.categories.size()); column.categories.push_back(name); }
    column.values.assign(records.size() - 1, kMissing);
    for (size_t r = 1; r < records.size(); ++r) {
      const std::string& token = records[r].fields[c];
      if (!records[r].quoted[c] && is_missing_token(token)) continue;
      column.values[r - 1] = static_cast<double>(index.at(token));
    }
  }
  return table;
}

Table read_csv(const std::string& path) { return parse_csv(read_file_bytes(path), path); }

}  // namespace ndtmoe
