#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "test_support.h"

using ndtmoe::test::ScratchDir;

namespace {

struct CommandResult {
  int status = -1;
  std::string out, err;
};

CommandResult run_cli(const std::string& args, const ScratchDir& dir) {
  const std::string err_path = dir.path() + "/stderr.txt";
  const std::string command = std::string(NDTMOE_CLI) + " " + args + " 2>" + err_path;
  CommandResult r;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  r.err.assign(std::istreambuf_iterator<char>(err), {});
  return r;
}

size_t count_lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(Cli, WrongFlagsAndFilesGiveOneLineAndNonZeroStatus) {
  ScratchDir dir;
  for (const std::string args : {"train --data", "train --data x.csv --depth 0", "train --bogus", "frobnicate",
                                 "train --data /nonexistent.csv", "eval --run /nonexistent --data builtin:rule-tree",
                                 "train --data builtin:nothing", "train --data builtin:rule-tree --teacher torchscript",
                                 "train --data builtin:rule-tree --experts 2 --top-k 3"}) {
    CommandResult r = run_cli(args, dir);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_EQ(count_lines(r.err), 1u) << args << ":\n" << r.err;
    EXPECT_EQ(r.err.rfind("ndtmoe: ", 0), 0u) << r.err;
  }
  EXPECT_NE(run_cli("train --data /nonexistent.csv", dir).err.find("/nonexistent.csv"), std::string::npos);
}

TEST(Cli, TrainPrintsJsonForEveryModelAndEvalReadsTheRun) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  CommandResult train = run_cli("train --data builtin:rule-tree --rows 300 --epochs 2 --teacher-epochs 1 --d-model 16 "
                                "--teacher-d 16 --teacher-blocks 1 --experts 4 --depth 2 --device cpu --json --out " + run, dir);
  ASSERT_EQ(train.status, 0) << train.err;
  const auto j = nlohmann::json::parse(train.out);
  for (const char* model : {"teacher", "student", "mlp", "moe"}) EXPECT_TRUE(j["metrics"][model].contains("accuracy")) << model;
  EXPECT_TRUE(j["metrics"]["agreement"].contains("agreement"));

  CommandResult eval = run_cli("eval --run " + run + " --data builtin:rule-tree --json", dir);
  ASSERT_EQ(eval.status, 0) << eval.err;
  const auto e = nlohmann::json::parse(eval.out);
  EXPECT_GT(e["metrics"]["student"]["accuracy"].get<double>(), 0.0);
  EXPECT_TRUE(e["metrics"]["student"].contains("macro_f1"));
}

TEST(Cli, CrossValidationReportsMeanAndSpread) {
  ScratchDir dir;
  CommandResult r = run_cli("train --data " + ndtmoe::test::shared_data("iris.csv") +
                                " --folds 3 --epochs 2 --teacher none --no-baselines --d-model 16 --experts 4 --depth 2 --device cpu --json",
                            dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["folds"], 3);
  EXPECT_EQ(j["per_fold"].size(), 3u);
  EXPECT_TRUE(j["stddev"]["student"].contains("accuracy"));
}

TEST(Cli, ResumeContinuesTheStudentOfASavedRun) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  const std::string common = " --d-model 16 --experts 4 --depth 2 --device cpu --teacher none --no-baselines --patience 0";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 200 --epochs 2 --out " + run + common, dir).status, 0);
  CommandResult resumed = run_cli("train --resume " + run + " --epochs 4 --json", dir);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming the student at epoch 3 of 4"), std::string::npos) << resumed.err;
  EXPECT_TRUE(nlohmann::json::parse(resumed.out)["metrics"]["student"].contains("accuracy"));
  // Asking for no more epochs than were run is a usage error.
  CommandResult again = run_cli("train --resume " + run + " --epochs 4", dir);
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("already trained 4 epochs"), std::string::npos) << again.err;
}
