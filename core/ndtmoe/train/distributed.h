#pragma once
// Data-parallel training on torch.distributed: processes started by torchrun or Slurm (RANK,
// WORLD_SIZE, MASTER_ADDR, MASTER_PORT) join one c10d process group (Gloo: CPU tensors) through a
// TCPStore on rank 0. Every trainer of the process then trains data-parallel: each rank takes its
// share of every global batch, gradients are all-reduced in buckets so the replicas stay identical, and
// rank 0 alone writes runs and logs. Like torch.distributed's default group, the group is one per process.

#include <chrono>
#include <memory>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace ndtmoe {

// What a launcher says about this process.
struct LaunchEnvironment {
  int rank = 0, world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::chrono::seconds timeout{300};  // NDTMOE_DIST_TIMEOUT (seconds): a collective waits no longer for a lost rank
  // Reads RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, NDTMOE_DIST_TIMEOUT (Slurm's SLURM_PROCID and
  // SLURM_NTASKS stand in for RANK and WORLD_SIZE); throws std::invalid_argument naming a malformed one.
  static LaunchEnvironment from_environment();
};

class ProcessGroup {
 public:
  // Joins the group (rank 0 hosts the store); throws std::runtime_error after the timeout when a rank
  // does not come, or when this build has no c10d.
  explicit ProcessGroup(const LaunchEnvironment& launch);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return launch_.rank; }
  int world_size() const { return launch_.world_size; }
  bool is_main() const { return launch_.rank == 0; }

  // Sums each tensor over the ranks in place, several tensors per all-reduce (buckets of about 25 MB).
  void sum(const std::vector<torch::Tensor>& tensors);
  // Rank 0's values of the tensors on every rank, in place.
  void broadcast(const std::vector<torch::Tensor>& tensors);
  double sum(double value);
  double broadcast(double value);

 private:
  LaunchEnvironment launch_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The process's group: joined once from the environment when a launcher started several ranks, null
// for a lone process (WORLD_SIZE unset or 1).
ProcessGroup* join_process_group_from_environment();
ProcessGroup* process_group();

}  // namespace ndtmoe
