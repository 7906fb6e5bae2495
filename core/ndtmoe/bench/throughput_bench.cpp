#include "ndtmoe/bench/throughput_bench.h"

#include <algorithm>
#include <chrono>

#include "ndtmoe/model/mxd_family.h"
#include "ndtmoe/model/ndt_router.h"
#include "ndtmoe/model/predictor.h"
#include "ndtmoe/model/sparse_replacement.h"

namespace ndtmoe {
namespace {

void synchronize(torch::Device device) {
  // A scalar read forces queued CUDA kernels to finish, so timings cover the real work.
  if (device.is_cuda()) torch::zeros({1}, torch::TensorOptions().device(device)).sum().item<float>();
}

ThroughputResult measure(const std::string& name, torch::Device device, int64_t batch, const ThroughputOptions& o,
                         const std::function<void()>& step) {
  for (int i = 0; i < o.warmup_steps; ++i) step();
  synchronize(device);
  ThroughputResult r{name, device.str(), batch, 0, {}};
  for (int rep = 0; rep < o.repeats; ++rep) {
    // At least `steps_per_repeat` steps and `min_seconds`, so fast configurations are not timed over a
    // few milliseconds of a noisy machine.
    const auto start = std::chrono::steady_clock::now();
    int64_t steps = 0;
    double seconds = 0;
    while (steps < o.steps_per_repeat || seconds < o.min_seconds) {
      step();
      ++steps;
      synchronize(device);
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    r.repeats.push_back(static_cast<double>(batch * steps) / seconds);
  }
  std::vector<double> sorted = r.repeats;
  std::sort(sorted.begin(), sorted.end());
  r.samples_per_s = sorted[sorted.size() / 2];
  return r;
}

// One Mixture of Decoders layer fitting a fixed random target under the reference's loss: d = 64, hidden
// width 256, K = 32 of N experts. The same step as bench/python_reference.py's dense reference formula.
void mxd_layer_benchmarks(torch::Device device, const ThroughputOptions& o, const std::function<void(const ThroughputResult&)>& report) {
  const int64_t d = 64, hidden = 256, k = 32;
  for (int64_t n : {1024, 4096, 16384}) {
    const std::string name = "mxd_n" + std::to_string(n) + "_k" + std::to_string(k) + "_d" + std::to_string(d);
    if (!o.filter.empty() && name.find(o.filter) == std::string::npos) continue;
    for (int64_t batch : o.batches) {
      torch::manual_seed(0);
      // The stand-in exactly as a decomposition fits it: no residual, norm or routing losses (the
      // reference computes none either).
      SparseReplacement layer(ReplacementSpec{"mxd", d, d, k, n, hidden, nlohmann::json::object()});
      layer->to(device);
      const auto opts = torch::TensorOptions().device(device);
      const torch::Tensor x = torch::randn({batch, d}, opts), target = torch::randn({batch, d}, opts);
      torch::optim::Adam optimizer(layer->parameters(), torch::optim::AdamOptions(4e-4));
      report(measure(name, device, batch, o, [&] {
        torch::Tensor loss = normalized_reconstruction_loss(layer->forward(x), target);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
      }));
    }
  }
}

// The tabular transformer teacher at ModelConfig's sizes (64 feature tokens of width 64, 4 heads, 3
// blocks): the large matrix products, where the thread set-up matters most. Its training step, and its
// inference alone as a trace runs it.
void teacher_benchmarks(torch::Device device, const ThroughputOptions& o, const std::function<void(const ThroughputResult&)>& report) {
  const auto opts = torch::TensorOptions().device(device);
  for (const bool training : {true, false}) {
    const std::string name = training ? "teacher_transformer_f64" : "teacher_transformer_f64_inference";
    if (!o.filter.empty() && name.find(o.filter) == std::string::npos) continue;
    for (int64_t batch : o.batches) {
      torch::manual_seed(0);
      ModelConfig config;
      config.kind = ModelKind::Transformer;
      config.in_features = 64;
      config.out_features = 10;
      PredictorPtr model = make_predictor(config);
      model->to(device);
      const torch::Tensor x = torch::randn({batch, 64}, opts), y = torch::randint(0, 10, {batch}, opts.dtype(torch::kLong));
      torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
      if (training) {
        model->train();
        report(measure(name, device, batch, o, [&] {
          const torch::Tensor loss = torch::nn::functional::cross_entropy(model->run(x).output, y);
          optimizer.zero_grad();
          loss.backward();
          optimizer.step();
        }));
      } else {
        model->eval();
        torch::NoGradGuard no_grad;
        report(measure(name, device, batch, o, [&] { model->run(x); }));
      }
    }
  }
}

}  // namespace

void run_throughput_benchmarks(torch::Device device, const ThroughputOptions& o,
                               const std::function<void(const ThroughputResult&)>& report) {
  const auto opts = torch::TensorOptions().device(device);
  for (int64_t trees : {1, 16}) {
    const std::string name = "router_depth6_trees" + std::to_string(trees);
    if (!o.filter.empty() && name.find(o.filter) == std::string::npos) continue;
    for (int64_t batch : o.batches) {
      torch::manual_seed(0);
      NDTRouter router(NDTRouterOptions(64, 16).depth(6).trees(trees).top_k(2));
      router->to(device);
      torch::Tensor x = torch::randn({batch, 64}, opts);
      router->initialize_from(x);
      torch::optim::Adam optimizer(router->parameters(), torch::optim::AdamOptions(1e-3));
      report(measure(name, device, batch, o, [&] {
        RoutingDecision r = router->forward(x);
        torch::Tensor loss = torch::logsumexp(r.logits, -1).mean() + (r.top_weights * r.top_weights).sum(-1).mean();
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
      }));
    }
  }
  mxd_layer_benchmarks(device, o, report);
  teacher_benchmarks(device, o, report);
  const std::string name = "ndtmoe_d64_depth6_e16_top2_l4";
  if (!o.filter.empty() && name.find(o.filter) == std::string::npos) return;
  for (int64_t batch : o.batches) {
    torch::manual_seed(0);
    ModelConfig config;
    config.in_features = 64;
    config.out_features = 10;
    config.d_model = 64;
    config.kind = ModelKind::Mixture;
    config.family_options = {{"depth", 6}};
    config.experts = 16;
    config.top_k = 2;
    config.layers = 4;
    config.expert_hidden = 128;
    config.router_input = RouterInput::Hidden;
    PredictorPtr model = make_predictor(config);
    model->to(device);
    model->train();
    torch::Tensor x = torch::randn({batch, 64}, opts);
    torch::Tensor y = torch::randint(0, 10, {batch}, opts.dtype(torch::kLong));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
    report(measure(name, device, batch, o, [&] {
      PredictorOutput out = model->run(x);
      torch::Tensor loss = torch::nn::functional::cross_entropy(out.output, y) + 0.01 * out.load_balance;
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }));
  }
}

}  // namespace ndtmoe
