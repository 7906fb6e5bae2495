#include "ndtmoe/data/builtin_data.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <random>

#include "ndtmoe/data/builtin_words.h"
#include "ndtmoe/data/readers.h"

namespace ndtmoe {
namespace {

template <size_t N>
using State = std::array<double, N>;

template <size_t N>
State<N> rk4_step(const std::function<State<N>(double, const State<N>&)>& f, double t, const State<N>& y, double h) {
  auto add = [](const State<N>& a, const State<N>& b, double s) { State<N> r; for (size_t i = 0; i < N; ++i) r[i] = a[i] + s * b[i]; return r; };
  const State<N> k1 = f(t, y);
  const State<N> k2 = f(t + h / 2, add(y, k1, h / 2));
  const State<N> k3 = f(t + h / 2, add(y, k2, h / 2));
  const State<N> k4 = f(t + h, add(y, k3, h));
  State<N> r;
  for (size_t i = 0; i < N; ++i) r[i] = y[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  return r;
}

// Builds a table from named numeric feature columns plus a nominal or numeric target.
struct TableBuilder {
  Table table;
  TableBuilder(std::string source, const std::vector<std::string>& features, const std::string& target,
               const std::vector<std::string>& classes) {
    table.source = "builtin:" + source;
    for (const auto& f : features) table.columns.push_back(Column{f, false, {}, {}});
    table.columns.push_back(Column{target, !classes.empty(), classes, {}});
  }
  void add(const std::vector<double>& features, double target) {
    for (size_t i = 0; i < features.size(); ++i) table.columns[i].values.push_back(features[i]);
    table.columns.back().values.push_back(target);
    table.source_lines.push_back(0);
  }
};

Table lorenz(uint64_t seed, int64_t rows) {
  // Which lobe of the attractor (sign of x) the system occupies 1.0 time units after an observed
  // window of 5 snapshots: short-horizon forecasting of a chaotic system.
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> jitter(0.0, 1.0);
  using S = State<3>;
  std::function<S(double, const S&)> f = [](double, const S& s) {
    return S{10.0 * (s[1] - s[0]), s[0] * (28.0 - s[2]) - s[1], s[0] * s[1] - 8.0 / 3.0 * s[2]};
  };
  std::vector<std::string> names;
  for (int k = 0; k < 5; ++k) for (const char* v : {"x", "y", "z"}) names.push_back(std::string(v) + "_t" + std::to_string(k));
  TableBuilder b("lorenz", names, "future_lobe", {"left", "right"});
  const double h = 0.01;
  S s{1.0, 1.0, 20.0};
  for (int i = 0; i < 1000; ++i) s = rk4_step<3>(f, 0, s, h);  // settle on the attractor
  for (int64_t r = 0; r < rows; ++r) {
    const int skip = 20 + static_cast<int>(rng() % 80);
    for (int i = 0; i < skip; ++i) s = rk4_step<3>(f, 0, s, h);
    S w = s;
    std::vector<double> feats;
    for (int k = 0; k < 5; ++k) {
      for (double v : w) feats.push_back(v + 0.1 * jitter(rng));
      for (int i = 0; i < 5; ++i) w = rk4_step<3>(f, 0, w, h);
    }
    for (int i = 0; i < 100; ++i) w = rk4_step<3>(f, 0, w, h);
    b.add(feats, w[0] >= 0 ? 1 : 0);
  }
  return b.table;
}

Table lotka_volterra(uint64_t seed, int64_t rows) {
  // From parameters and initial populations, whether the prey population falls below 5% of its start
  // within 20 time units (a collapse regime).
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  using S = State<2>;
  TableBuilder b("lotka-volterra", {"prey_growth", "predation", "predator_death", "conversion", "prey0", "predator0"},
                 "prey_collapse", {"no", "yes"});
  for (int64_t r = 0; r < rows; ++r) {
    const double a = 0.5 + u(rng), beta = 0.2 + 0.8 * u(rng), g = 0.3 + u(rng), d = 0.1 + 0.5 * u(rng);
    const double x0 = 0.5 + 2 * u(rng), y0 = 0.5 + 2 * u(rng);
    std::function<S(double, const S&)> f = [&](double, const S& s) {
      return S{a * s[0] - beta * s[0] * s[1], d * s[0] * s[1] - g * s[1]};
    };
    S s{x0, y0};
    double lowest = x0;
    for (int i = 0; i < 400; ++i) { s = rk4_step<2>(f, 0, s, 0.05); lowest = std::min(lowest, s[0]); }
    b.add({a, beta, g, d, x0, y0}, lowest < 0.05 * x0 ? 1 : 0);
  }
  return b.table;
}

Table pendulum(uint64_t seed, int64_t rows) {
  // Damped driven pendulum theta'' = -gamma theta' - sin(theta) + A cos(omega t): does it go over the
  // top (|theta| > pi) within 30 time units, or only oscillate?
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  using S = State<2>;
  TableBuilder b("pendulum", {"damping", "drive_amplitude", "drive_frequency", "theta0", "omega0"}, "motion",
                 {"oscillating", "rotating"});
  for (int64_t r = 0; r < rows; ++r) {
    const double gamma = 0.05 + 0.5 * u(rng), amp = 1.5 * u(rng), omega = 0.3 + 1.5 * u(rng);
    const double th0 = (2 * u(rng) - 1) * 2.5, w0 = (2 * u(rng) - 1) * 1.5;
    std::function<S(double, const S&)> f = [&](double t, const S& s) {
      return S{s[1], -gamma * s[1] - std::sin(s[0]) + amp * std::cos(omega * t)};
    };
    S s{th0, w0};
    bool rotated = false;
    double t = 0;
    for (int i = 0; i < 600 && !rotated; ++i, t += 0.05) { s = rk4_step<2>(f, t, s, 0.05); rotated = std::abs(s[0]) > M_PI; }
    b.add({gamma, amp, omega, th0, w0}, rotated ? 1 : 0);
  }
  return b.table;
}

Table van_der_pol(uint64_t seed, int64_t rows) {
  // Regression: x two time units ahead of an observed state (x, v) for a Van der Pol oscillator of
  // nonlinearity mu.
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  using S = State<2>;
  TableBuilder b("van-der-pol", {"mu", "x", "v"}, "x_future", {});
  for (int64_t r = 0; r < rows; ++r) {
    const double mu = 0.1 + 3 * u(rng);
    std::function<S(double, const S&)> f = [&](double, const S& s) { return S{s[1], mu * (1 - s[0] * s[0]) * s[1] - s[0]}; };
    S s{(2 * u(rng) - 1) * 3, (2 * u(rng) - 1) * 3};
    const S start = s;
    for (int i = 0; i < 200; ++i) s = rk4_step<2>(f, 0, s, 0.01);
    b.add({mu, start[0], start[1]}, s[0]);
  }
  return b.table;
}

Table rule_tree(uint64_t seed, int64_t rows) {
  // Eight features uniform in [-1, 1]; a depth-2 tree over features 0, 1 and 2 decides one of four
  // classes, features 3..7 are noise. Labels flip with probability 2%.
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const auto splits = rule_tree_splits();
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) names.push_back("f" + std::to_string(i));
  TableBuilder b("rule-tree", names, "class", {"A", "B", "C", "D"});
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<double> x(8);
    for (double& v : x) v = u(rng);
    const bool left = x[splits[0].feature] < splits[0].threshold;
    const RuleSplit& second = left ? splits[1] : splits[2];
    int label = (left ? 0 : 2) + (x[second.feature] < second.threshold ? 0 : 1);
    if (coin(rng) < 0.02) label = static_cast<int>(rng() % 4);
    b.add(x, label);
  }
  return b.table;
}

Table fashion_mnist(bool test_split) {
  const std::string dir = fashion_mnist_dir();
  const std::string prefix = test_split ? "/t10k" : "/train";
  Table t = read_idx_pair(dir + prefix + "-images-idx3-ubyte.gz", dir + prefix + "-labels-idx1-ubyte.gz");
  Column& label = t.columns.back();
  // The reader declared one category per label up to the largest; Fashion-MNIST names ten.
  if (label.categories.size() > 10)
    throw DataError(located_message(dir + prefix + "-labels-idx1-ubyte.gz", 0, 0,
                                    "label " + std::to_string(label.categories.size() - 1) + " outside Fashion-MNIST's 10 classes"));
  label.categories = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return t;
}

Table truncated(Table t, int64_t rows) {
  if (rows <= 0 || rows >= t.rows()) return t;
  for (auto& c : t.columns) c.values.resize(static_cast<size_t>(rows));
  t.source_lines.resize(static_cast<size_t>(rows));
  return t;
}

}  // namespace

std::string system_share_path(const std::string& relative) {
  const char* override_dir = std::getenv("NDTMOE_SHARE_DIR");
  const std::string root = override_dir != nullptr && *override_dir != '\0' ? override_dir : "/usr/share";
  return root + "/" + relative;
}

std::string fashion_mnist_dir() { return system_share_path("datasets/fashion-mnist"); }

std::vector<RuleSplit> rule_tree_splits() { return {{0, 0, 0.0}, {1, 1, 0.3}, {1, 2, -0.2}}; }

std::vector<BuiltinInfo> builtin_datasets() {
  return {
      {"rule-tree", "4 classes from a known depth-2 rule tree over f0, f1, f2; f3..f7 are noise (2,000 rows)"},
      {"lorenz", "Lorenz-63: forecast the attractor lobe 1.0 time units ahead from 5 noisy snapshots (3,000 rows)"},
      {"lotka-volterra", "Lotka-Volterra: does the prey population collapse, from parameters and initial state (2,000 rows)"},
      {"pendulum", "Damped driven pendulum: rotating or oscillating, from damping, drive and initial state (2,000 rows)"},
      {"van-der-pol", "Van der Pol oscillator: regress x two time units ahead (2,000 rows)"},
      {"fashion-mnist", "Fashion-MNIST training split, 60,000 28x28 images, 10 classes (dataset-fashion-mnist)"},
      {"fashion-mnist-test", "Fashion-MNIST official test split, 10,000 images"},
      {"words", "Language of single words (english, german, french, spanish, italian, portuguese) from Debian's word lists, as text (12,000 rows)"},
  };
}

Table load_builtin(const std::string& name, uint64_t seed, int64_t rows) {
  if (name == "rule-tree") return rule_tree(seed, rows > 0 ? rows : 2000);
  if (name == "lorenz") return lorenz(seed, rows > 0 ? rows : 3000);
  if (name == "lotka-volterra") return lotka_volterra(seed, rows > 0 ? rows : 2000);
  if (name == "pendulum") return pendulum(seed, rows > 0 ? rows : 2000);
  if (name == "van-der-pol") return van_der_pol(seed, rows > 0 ? rows : 2000);
  if (name == "fashion-mnist") return truncated(fashion_mnist(false), rows);
  if (name == "fashion-mnist-test") return truncated(fashion_mnist(true), rows);
  if (name == "words") return words_table(seed, rows);
  std::string known;
  for (const auto& info : builtin_datasets()) known += (known.empty() ? "" : ", ") + info.name;
  throw DataError("builtin:" + name + ": unknown built-in data set (known: " + known + ")");
}

}  // namespace ndtmoe

namespace ndtmoe {

Table load_data_source(const std::string& spec, uint64_t seed, int64_t builtin_rows, const std::string& labels) {
  const std::string prefix = "builtin:";
  if (spec.rfind(prefix, 0) == 0) {
    if (!labels.empty()) throw DataError(spec + ": a built-in data set has its own labels (" + labels + " given)");
    return load_builtin(spec.substr(prefix.size()), seed, builtin_rows);
  }
  return read_table(spec, labels);
}

}  // namespace ndtmoe
