#include "ndtmoe/train/distributed.h"

#include <cstdlib>
#include <stdexcept>

#include "ndtmoe/train/distributed_config.h"

#if NDTMOE_WITH_C10D
#define USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace ndtmoe {

namespace {

constexpr int64_t kBucketBytes = 25 << 20;  // DDP's default bucket

// The variable's integer value, or `fallback` when unset; a malformed or out-of-range value is named.
int integer_variable(const char* name, int fallback, int low, int high) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < low || value > high)
    throw std::invalid_argument(std::string(name) + "=" + text + " is not an integer in " + std::to_string(low) + ".." + std::to_string(high));
  return static_cast<int>(value);
}

std::unique_ptr<ProcessGroup>& process_group_slot() {
  static std::unique_ptr<ProcessGroup> group;
  return group;
}

}  // namespace

LaunchEnvironment LaunchEnvironment::from_environment() {
  LaunchEnvironment e;
  e.world_size = integer_variable("WORLD_SIZE", integer_variable("SLURM_NTASKS", 1, 1, 1 << 20), 1, 1 << 20);
  e.rank = integer_variable("RANK", integer_variable("SLURM_PROCID", 0, 0, 1 << 20), 0, 1 << 20);
  if (e.rank >= e.world_size)
    throw std::invalid_argument("RANK=" + std::to_string(e.rank) + " is not below WORLD_SIZE=" + std::to_string(e.world_size));
  if (const char* addr = std::getenv("MASTER_ADDR"); addr && *addr) e.master_addr = addr;
  e.master_port = integer_variable("MASTER_PORT", e.master_port, 1, 65535);
  e.timeout = std::chrono::seconds(integer_variable("NDTMOE_DIST_TIMEOUT", static_cast<int>(e.timeout.count()), 1, 86400));
  return e;
}

#if NDTMOE_WITH_C10D

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

ProcessGroup::ProcessGroup(const LaunchEnvironment& launch) : launch_(launch), impl_(std::make_unique<Impl>()) {
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(launch.master_port);
    options.isServer = launch.rank == 0;
    options.numWorkers = launch.world_size;
    options.waitWorkers = true;
    options.timeout = launch.timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(launch.master_addr, options);
    auto gloo = c10d::ProcessGroupGloo::Options::create();
    gloo->timeout = launch.timeout;
    // On one machine the loopback device; across machines the interface the host name resolves to.
    const bool local = launch.master_addr == "127.0.0.1" || launch.master_addr == "localhost";
    gloo->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                  : c10d::ProcessGroupGloo::createDefaultDevice());
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, launch.rank, launch.world_size, gloo);
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(launch.rank) + " of " + std::to_string(launch.world_size) +
                             " could not join the process group at " + launch.master_addr + ":" + std::to_string(launch.master_port) +
                             ": " + e.what());
  }
}

ProcessGroup::~ProcessGroup() = default;

namespace {

// A collective's failure names the rank and says why the others stop: a lost peer or the timeout.
template <class Run>
void collective(const ProcessGroup& group, const char* what, Run run) {
  try {
    run();
  } catch (const std::exception& e) {
    throw std::runtime_error("rank " + std::to_string(group.rank()) + " of " + std::to_string(group.world_size()) + ": " + what +
                             " failed (another rank stopped or timed out): " + e.what());
  }
}

}  // namespace

void ProcessGroup::sum(const std::vector<torch::Tensor>& tensors) {
  // Flattened into buckets of one dtype, one all-reduce per bucket, then copied back.
  size_t i = 0;
  while (i < tensors.size()) {
    std::vector<torch::Tensor> bucket;
    int64_t bytes = 0;
    const auto dtype = tensors[i].scalar_type();
    while (i < tensors.size() && tensors[i].scalar_type() == dtype && (bucket.empty() || bytes + tensors[i].nbytes() <= kBucketBytes)) {
      bytes += static_cast<int64_t>(tensors[i].nbytes());
      bucket.push_back(tensors[i++]);
    }
    std::vector<torch::Tensor> flat{torch::cat([&] {
      std::vector<torch::Tensor> parts;
      for (const torch::Tensor& t : bucket) parts.push_back(t.detach().reshape({-1}).cpu());
      return parts;
    }())};
    collective(*this, "all-reduce", [&] { impl_->group->allreduce(flat)->wait(); });
    int64_t offset = 0;
    for (const torch::Tensor& t : bucket) {
      t.detach().copy_(flat[0].narrow(0, offset, t.numel()).view_as(t));
      offset += t.numel();
    }
  }
}

void ProcessGroup::broadcast(const std::vector<torch::Tensor>& tensors) {
  for (const torch::Tensor& t : tensors) {
    // Gloo has no bool: masks travel as bytes.
    std::vector<torch::Tensor> one{t.scalar_type() == torch::kBool ? t.detach().to(torch::kCPU, torch::kByte) : t.detach().cpu().contiguous()};
    collective(*this, "broadcast", [&] { impl_->group->broadcast(one)->wait(); });
    t.detach().copy_(one[0]);
  }
}

#else

struct ProcessGroup::Impl {};

ProcessGroup::ProcessGroup(const LaunchEnvironment& launch) : launch_(launch) {
  throw std::runtime_error("WORLD_SIZE=" + std::to_string(launch.world_size) +
                           ": this build has no torch.distributed (c10d with Gloo); rebuild with libgloo-dev installed");
}

ProcessGroup::~ProcessGroup() = default;
void ProcessGroup::sum(const std::vector<torch::Tensor>&) {}
void ProcessGroup::broadcast(const std::vector<torch::Tensor>&) {}

#endif

double ProcessGroup::sum(double value) {
  torch::Tensor t = torch::tensor({value}, torch::kDouble);
  sum(std::vector<torch::Tensor>{t});
  return t.item<double>();
}

double ProcessGroup::broadcast(double value) {
  torch::Tensor t = torch::tensor({value}, torch::kDouble);
  broadcast(std::vector<torch::Tensor>{t});
  return t.item<double>();
}

ProcessGroup* join_process_group_from_environment() {
  auto& group = process_group_slot();
  if (group) return group.get();
  const LaunchEnvironment launch = LaunchEnvironment::from_environment();
  if (launch.world_size > 1) group = std::make_unique<ProcessGroup>(launch);
  return group.get();
}

ProcessGroup* process_group() { return process_group_slot().get(); }

}  // namespace ndtmoe
