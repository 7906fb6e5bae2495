#include <dlfcn.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ndtmoe/model/cpu_threads.h"

using namespace ndtmoe;

TEST(CpuThreads, LibtorchGetsTheCoresAndOpenBlasTheCallingThread) {
  const int before = torch::get_num_threads();
  CpuThreads t = configure_cpu_threads(2);
  EXPECT_EQ(t.libtorch, 2);
  EXPECT_EQ(torch::get_num_threads(), 2);
  // Asked independently of the engine: OpenBLAS's own pool, where there is one, is down to one thread.
  const auto openblas_threads = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (openblas_threads) {
    EXPECT_NE(t.blas_threading, "not OpenBLAS");
    EXPECT_EQ(t.blas, openblas_threads());
    if (t.blas_threading == "pthreads") {
      EXPECT_EQ(openblas_threads(), 1);
    }
  } else {
    EXPECT_EQ(t.blas_threading, "not OpenBLAS");
    EXPECT_EQ(t.blas, 0);
  }
  // 0 keeps the pool size already set.
  EXPECT_EQ(configure_cpu_threads().libtorch, 2);
  configure_cpu_threads(before);
}
