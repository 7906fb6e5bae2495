#pragma once
// Readers for the data formats the workbench opens. Every reader fails with a DataError that names the
// file, the line (and column where one applies) and the cause; no row is ever dropped silently.

#include <string>

#include "ndtmoe/data/table.h"

namespace ndtmoe {

// CSV with a header row. The delimiter (',', ';', tab) is sniffed from the header; fields may be quoted
// (RFC 4180, doubled quotes, embedded newlines). Empty, "NA", "N/A", "NaN" and "?" are missing values.
// A column is numeric when every present value parses as a number, otherwise nominal.
Table read_csv(const std::string& path);
Table parse_csv(const std::string& text, const std::string& source);

// Weka ARFF: numeric/real/integer, nominal {a, b}, string attributes; '?' missing; '%' comments; quoted
// names and values; sparse rows "{index value, ...}". Values outside a nominal attribute's set are errors.
Table read_arff(const std::string& path);
Table parse_arff(const std::string& text, const std::string& source);

// IDX (MNIST layout): an unsigned-byte image file (magic 0x803) and its label file (magic 0x801), gzip
// or plain. Pixels are scaled to [0, 1]; the label becomes a nominal column named "label".
Table read_idx_pair(const std::string& images_path, const std::string& labels_path);
// MNIST's naming: X-images-idx3-ubyte[.gz] has its labels in X-labels-idx1-ubyte[.gz] beside it.
std::string idx_labels_beside(const std::string& images_path);

// Chooses the reader by extension (.csv, .arff, each optionally .gz).
// `labels`: an IDX image file's labels when they are not beside it under MNIST's name; refused for other files.
Table read_table(const std::string& path, const std::string& labels = {});

// Helpers shared by the text readers.
bool is_missing_token(const std::string& token);
// The whole token as a usable number: finite and within ±kLargestValue. "5.1\0junk", "inf", "1e309" are not;
// an underflow ("1e-320") reads as the tiny number it is.
bool parse_number(const std::string& token, double* value);
// For a token that reads as a number but cannot be used as one (infinite, outside a double's range, or
// too large to standardise), why; empty otherwise.
std::string unusable_number(const std::string& token);
// Values beyond this magnitude would overflow when squared for standardisation.
constexpr double kLargestValue = 1e150;
// `token` for an error message: at most 60 characters, control characters shown as '?', its length said
// when it was cut.
std::string quoted_excerpt(const std::string& token);
std::string trim(const std::string& text);

}  // namespace ndtmoe
