#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "ndtmoe/store/sqlite.h"
#include "ndtmoe/train/defaults.h"
#include "test_support.h"
#include "token_fixtures.h"

using ndtmoe::test::cli_program;
using ndtmoe::test::ScratchDir;
using ndtmoe::test::source_dir;

namespace {

struct CommandResult {
  int status = -1;
  std::string out, err;
};

CommandResult run_cli(const std::string& args, const ScratchDir& dir) {
  const std::string err_path = dir.path() + "/stderr.txt";
  const std::string command = cli_program() + " " + args + " 2>" + err_path;
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
                                 "train --data builtin:rule-tree --experts 2 --top-k 3",
                                 "train --data builtin:rule-tree --image 8x", "train --data builtin:rule-tree --image 8x8",
                                 "train --data builtin:rule-tree --tune 5x"}) {
    CommandResult r = run_cli(args, dir);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_EQ(count_lines(r.err), 1u) << args << ":\n" << r.err;
    EXPECT_EQ(r.err.rfind("ndtmoe: ", 0), 0u) << r.err;
  }
  EXPECT_NE(run_cli("train --data /nonexistent.csv", dir).err.find("/nonexistent.csv"), std::string::npos);
  // Weights that blow up fail inside libtorch's forward pass: reported as divergence, not as its error.
  const CommandResult diverged = run_cli("train --data builtin:rule-tree --rows 200 --teacher none --experts 8 --lr 1e9 --clip 0", dir);
  EXPECT_EQ(diverged.status, 1);
  EXPECT_NE(diverged.err.find("ndtmoe: training stopped: student: weight '"), std::string::npos) << diverged.err;
  EXPECT_NE(diverged.err.find("became NaN or infinite"), std::string::npos) << diverged.err;
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
  // The table: one row per model, the agreement on its own line; scores on the training data are flagged.
  CommandResult table = run_cli("eval --run " + run + " --data builtin:rule-tree", dir);
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_EQ(table.out.find("\nagreement"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("student vs teacher: agreement "), std::string::npos) << table.out;
  EXPECT_EQ(table.out.substr(table.out.find("model")).find("agreement"), table.out.substr(table.out.find("model")).find("agreement ")) << table.out;
  EXPECT_NE(table.err.find("the data the run was trained on"), std::string::npos) << table.err;
}

TEST(Cli, HelpShowsDefaultsAndOutOfRangeIndicesAreNamed) {
  ScratchDir dir;
  const CommandResult help = run_cli("train --help", dir);
  EXPECT_NE(help.out.find("--epochs INT:POSITIVE=200"), std::string::npos) << "--epochs' default is not shown:\n" << help.out;
  const CommandResult negative = run_cli("query --store x.sqlite path -- -1", dir);
  EXPECT_EQ(negative.status, 2);
  EXPECT_NE(negative.err.find("give 0 or more"), std::string::npos) << negative.err;
  EXPECT_LT(negative.err.size(), 200u) << negative.err;
  const std::string run = dir.path() + "/run", store = dir.path() + "/trace.sqlite";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 200 --epochs 1 --d-model 8 --experts 4 --depth 2 --expert-hidden 8 "
                    "--teacher none --no-baselines --device cpu --out " + run, dir).status, 0);
  ASSERT_EQ(run_cli("trace --run " + run + " --store " + store, dir).status, 0);
  for (const auto& [args, named] : std::vector<std::pair<std::string, std::string>>{
           {"samples --layer 5 --expert 0", "has 2 layers"}, {"samples --layer 1 --expert 4", "has 4 experts"},
           {"samples --layer 0 --leaf 4", "4 leaves per tree"}, {"utilization --layer 2", "has 2 layers"},
           {"flow --layer 1", "the last layer"}, {"path 200", "holds samples 0..199"}, {"samples --label 7", "classes"}}) {
    const CommandResult r = run_cli("query --store " + store + " --run 1 " + args, dir);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_NE(r.err.find(named), std::string::npos) << args << ": " << r.err;
  }
}

TEST(Cli, DecomposeReplacesATeacherLayerAndReportsEveryStandIn) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run", out = dir.path() + "/decomposed";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 300 --epochs 1 --teacher-epochs 1 --d-model 16 --teacher-d 16 "
                    "--teacher-blocks 2 --experts 4 --depth 2 --no-baselines --device cpu --out " + run, dir).status, 0);
  const CommandResult layers = run_cli("layers --run " + run, dir);
  ASSERT_EQ(layers.status, 0) << layers.err;
  EXPECT_EQ(layers.out, "teacher.block0.ffn  16 -> 16, per token, gelu\nteacher.block1.ffn  16 -> 16, per token, gelu\n");
  const CommandResult unknown = run_cli("decompose --run " + run + " --layer mlp.hidden", dir);
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("teacher.block1.ffn"), std::string::npos) << unknown.err;
  const CommandResult r = run_cli("decompose --run " + run + " --layer teacher.block1.ffn --k 4 --epochs 1 --json --out " + out, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["metric"], "accuracy");
  ASSERT_EQ(j["replacements"].size(), 3u);
  for (const auto& m : j["replacements"]) {
    EXPECT_TRUE(std::ifstream(out + "/" + m["spec"]["kind"].get<std::string>() + ".pt").good());
    EXPECT_GE(m["normalized_mse"].get<double>(), 0.0);
    EXPECT_LE(m["parameters"].get<int64_t>(), 16 * 32 * (16 + 16 + 1) + 16);
  }
  const auto& mxd = j["replacements"][0];  // the paper's checks: rank of the expert matrices, dead experts
  EXPECT_GT(mxd["expert_rank"].get<double>(), 0.0);
  EXPECT_LE(mxd["expert_rank"].get<double>(), 1.0);
  EXPECT_GE(mxd["dead_experts"].get<double>(), 0.0);
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(out + "/decomposition.json"))["replacements"], j["replacements"]);
}

TEST(Cli, AnImoieStudentReportsItsExplicitModeAndExportsItsExperts) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  const CommandResult trained = run_cli("train --data builtin:rule-tree --rows 300 --epochs 2 --teacher none --alpha 1 --family imoie "
                                        "--code-length 2 --width 16 --no-baselines --device cpu --json --out " + run, dir);
  ASSERT_EQ(trained.status, 0) << trained.err;
  const auto metrics = nlohmann::json::parse(trained.out)["metrics"];
  EXPECT_TRUE(metrics.contains("student") && metrics.contains("student_explicit")) << metrics.dump();
  const CommandResult exported = run_cli("export-experts --json --run " + run + " --out " + dir.path() + "/experts.csv", dir);
  ASSERT_EQ(exported.status, 0) << exported.err;
  const auto j = nlohmann::json::parse(exported.out);
  EXPECT_EQ(j["experts"], 4);
  EXPECT_EQ(j["explicit_top"], 8);
  std::ifstream table(dir.path() + "/experts.csv");
  std::string header;
  std::getline(table, header);
  EXPECT_EQ(header.rfind("expert,code,output,bias,", 0), 0u) << header;
  // A student of another family has no explicit mode: a usage error naming the run.
  const std::string ndt = dir.path() + "/ndt";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 200 --epochs 1 --teacher none --experts 2 --depth 1 --no-baselines --device cpu --out " + ndt, dir).status, 0);
  const CommandResult refused = run_cli("export-experts --run " + ndt + " --out " + dir.path() + "/x.csv", dir);
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("not of the imoie family"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::ifstream(dir.path() + "/x.csv").good());
}

TEST(Cli, PixelColumnsTrainAVisionTeacherAndEvalReadsThemAsImagesAgain) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  const std::string digits = ndtmoe::test::shared_data("digits.csv");
  CommandResult train = run_cli("train --data " + digits + " --image 8x8 --patch 2 --epochs 1 --teacher-epochs 1 --teacher-d 16 "
                                "--teacher-blocks 1 --d-model 16 --experts 3 --depth 2 --no-baselines --device cpu --json --out " + run, dir);
  ASSERT_EQ(train.status, 0) << train.err;
  const auto manifest = nlohmann::json::parse(std::ifstream(run + "/run.json"));
  EXPECT_EQ(manifest["models"]["student"]["experts"], 3) << "a count given is kept on images";
  EXPECT_EQ(manifest["models"]["teacher"]["kind"], "transformer");
  EXPECT_EQ(manifest["models"]["teacher"]["image_shape"], (std::vector<int64_t>{1, 8, 8}));  // so its tokens are patches
  EXPECT_EQ(manifest["data"]["image_shape"], (std::vector<int64_t>{1, 8, 8}));
  CommandResult eval = run_cli("eval --run " + run + " --data " + digits + " --json", dir);
  ASSERT_EQ(eval.status, 0) << eval.err;
  EXPECT_TRUE(nlohmann::json::parse(eval.out)["metrics"]["teacher"].contains("accuracy"));
  // Another file of other columns is refused by name, not fed to the vision teacher.
  CommandResult other = run_cli("eval --run " + run + " --data " + ndtmoe::test::shared_data("wine.csv"), dir);
  EXPECT_NE(other.status, 0);
  EXPECT_NE(other.err.find("wine.csv"), std::string::npos) << other.err;
}

TEST(Cli, PixelColumnNamesDeclareImagesWithTheirPatchAndExperts) {
  ScratchDir dir;
  const std::string digits = ndtmoe::test::shared_data("digits.csv");
  const std::string small = " --epochs 1 --teacher-epochs 1 --teacher-d 16 --teacher-blocks 1 --d-model 16 --depth 2 --no-baselines --device cpu --out ";
  auto manifest_of = [&](const std::string& flags, const std::string& name) {
    const CommandResult train = run_cli("train --data " + digits + flags + small + dir.path() + "/" + name, dir);
    EXPECT_EQ(train.status, 0) << train.err;
    return nlohmann::json::parse(std::ifstream(dir.path() + "/" + name + "/run.json"));
  };
  const auto images = manifest_of("", "images");
  EXPECT_EQ(images["data"]["image_shape"], (std::vector<int64_t>{1, 8, 8}));
  EXPECT_EQ(images["models"]["teacher"]["patch"], ndtmoe::default_patch({1, 8, 8}));
  EXPECT_EQ(images["models"]["student"]["experts"], ndtmoe::default_experts({1, 8, 8}));
  const auto table = manifest_of(" --image none", "table");
  EXPECT_TRUE(table["data"]["image_shape"].empty());
  EXPECT_EQ(table["models"]["student"]["experts"], ndtmoe::default_experts({}));
  EXPECT_NE(ndtmoe::default_experts({}), ndtmoe::default_experts({1, 8, 8}));
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

TEST(Cli, TunedCrossValidationRecordsEveryFoldsTrialsInItsRun) {
  ScratchDir dir;
  const std::string run = dir.path() + "/cv";
  CommandResult r = run_cli("train --data " + ndtmoe::test::shared_data("iris.csv") +
                                " --folds 2 --tune 2 --epochs 2 --teacher none --no-baselines --d-model 16 --experts 4 --depth 2 --device cpu --json --out " +
                                run,
                            dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("tuning: 2 trials; chose trial"), std::string::npos) << r.err;
  for (const char* fold : {"/fold-1", "/fold-2"}) {
    std::ifstream manifest(run + fold + "/run.json");
    const auto tuning = nlohmann::json::parse(manifest)["config"]["tuning"];
    ASSERT_EQ(tuning["trials"].size(), 2u) << fold;
    EXPECT_EQ(tuning["sampler"], "tpe");
    EXPECT_EQ(tuning["trials"][0]["fold_scores"].size(), 3u);
  }
  // Traced, the search can be read back from the store.
  const std::string store = dir.path() + "/t.sqlite";
  ASSERT_EQ(run_cli("trace --run " + run + "/fold-1 --store " + store, dir).status, 0);
  const CommandResult table = run_cli("query --store " + store + " --run 1 tuning", dir);
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("2 trials (tpe, 3 inner folds, budget 2 trials)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(" *"), std::string::npos) << table.out;
  const CommandResult json = run_cli("query --store " + store + " --run 1 tuning --json", dir);
  EXPECT_EQ(nlohmann::json::parse(json.out)["trials"].size(), 2u);
}

TEST(Cli, ShardsTracedApartMergeIntoOneRun) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run", a = dir.path() + "/a.sqlite", b = dir.path() + "/b.sqlite", merged = dir.path() + "/m.sqlite";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 200 --epochs 1 --d-model 16 --experts 4 --depth 2 --device cpu --teacher none "
                    "--no-baselines --out " + run, dir).status, 0);
  CommandResult first = run_cli("trace --run " + run + " --store " + a + " --shard 1/2 --json", dir);
  ASSERT_EQ(first.status, 0) << first.err;
  const auto shard = nlohmann::json::parse(first.out);
  EXPECT_EQ(shard["samples"], 100);
  EXPECT_EQ(shard["shard"]["shard"], "1/2");
  CommandResult second = run_cli("trace --run " + run + " --store " + b + " --shard 2/2", dir);
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("(shard 2/2: samples 100..199)"), std::string::npos) << second.out;
  CommandResult merge = run_cli("store merge " + a + " " + b + " --out " + merged + " --json", dir);
  ASSERT_EQ(merge.status, 0) << merge.err;
  const auto report = nlohmann::json::parse(merge.out);
  ASSERT_EQ(report["runs"].size(), 1u);
  EXPECT_EQ(report["runs"][0]["samples"], 200);
  EXPECT_EQ(report["runs"][0]["sources"].size(), 2u);
  CommandResult path = run_cli("query path --store " + merged + " --run 1 150", dir);
  EXPECT_EQ(path.status, 0) << path.err;
  // A shard's own store answers for its own samples only, by id.
  CommandResult outside = run_cli("query path --store " + b + " --run 1 50", dir);
  EXPECT_NE(outside.status, 0);
  EXPECT_NE(outside.err.find("holds samples 100..199"), std::string::npos) << outside.err;
  for (const std::string bad : {"3/2", "0/2", "half"}) {
    CommandResult refused = run_cli("trace --run " + run + " --store " + dir.path() + "/c.sqlite --shard " + bad, dir);
    EXPECT_EQ(refused.status, 2) << bad;
    EXPECT_NE(refused.err.find("i/n"), std::string::npos) << refused.err;
    EXPECT_EQ(count_lines(refused.err), 1u) << refused.err;
  }
  CommandResult again = run_cli("store merge " + a + " --out " + merged, dir);
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("exists"), std::string::npos) << again.err;
}

TEST(Cli, AForestTeacherIsDistilledSavedWithTheRunAndReadBackByEval) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run";
  CommandResult train = run_cli("train --data builtin:rule-tree --rows 600 --teacher forest --epochs 3 --d-model 16 --experts 4 --depth 2 "
                                "--no-baselines --device cpu --json --out " + run, dir);
  ASSERT_EQ(train.status, 0) << train.err;
  const auto trained = nlohmann::json::parse(train.out)["metrics"];
  // The rule tree is axis-aligned on three features: a forest's home ground.
  EXPECT_GT(trained["teacher"]["accuracy"].get<double>(), 0.85);
  EXPECT_TRUE(trained["agreement"].contains("agreement"));
  EXPECT_TRUE(std::filesystem::exists(run + "/teacher.forest.pt"));
  // Not a terminal: the progress line is logged at every tenth of the trees, the forest being a stage.
  EXPECT_NE(train.err.find("[forest 1/2] tree 20/200\n"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("[forest 1/2] tree 200/200\n"), std::string::npos) << train.err;
  EXPECT_EQ(train.err.find("tree 21/200"), std::string::npos) << train.err;

  CommandResult eval = run_cli("eval --run " + run + " --data builtin:rule-tree --json", dir);
  ASSERT_EQ(eval.status, 0) << eval.err;
  EXPECT_GT(nlohmann::json::parse(eval.out)["metrics"]["teacher"]["accuracy"].get<double>(), 0.85);

  CommandResult regression = run_cli("train --data builtin:van-der-pol --rows 200 --teacher forest --device cpu", dir);
  EXPECT_EQ(regression.status, 1);
  EXPECT_NE(regression.err.find("van-der-pol: the forest teacher classifies"), std::string::npos) << regression.err;
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

TEST(Cli, TraceKilledMidwayLeavesAConsistentStoreThatResumes) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run", store = dir.path() + "/trace.sqlite";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 3000 --epochs 1 --d-model 8 --experts 4 --depth 2 --expert-hidden 8 "
                    "--teacher none --no-baselines --device cpu --out " + run, dir).status, 0);
  // One sample per transaction, so the kill lands between (or inside) many commits.
  const std::string program = cli_program();  // before the fork: the child only calls exec
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    execl(program.c_str(), program.c_str(), "trace", "--run", run.c_str(), "--store", store.c_str(), "--batch-size", "1", "--device", "cpu",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int64_t traced = 0;
  for (int attempt = 0; attempt < 3000 && traced < 20; ++attempt) {
    usleep(10000);
    try {
      ndtmoe::Database db(store, ndtmoe::Database::Mode::ReadOnly);
      ndtmoe::Statement s = db.prepare("SELECT traced_samples FROM runs WHERE run_id = 1");
      if (s.step()) traced = s.integer(0);
    } catch (const ndtmoe::StoreError&) {
      // not created yet
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_GE(traced, 20) << "the trace never got going";

  {
    ndtmoe::Database db(store, ndtmoe::Database::Mode::ReadOnly);
    ndtmoe::Statement check = db.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
    ndtmoe::Statement counts = db.prepare(
        "SELECT r.status, r.traced_samples, (SELECT count(*) FROM samples s WHERE s.run_id = r.run_id), "
        "(SELECT sum(samples) FROM expert_load e WHERE e.run_id = r.run_id AND e.layer = 0) FROM runs r WHERE run_id = 1");
    ASSERT_TRUE(counts.step());
    EXPECT_EQ(counts.text(0), "tracing");
    EXPECT_LT(counts.integer(1), 3000);
    EXPECT_EQ(counts.integer(1), counts.integer(2));  // the run's counter and its rows agree
    EXPECT_EQ(counts.integer(1), counts.integer(3));  // and so do the aggregates
  }
  CommandResult runs = run_cli("query --store " + store + " runs", dir);
  ASSERT_EQ(runs.status, 0) << runs.err;
  EXPECT_NE(runs.out.find("tracing"), std::string::npos) << runs.out;

  // t-SNE on a few hundred samples: the default 5000 costs minutes under ThreadSanitizer, and the
  // embeddings are not what this test is about.
  CommandResult resumed = run_cli("trace --store " + store + " --resume 1 --embedding-samples 300", dir);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  CommandResult listed = run_cli("query --store " + store + " --json runs", dir);
  const auto j = nlohmann::json::parse(listed.out);
  EXPECT_EQ(j[0]["status"], "complete");
  EXPECT_EQ(j[0]["traced_samples"], 3000);

  CommandResult path = run_cli("query --store " + store + " --run 1 path 5", dir);
  ASSERT_EQ(path.status, 0) << path.err;
  EXPECT_NE(path.out.find("Layer 1"), std::string::npos) << path.out;
  CommandResult missing = run_cli("query --store " + store + " --run 7 path 5", dir);
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no run with id 7"), std::string::npos) << missing.err;
  EXPECT_EQ(run_cli("trace --store " + store + " --delete 1", dir).status, 0);
  EXPECT_EQ(nlohmann::json::parse(run_cli("query --store " + store + " --json runs", dir).out).size(), 0u);
}

TEST(Cli, ExplainStoresEveryMethodAndQueryListsThem) {
  ScratchDir dir;
  const std::string run = dir.path() + "/run", store = dir.path() + "/trace.sqlite";
  ASSERT_EQ(run_cli("train --data builtin:rule-tree --rows 300 --epochs 2 --d-model 8 --experts 4 --depth 2 --expert-hidden 8 "
                    "--teacher none --no-baselines --device cpu --out " + run, dir).status, 0);
  ASSERT_EQ(run_cli("trace --run " + run + " --store " + store, dir).status, 0);
  const std::string explain = "explain --store " + store + " --run 1 --json --method ";
  for (const std::string method : {"permutation --repeats 2", "integrated-gradients --steps 16 --max-samples 20", "specialization", "rules",
                                   "counterfactual --sample 4"}) {
    CommandResult r = run_cli(explain + method, dir);
    ASSERT_EQ(r.status, 0) << method << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["method"], method.substr(0, method.find(' ')));
    if (method.rfind("counterfactual", 0) != 0) {
      EXPECT_FALSE(j["values"].empty()) << method;
    }
  }
  const auto listed = nlohmann::json::parse(run_cli("query --store " + store + " --run 1 --json explanations", dir).out);
  EXPECT_EQ(listed.size(), 5u);
  for (const auto& e : listed) {
    EXPECT_FALSE(e["created_at"].get<std::string>().empty());
    EXPECT_EQ(e["parameters"].value("split", ""), "test") << e["method"];
  }
  // Specialization names each expert's dominant class in words; rules honour --split and say so.
  for (const auto& v : listed[2]["values"]) EXPECT_EQ(v["item"].get<std::string>().find("dominant_class"), std::string::npos) << v["item"];
  const CommandResult rules = run_cli("explain --store " + store + " --run 1 --method rules --split fit", dir);
  ASSERT_EQ(rules.status, 0) << rules.err;
  EXPECT_NE(rules.out.find("rule"), std::string::npos);
  EXPECT_NE(rules.out.find("share of samples"), std::string::npos) << rules.out;
  const auto fit = nlohmann::json::parse(run_cli("query --store " + store + " --run 1 --json explanations --method rules", dir).out);
  EXPECT_EQ(fit.back()["parameters"]["split"], "fit");
  // Integrated gradients on 20 test samples: per-sample values carry their sample ids.
  bool per_sample = false;
  for (const auto& v : listed[1]["values"]) per_sample = per_sample || !v["sample"].is_null();
  EXPECT_TRUE(per_sample);
  CommandResult missing = run_cli("explain --store " + store + " --run 1 --method counterfactual", dir);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--sample"), std::string::npos) << missing.err;
}

TEST(Cli, FamiliesListsTheRegistrysOptionsAsTheDocsDescribeThem) {
  ScratchDir dir;
  const CommandResult r = run_cli("families --json", dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json families = nlohmann::json::parse(r.out);
  ASSERT_GE(families.size(), 2u);
  std::ifstream file(source_dir() + "/docs/cli.md");
  const std::string docs((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const auto& family : families) {
    const std::string name = family.at("name");
    EXPECT_NE(docs.find("| `" + name + "`"), std::string::npos) << "docs/cli.md does not list family " << name;
    for (const auto& option : family.at("options")) {
      const std::string flag = option.at("flag");
      // The docs give an integer option as `--flag` default (min..max), a choice as `--flag` `default`.
      std::string expected = flag + "`";
      if (option.at("type") == "integer")
        expected += " " + option.at("default").dump() + " (" + std::to_string(option.at("minimum").get<int64_t>()) + ".." +
                    std::to_string(option.at("maximum").get<int64_t>()) + ")";
      else if (option.at("type") == "choice")
        expected += " `" + option.at("default").get<std::string>() + "`";
      EXPECT_NE(docs.find(expected), std::string::npos) << "docs/cli.md should say: " << expected;
    }
  }
}

TEST(Cli, TokenQueriesNameWhatEachExpertReceives) {
  ScratchDir dir;
  const std::string store = dir.path() + "/tokens.sqlite";
  {
    ndtmoe::TraceStore writer(store);
    ndtmoe::test::hand_token_run(writer, dir.path());
  }
  CommandResult tokens = run_cli("query --store " + store + " --run 1 tokens --layer 0 --expert 3 --json", dir);
  ASSERT_EQ(tokens.status, 0) << tokens.err;
  const auto j = nlohmann::json::parse(tokens.out);
  ASSERT_EQ(j["experts"].size(), 1u);
  EXPECT_EQ(j["experts"][0]["tokens"], 4);
  EXPECT_EQ(j["experts"][0]["top"][0]["token"], "q");
  EXPECT_DOUBLE_EQ(j["experts"][0]["top"][0]["share"].get<double>(), 1.0);
  EXPECT_EQ(j["experts"][0]["examples"].size(), 4u);
  // The path of one token: sample 0's 'q' took expert 3 in both layers.
  CommandResult path = run_cli("query --store " + store + " --run 1 path 0 --token 1 --json", dir);
  ASSERT_EQ(path.status, 0) << path.err;
  EXPECT_NE(path.out.find("\"experts\":[3]"), std::string::npos) << path.out;
  CommandResult missing = run_cli("query --store " + store + " --run 1 path 3 --token 2", dir);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("sample 3 of run 1 has no token there"), std::string::npos) << missing.err;
}
