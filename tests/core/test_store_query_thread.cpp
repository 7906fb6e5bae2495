// The views' query thread (StoreQueryThread): queries run in order on a thread of their own with its own
// read-only connection, a waiting query is dropped for a newer one of its key, and destruction finishes
// the running query and drops the waiting ones. CI runs these under ThreadSanitizer.

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "ndtmoe/store/store_query_thread.h"
#include "run_fixtures.h"

using namespace ndtmoe;

namespace {

// Holds the query thread in its first job until released, so the next jobs wait in the queue.
struct Gate {
  std::promise<void> entered, release;
  StoreQueryThread::Job job() {
    return [this](StoreQueryThread&) {
      entered.set_value();
      release.get_future().wait();
    };
  }
};

}  // namespace

TEST(StoreQueryThread, AWaitingQueryIsDroppedForANewerOneOfItsKeyAndTheRestRunInOrder) {
  test::ScratchDir dir;
  StoreQueryThread queries(dir.path() + "/absent.sqlite");
  Gate gate;
  queries.enqueue("gate", gate.job());
  gate.entered.get_future().wait();
  std::vector<std::string> ran;  // written on the query thread only, read after `done`
  const auto record = [&](std::string name) { return [&ran, name](StoreQueryThread&) { ran.push_back(name); }; };
  for (int i = 0; i < 5; ++i) queries.enqueue("tree", record("tree " + std::to_string(i)));
  queries.enqueue("path", record("path"));
  queries.enqueue("tree", record("tree latest"));
  std::promise<std::thread::id> done;
  queries.enqueue("done", [&](StoreQueryThread&) { done.set_value(std::this_thread::get_id()); });
  gate.release.set_value();
  EXPECT_NE(done.get_future().get(), std::this_thread::get_id());
  EXPECT_EQ(ran, (std::vector<std::string>{"path", "tree latest"}));
}

TEST(StoreQueryThread, QueriesReadTheThreadsOwnConnectionAndAMissingStoreIsTheQuerysError) {
  test::ScratchDir dir;
  TraceStore store(dir.path() + "/trace.sqlite");
  const int64_t run = test::traced_family_run(dir, store, "ndt");
  StoreQueryThread queries(dir.path() + "/trace.sqlite");
  std::promise<int64_t> samples;
  queries.enqueue("runs", [&](StoreQueryThread& thread) { samples.set_value(thread.connection().run(run).traced_samples); });
  EXPECT_EQ(samples.get_future().get(), store.run(run).traced_samples);

  StoreQueryThread missing(dir.path() + "/absent.sqlite");
  std::promise<std::string> error;
  missing.enqueue("runs", [&](StoreQueryThread& thread) {
    try {
      thread.connection();
      error.set_value("");
    } catch (const StoreError& e) {
      error.set_value(e.what());
    }
  });
  EXPECT_NE(error.get_future().get().find("absent.sqlite"), std::string::npos);
}

TEST(StoreQueryThread, DestructionFinishesTheRunningQueryAndDropsTheWaitingOnes) {
  test::ScratchDir dir;
  bool finished = false, dropped_ran = false;  // written on the query thread, read after it is joined
  std::thread release;
  {
    StoreQueryThread queries(dir.path() + "/absent.sqlite");
    auto gate = std::make_shared<Gate>();
    queries.enqueue("slow", [gate, &finished](StoreQueryThread& thread) {
      gate->job()(thread);
      finished = true;
    });
    gate->entered.get_future().wait();
    queries.enqueue("waiting", [&dropped_ran](StoreQueryThread&) { dropped_ran = true; });
    release = std::thread([gate] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // while the destructor waits
      gate->release.set_value();
    });
  }
  release.join();
  EXPECT_TRUE(finished);
  EXPECT_FALSE(dropped_ran);
}
