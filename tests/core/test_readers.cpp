#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>

#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/data/dataset.h"
#include "ndtmoe/data/readers.h"
#include "ndtmoe/train/run_directory.h"
#include "test_support.h"

using namespace ndtmoe;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::shared_data;

namespace {

// Expects a DataError whose message contains every fragment.
template <typename Fn>
void expect_data_error(Fn fn, std::initializer_list<std::string> fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected a DataError";
  } catch (const DataError& e) {
    for (const auto& f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what() << " lacks " << f;
  }
}

}  // namespace

TEST(CsvReader, ReadsTheSharedDataSets) {
  struct Expected { const char* file; int64_t rows; size_t features; int64_t classes; };
  for (const Expected& e : {Expected{"iris.csv", 150, 4, 3}, Expected{"wine.csv", 178, 13, 3},
                            Expected{"breast_cancer.csv", 569, 30, 2}, Expected{"digits.csv", 1797, 64, 10}}) {
    Dataset d = make_dataset(read_csv(shared_data(e.file)), "");
    EXPECT_EQ(d.rows(), e.rows) << e.file;
    EXPECT_EQ(d.features.columns.size(), e.features) << e.file;
    EXPECT_EQ(d.task, TaskKind::Classification) << e.file;
    EXPECT_EQ(d.num_classes(), e.classes) << e.file;
  }
  Dataset reg = make_dataset(read_csv(shared_data("diabetes_regression.csv")), "");
  EXPECT_EQ(reg.task, TaskKind::Regression);
  EXPECT_EQ(reg.rows(), 442);
}

TEST(CsvReader, QuotesDelimitersMissingValuesAndNominalColumns) {
  const std::string text =
      "name;\"size; in cm\";colour;label\r\n"
      "\"Smith, \"\"J\"\"\";1,5;red;a\r\n"  // ';' sniffed from the header; comma inside a number is not a number
      "Jones;NA;\"blue\";b\r\n";
  // "1,5" is not a number, so the column with one unparsable and one missing value is nominal.
  Table t = parse_csv(text, "mem.csv");
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[0].categories[static_cast<size_t>(t.columns[0].values[0])], "Smith, \"J\"");
  EXPECT_EQ(t.columns[1].name, "size; in cm");
  EXPECT_TRUE(std::isnan(t.columns[1].values[1]));
  EXPECT_TRUE(t.columns[2].nominal);
  EXPECT_EQ(t.source_lines, (std::vector<int64_t>{2, 3}));

  Table numeric = parse_csv("a,b\n1, 2.5\n?,-3e2\n\n", "n.csv");
  EXPECT_FALSE(numeric.columns[1].nominal);
  EXPECT_DOUBLE_EQ(numeric.columns[1].values[1], -300.0);
  EXPECT_TRUE(std::isnan(numeric.columns[0].values[1]));
  Table multiline = parse_csv("text,y\n\"two\nlines\",1\nx,2\n", "m.csv");
  EXPECT_EQ(multiline.rows(), 2);
  EXPECT_EQ(multiline.source_lines[1], 4);
}

TEST(CsvReader, MalformedInputNamesFileLineAndCause) {
  expect_data_error([] { parse_csv("", "empty.csv"); }, {"empty.csv", "empty"});
  expect_data_error([] { parse_csv("a,b\n", "header.csv"); }, {"header.csv", "no data rows"});
  expect_data_error([] { parse_csv("a,b\n1,2\n3\n4,5\n", "ragged.csv"); }, {"ragged.csv:3", "expected 2 fields", "found 1"});
  expect_data_error([] { parse_csv("a,b\n1,2\n3,x7\n4,5\n6,7\n", "typo.csv"); }, {"typo.csv:3:3", "x7", "'b'"});
  expect_data_error([] { parse_csv("a,b\n\"1,2\n", "quote.csv"); }, {"quote.csv:2", "unterminated"});
  expect_data_error([] { read_csv("/nonexistent/file.csv"); }, {"/nonexistent/file.csv", "cannot open"});
  expect_data_error([] { make_dataset(parse_csv("a,b\n1,\n", "t.csv"), ""); }, {"t.csv:2", "missing value in target"});
  expect_data_error([] { make_dataset(parse_csv("a,b\n1,2\n", "t.csv"), "c"); }, {"no column named 'c'"});
}

TEST(Readers, ANumberIsTheWholeTokenFiniteAndWithinWhatStandardisationCanSquare) {
  // "5.1\0junk" is not 5.1: with the rest of its column numeric it is a typo at its line.
  expect_data_error([] { parse_csv(std::string("a,b\n1,2\n5.1\0junk,3\n4,5\n6,7\n", 27), "nul.csv"); }, {"nul.csv:3:1", "5.1?junk", "'a'"});
  // Overflow, infinity and magnitudes whose squares overflow are refused where they stand, not read as
  // categories or carried into training.
  expect_data_error([] { parse_csv("a,b\n1e309,1\n1e309,2\n", "big.csv"); }, {"big.csv:2:1", "'1e309'", "outside the range of a double"});
  expect_data_error([] { parse_csv("a,b\n1,1\ninf,2\n", "inf.csv"); }, {"inf.csv:3:1", "'inf'", "not a finite number"});
  expect_data_error([] { parse_csv("a,b\n1,1\n1e200,2\n", "huge.csv"); }, {"huge.csv:3:1", "1e150"});
  const std::string head = "@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n";
  expect_data_error([&] { parse_arff(head + "1,a\n-inf,b\n", "inf.arff"); }, {"inf.arff:6:1", "'-inf'", "not a finite number"});
  // Denormals are the tiny numbers they are.
  const Table t = parse_csv("a,b\n1e-320,1\n2,2\n", "tiny.csv");
  EXPECT_FALSE(t.columns[0].nominal);
  EXPECT_GT(t.columns[0].values[0], 0.0);
  EXPECT_LT(t.columns[0].values[0], 1e-300);
}

TEST(Readers, AMessageQuotesAnExcerptOfAHugeToken) {
  const std::string huge(5 * 1024 * 1024, 'x');
  try {
    parse_csv("a,b\n1,2\n3," + huge + "\n4,5\n6,7\n", "long.csv");
    FAIL() << "a 5 MB token in a numeric column was accepted";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_LT(message.size(), 300u) << message.substr(0, 300);
    EXPECT_NE(message.find("(5242880 bytes)"), std::string::npos) << message.substr(0, 300);
    EXPECT_NE(message.find("long.csv:3:3"), std::string::npos);
  }
}

TEST(CsvReader, ReadsGzipTransparently) {
  ScratchDir dir;
  const std::string path = dir.file("data.csv.gz");
  gzFile f = gzopen(path.c_str(), "wb");
  const std::string text = "x,y\n1,a\n2,b\n";
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  Table t = read_table(path);
  EXPECT_EQ(t.rows(), 2);
  EXPECT_TRUE(t.columns[1].nominal);
}

TEST(ArffReader, ReadsNominalAndNumericWekaFiles) {
  Dataset weather = make_dataset(read_arff(shared_data("weather.nominal.arff")), "");
  EXPECT_EQ(weather.rows(), 14);
  EXPECT_EQ(weather.target_name, "play");
  EXPECT_EQ(weather.class_names, (std::vector<std::string>{"yes", "no"}));
  EXPECT_TRUE(weather.features.columns[0].nominal);
  EXPECT_EQ(weather.features.columns[0].categories, (std::vector<std::string>{"sunny", "overcast", "rainy"}));

  Dataset lenses = make_dataset(read_arff(shared_data("contact-lenses.arff")), "");
  EXPECT_EQ(lenses.rows(), 24);
  EXPECT_EQ(lenses.num_classes(), 3);
  Dataset diabetes = make_dataset(read_arff(shared_data("diabetes.arff")), "");
  EXPECT_EQ(diabetes.rows(), 768);
  EXPECT_EQ(diabetes.features.columns.size(), 8u);
  Dataset glass = make_dataset(read_arff(shared_data("glass.arff")), "");
  EXPECT_EQ(glass.rows(), 214);
  EXPECT_EQ(glass.num_classes(), 6);  // 7 declared, 6 present
}

TEST(ArffReader, QuotingWhitespaceSparseRowsAndMissingValues) {
  const std::string text =
      "% comment\n@RELATION test\n"
      "@attribute 'my attr' { 'a b' , c ,d}\n"
      "@attribute x NUMERIC\n"
      "@attribute s string\n"
      "@data\n"
      "'a b', 1.5, hello\n"
      " c , ?, 'quoted, text'\n"
      "{1 4, 2 z}\n";
  Table t = parse_arff(text, "t.arff");
  ASSERT_EQ(t.rows(), 3);
  EXPECT_EQ(t.columns[0].name, "my attr");
  EXPECT_EQ(t.columns[0].categories, (std::vector<std::string>{"a b", "c", "d"}));
  EXPECT_EQ(t.columns[0].values, (std::vector<double>{0, 1, 0}));  // sparse row: omitted = first value
  EXPECT_TRUE(std::isnan(t.columns[1].values[1]));
  EXPECT_DOUBLE_EQ(t.columns[1].values[2], 4.0);
  EXPECT_EQ(t.columns[2].categories, (std::vector<std::string>{"hello", "quoted, text", "z"}));
}

TEST(ArffReader, MalformedInputNamesFileLineAndCause) {
  const std::string head = "@relation r\n@attribute c {a,b}\n@attribute x numeric\n@data\n";
  expect_data_error([&] { parse_arff(head + "a,1\nq,2\n", "n.arff"); }, {"n.arff:6:1", "unknown value 'q'", "'c'"});
  expect_data_error([&] { parse_arff(head + "a,1\nb,abc\n", "x.arff"); }, {"x.arff:6:2", "cannot parse 'abc'"});
  expect_data_error([&] { parse_arff(head + "a,1,3\n", "w.arff"); }, {"w.arff:5", "expected 2 values, found 3"});
  expect_data_error([] { parse_arff("", "e.arff"); }, {"e.arff", "no @attribute"});
  expect_data_error([] { parse_arff("@relation r\n@attribute x numeric\n", "d.arff"); }, {"no @data"});
  expect_data_error([] { parse_arff("@relation r\n@attribute x date\n@data\n", "t.arff"); }, {"t.arff:2", "date"});
}

namespace {

std::string idx_header(uint32_t magic, std::initializer_list<uint32_t> dims) {
  std::string h;
  auto put = [&](uint32_t v) { for (int s = 24; s >= 0; s -= 8) h += static_cast<char>((v >> s) & 0xff); };
  put(magic);
  for (uint32_t d : dims) put(d);
  return h;
}

}  // namespace

TEST(IdxReader, ReadsImagesAndLabelsAndRejectsTruncation) {
  ScratchDir dir;
  std::string images = idx_header(0x803, {2, 2, 2}) + std::string("\x00\xff\x80\x00\x10\x20\x30\x40", 8);
  std::string labels = idx_header(0x801, {2}) + std::string("\x01\x00", 2);
  Table t = read_idx_pair(dir.file("img", images), dir.file("lbl", labels));
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.image_shape, (std::vector<int64_t>{1, 2, 2}));
  EXPECT_DOUBLE_EQ(t.columns[1].values[0], 1.0);
  EXPECT_DOUBLE_EQ(t.columns[4].values[0], 1.0);  // label column
  expect_data_error([&] { read_idx_pair(dir.file("short", images.substr(0, images.size() - 3)), dir.file("lbl")); },
                    {"short", "truncated", "expected 8 bytes", "found 5"});
  expect_data_error([&] { read_idx_pair(dir.file("img"), dir.file("bad", idx_header(0x803, {2, 2, 2}))); },
                    {"bad", "expected 1 dimensions"});
}

TEST(IdxReader, ReadsAUsersImagesByNameWithTheLabelsBesideThem) {
  ScratchDir dir;
  // Four 2x2 images; labels 0, 1, 255 and 1: a label far past the others becomes its own class, not an index.
  const std::string images = dir.file("kmnist-images-idx3-ubyte", idx_header(0x803, {4, 2, 2}) + std::string(16, '\x40'));
  dir.file("kmnist-labels-idx1-ubyte", idx_header(0x801, {4}) + std::string("\x00\x01\xff\x01", 4));
  const Table t = read_table(images);
  EXPECT_EQ(t.rows(), 4);
  EXPECT_EQ(t.image_shape, (std::vector<int64_t>{1, 2, 2}));
  const Dataset data = make_dataset(t, "");
  EXPECT_EQ(data.class_names, (std::vector<std::string>{"0", "1", "255"}));
  EXPECT_EQ(data.labels, (std::vector<int64_t>{0, 1, 2, 1}));

  expect_data_error([&] { read_table(dir.file("pictures-idx3-ubyte", idx_header(0x803, {1, 1, 1}) + "a")); },
                    {"pictures-idx3-ubyte", "named like train-images-idx3-ubyte"});
  expect_data_error([&] { read_table(dir.file("lonely-images-idx3-ubyte", idx_header(0x803, {1, 1, 1}) + "a")); },
                    {"lonely-images-idx3-ubyte", "no labels beside the images", "lonely-labels-idx1-ubyte"});
}

TEST(IdxReader, LabelsGivenByNameAreReadAndRecordedWithTheRun) {
  ScratchDir dir;
  // Images whose name does not follow MNIST's, labels elsewhere: --labels names them.
  const std::string images = dir.file("pictures-idx3-ubyte", idx_header(0x803, {4, 2, 2}) + std::string(16, '\x40'));
  const std::string labels = dir.file("answers.idx1", idx_header(0x801, {4}) + std::string("\x00\x01\x01\x00", 4));
  const Table t = load_data_source(images, 0, 0, labels);
  EXPECT_EQ(t.rows(), 4);
  EXPECT_EQ(make_dataset(t, "").labels, (std::vector<int64_t>{0, 1, 1, 0}));
  expect_data_error([&] { load_data_source(dir.file("table.csv", "a,b\n1,x\n"), 0, 0, labels); }, {"table.csv", "answers.idx1", "only IDX images"});
  expect_data_error([&] { load_data_source("builtin:rule-tree", 0, 0, labels); }, {"builtin:rule-tree", "its own labels"});
  DataDescription d = DataDescription::holdout(images);
  d.labels = labels;
  EXPECT_EQ(DataDescription::from_json(d.to_json()).labels, labels);
  EXPECT_EQ(d.load().rows(), 4);
}

TEST(IdxReader, ALabelOutsideTheDeclaredClassesIsRefusedWithItsRow) {
  Table t;
  t.source = "labels.idx";
  t.columns.resize(2);
  t.columns[0].name = "px";
  t.columns[0].values = {0.1, 0.2, 0.3};
  t.columns[1].name = "label";
  t.columns[1].nominal = true;
  t.columns[1].categories = {"a", "b"};
  t.columns[1].values = {0, 1, 10};
  t.source_lines = {1, 2, 3};
  expect_data_error([&] { make_dataset(t, ""); }, {"labels.idx:3", "value 10", "outside its 2 classes"});
}

TEST(IdxReader, ReadsFashionMnistFromTheDebianPackage) {
  Table test = load_builtin("fashion-mnist-test", 0, 100);
  EXPECT_EQ(test.rows(), 100);
  EXPECT_EQ(test.columns.size(), 785u);
  EXPECT_EQ(test.columns.back().categories.size(), 10u);
}

TEST(BuiltinData, ReadsItsSystemFilesWhereNdtmoeShareDirPoints) {
  ScratchDir dir;
  const char* before = std::getenv("NDTMOE_SHARE_DIR");
  const std::string saved = before ? before : "";
  setenv("NDTMOE_SHARE_DIR", dir.path().c_str(), 1);
  EXPECT_EQ(fashion_mnist_dir(), dir.path() + "/datasets/fashion-mnist");
  // The folder holds no IDX files, so the reader names the file it looked for there.
  expect_data_error([&] { load_builtin("fashion-mnist-test", 0, 10); }, {dir.path() + "/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"});
  // Labels past Fashion-MNIST's ten classes name the labels file instead of indexing past the names.
  std::filesystem::create_directories(dir.path() + "/datasets/fashion-mnist");
  const auto write_gz = [](const std::string& path, const std::string& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  };
  const std::string split = dir.path() + "/datasets/fashion-mnist/t10k-";
  write_gz(split + "images-idx3-ubyte.gz", idx_header(0x803, {2, 1, 1}) + "ab");
  write_gz(split + "labels-idx1-ubyte.gz", idx_header(0x801, {2}) + std::string("\x03\x0a", 2));
  expect_data_error([&] { load_builtin("fashion-mnist-test"); }, {split + "labels-idx1-ubyte.gz", "label 10 outside Fashion-MNIST's 10 classes"});
  unsetenv("NDTMOE_SHARE_DIR");
  EXPECT_EQ(system_share_path("dict/french"), "/usr/share/dict/french");
  if (!saved.empty()) setenv("NDTMOE_SHARE_DIR", saved.c_str(), 1);
}

TEST(Images, PixelColumnsAreDeclaredAsImagesOnlyWhenTheShapeFits) {
  Dataset digits = make_dataset(read_csv(shared_data("digits.csv")), "");
  Dataset wrong = digits;
  expect_data_error([&] { declare_image(wrong, {1, 8, 7}); }, {"digits.csv", "64 feature columns", "1x8x7 has 56 pixels"});
  EXPECT_TRUE(wrong.features.image_shape.empty());
  expect_data_error([&] { declare_image(wrong, {0, 8, 8}); }, {"three positive sizes"});
  declare_image(digits, {1, 8, 8});
  EXPECT_EQ(digits.features.image_shape, (std::vector<int64_t>{1, 8, 8}));
  EXPECT_EQ(subset(digits, {0, 1}).features.image_shape, digits.features.image_shape);
  Dataset weather = make_dataset(read_arff(shared_data("weather.nominal.arff")), "");
  expect_data_error([&] { declare_image(weather, {1, 2, 2}); }, {"'outlook' is nominal"});
}

TEST(Generators, AreDeterministicAndLabelledByTheirRules) {
  for (const auto& info : builtin_datasets()) {
    if (info.name.rfind("fashion", 0) == 0) continue;
    Table a = load_builtin(info.name, 3, 200), b = load_builtin(info.name, 3, 200), c = load_builtin(info.name, 4, 200);
    EXPECT_EQ(a.rows(), 200) << info.name;
    EXPECT_EQ(a.columns[0].values, b.columns[0].values) << info.name;
    EXPECT_NE(a.columns[0].values, c.columns[0].values) << info.name;
    Dataset d = make_dataset(a, "");
    if (d.task == TaskKind::Classification) {
      for (int64_t k = 0; k < d.num_classes(); ++k)  // every class occurs
        EXPECT_GT(std::count(d.labels.begin(), d.labels.end(), k), 0) << info.name << " class " << k;
    }
  }
  // Rule tree: with label noise of 2%, at least 95% of rows follow the documented splits.
  Dataset rules = make_dataset(load_builtin("rule-tree", 0, 1000), "");
  const auto splits = rule_tree_splits();
  int agree = 0;
  for (int64_t r = 0; r < rules.rows(); ++r) {
    auto x = [&](int f) { return rules.features.columns[f].values[r]; };
    const bool left = x(splits[0].feature) < splits[0].threshold;
    const RuleSplit& s = left ? splits[1] : splits[2];
    agree += rules.labels[r] == (left ? 0 : 2) + (x(s.feature) < s.threshold ? 0 : 1);
  }
  EXPECT_GT(agree, 950);
  EXPECT_THROW(load_builtin("nope"), DataError);
}
