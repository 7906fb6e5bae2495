#include "ndtmoe/model/cpu_threads.h"

#include <dlfcn.h>
#include <torch/torch.h>

namespace ndtmoe {
namespace {

// OpenBLAS is looked up at run time: it is Debian's BLAS behind libtorch, but a CUDA libtorch brings MKL.
template <typename Function>
Function openblas(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

CpuThreads configure_cpu_threads(int threads, int blas_threads) {
  if (threads > 0) torch::set_num_threads(threads);
  CpuThreads in_effect;
  in_effect.libtorch = torch::get_num_threads();
  const auto get_parallel = openblas<int (*)()>("openblas_get_parallel");
  const auto set_threads = openblas<void (*)(int)>("openblas_set_num_threads");
  const auto get_threads = openblas<int (*)()>("openblas_get_num_threads");
  if (!get_parallel || !set_threads || !get_threads) {
    in_effect.blas_threading = "not OpenBLAS";
    return in_effect;
  }
  const int parallel = get_parallel();  // 0 sequential, 1 pthreads, 2 OpenMP
  in_effect.blas_threading = parallel == 1 ? "pthreads" : parallel == 2 ? "openmp" : "sequential";
  if (parallel == 1) set_threads(blas_threads);
  in_effect.blas = get_threads();
  return in_effect;
}

}  // namespace ndtmoe
