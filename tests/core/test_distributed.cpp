// Data-parallel training on torch.distributed (c10d with Gloo): two ranks of `ndtmoe train` on
// 127.0.0.1, as torchrun or Slurm would start them.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "ndtmoe/train/distributed.h"
#include "ndtmoe/train/distributed_config.h"
#include "ndtmoe/train/run_directory.h"
#include "test_support.h"

using namespace ndtmoe;
using ndtmoe::test::cli_program;
using ndtmoe::test::ScratchDir;

namespace {

// A port of its own per test process, so parallel test runs do not meet.
int free_port(int offset) { return 20000 + (static_cast<int>(getpid()) * 7 + offset) % 20000; }

// Starts `ndtmoe ARGS` as rank `rank` of `world` (the launcher's variables), stderr to `err`.
pid_t start_rank(int rank, int world, int port, const std::string& args, const std::string& err, int timeout_s = 60) {
  const std::string command = "exec env RANK=" + std::to_string(rank) + " WORLD_SIZE=" + std::to_string(world) +
                              " MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " NDTMOE_DIST_TIMEOUT=" +
                              std::to_string(timeout_s) + " " + cli_program() + " " + args + " >/dev/null 2>" + err;
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// The exit status, or -1 when it is still running after `seconds` (it is then killed).
int wait_for(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Task loss only and no dropout: the gradient of a batch is then the mean of its rows' gradients.
std::string train_args(int rows, int epochs, int batch) {
  return "train --data builtin:rule-tree --rows " + std::to_string(rows) + " --epochs " + std::to_string(epochs) + " --batch-size " +
         std::to_string(batch) + " --teacher none --alpha 1 --lambda-lb 0 --lambda-z 0 --no-baselines --family linear --experts 4 "
         "--d-model 16 --expert-hidden 16 --dropout 0 --seed 0 --device cpu --lr 3e-3 --weight-decay 1e-4";
}

// The default family (ndt: trees, entmax, buffers of its own) with the task loss only.
std::string tree_args(int rows, int epochs, int batch) {
  std::string args = train_args(rows, epochs, batch);
  return args.replace(args.find("--family linear"), 15, "--family ndt");
}

}  // namespace

TEST(Distributed, TheLaunchersVariablesAreReadAndCheckedByName) {
  setenv("WORLD_SIZE", "2", 1);
  setenv("RANK", "3", 1);
  EXPECT_THROW(LaunchEnvironment::from_environment(), std::invalid_argument);
  setenv("RANK", "x", 1);
  try {
    LaunchEnvironment::from_environment();
    FAIL() << "RANK=x accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("RANK=x"), std::string::npos);
  }
  setenv("RANK", "1", 1);
  setenv("MASTER_PORT", "29999", 1);
  const LaunchEnvironment e = LaunchEnvironment::from_environment();
  EXPECT_EQ(e.rank, 1);
  EXPECT_EQ(e.world_size, 2);
  EXPECT_EQ(e.master_port, 29999);
  for (const char* name : {"WORLD_SIZE", "RANK", "MASTER_PORT"}) unsetenv(name);
  EXPECT_EQ(LaunchEnvironment::from_environment().world_size, 1);
}

#if NDTMOE_WITH_C10D

TEST(Distributed, TwoRanksAtBatchBTrainTheParametersOfOneRankAtBatchTwoB) {
  ScratchDir dir;
  const int port = free_port(1);
  const pid_t rank1 = start_rank(1, 2, port, tree_args(500, 3, 16), dir.path() + "/rank1.txt");
  const pid_t rank0 = start_rank(0, 2, port, tree_args(500, 3, 16) + " --out " + dir.path() + "/two", dir.path() + "/rank0.txt");
  ASSERT_EQ(wait_for(rank0, 120), 0) << text_of(dir.path() + "/rank0.txt");
  ASSERT_EQ(wait_for(rank1, 30), 0) << text_of(dir.path() + "/rank1.txt");
  const pid_t one = start_rank(0, 1, port, tree_args(500, 3, 32) + " --out " + dir.path() + "/one", dir.path() + "/one.txt");
  ASSERT_EQ(wait_for(one, 120), 0) << text_of(dir.path() + "/one.txt");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/two/rank1"));  // rank 0 alone writes
  LoadedRun two_ranks = load_run(dir.path() + "/two", "cpu"), one_rank = load_run(dir.path() + "/one", "cpu");
  EXPECT_EQ(two_ranks.experiment.config.world_size, 2);
  EXPECT_EQ(one_rank.experiment.config.world_size, 1);
  const auto a = two_ranks.experiment.student->named_parameters(), b = one_rank.experiment.student->named_parameters();
  ASSERT_EQ(a.size(), b.size());
  for (const auto& item : a) {
    const torch::Tensor& other = b[item.key()];
    EXPECT_TRUE(torch::allclose(item.value(), other, 1e-5, 1e-5)) << item.key() << ": " << (item.value() - other).abs().max().item<double>();
  }
}

TEST(Distributed, ALostRankStopsTheOthersWithAClearErrorInsteadOfHanging) {
  ScratchDir dir;
  const int port = free_port(2);
  const std::string long_training = train_args(3000, 500, 8);
  const pid_t rank1 = start_rank(1, 2, port, long_training, dir.path() + "/rank1.txt", 20);
  const pid_t rank0 = start_rank(0, 2, port, long_training + " --out " + dir.path() + "/run", dir.path() + "/rank0.txt", 20);
  // Once both train (rank 0's log shows a step), rank 1 dies.
  for (int i = 0; i < 400 && text_of(dir.path() + "/rank0.txt").find("step") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(rank1, SIGKILL);
  waitpid(rank1, nullptr, 0);
  const int status = wait_for(rank0, 90);
  EXPECT_NE(status, -1) << "rank 0 hung after rank 1 was killed";
  EXPECT_NE(status, 0);
  const std::string err = text_of(dir.path() + "/rank0.txt");
  EXPECT_NE(err.find("another rank stopped or timed out"), std::string::npos) << err;
}

TEST(Distributed, ARankThatNeverComesIsNamedAfterTheTimeout) {
  ScratchDir dir;
  const pid_t rank0 = start_rank(0, 2, free_port(3), train_args(500, 3, 16), dir.path() + "/rank0.txt", 3);
  const int status = wait_for(rank0, 60);
  EXPECT_NE(status, -1) << "rank 0 waited forever for rank 1";
  EXPECT_NE(status, 0);
  EXPECT_NE(text_of(dir.path() + "/rank0.txt").find("could not join the process group"), std::string::npos) << text_of(dir.path() + "/rank0.txt");
}

#endif
