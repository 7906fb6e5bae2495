#pragma once
// CPU thread set-up of the engine, called once by every program before it trains or infers.
//
// libtorch runs its element-wise kernels on an OpenMP pool, and Debian's libtorch hands matrix products to
// OpenBLAS, whose pthreads build keeps a second pool of its own. Threads of both pools spin while they wait
// for work, so with each pool as large as the machine they take turns on the cores instead of working:
// on the 2-core development machine training ran at half speed (docs/benchmarks.md). The engine gives the
// cores to libtorch's pool and runs OpenBLAS on the calling thread. Other BLAS builds (OpenMP OpenBLAS,
// MKL in CUDA wheels) share libtorch's pool already and are left alone.

#include <string>

namespace ndtmoe {

struct CpuThreads {
  int libtorch = 0;            // intra-op threads in effect
  int blas = 0;                // OpenBLAS threads in effect; 0 where the BLAS is not OpenBLAS
  std::string blas_threading;  // "pthreads", "openmp", "sequential" or "not OpenBLAS"
};

// threads > 0 sets libtorch's intra-op pool; 0 keeps libtorch's default (one per core). `blas_threads`
// sets OpenBLAS's own pool where it has one (pthreads): 1, the engine's set-up, or more to measure
// against it (ndtmoe bench --blas-threads). Returns what is in effect.
CpuThreads configure_cpu_threads(int threads = 0, int blas_threads = 1);

}  // namespace ndtmoe
