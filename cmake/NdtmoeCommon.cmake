# One INTERFACE target carries the warnings and definitions every project target shares,
# and one wraps libtorch so its quirks (flags, include paths) are handled in a single place.

add_library(ndtmoe_common INTERFACE)
target_compile_options(ndtmoe_common INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wno-unused-parameter>)
# Qt's `slots`/`signals` macros break libtorch headers (pytorch/pytorch#19405).
target_compile_definitions(ndtmoe_common INTERFACE QT_NO_KEYWORDS)

find_package(Torch REQUIRED)
add_library(ndtmoe_torch INTERFACE)
target_link_libraries(ndtmoe_torch INTERFACE ${TORCH_LIBRARIES})
# TORCH_CXX_FLAGS carries the _GLIBCXX_USE_CXX11_ABI choice the libtorch build made.
separate_arguments(_ndtmoe_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(ndtmoe_torch INTERFACE ${_ndtmoe_torch_flags})
# A pip wheel's libtorch finds its CUDA libraries (NCCL, cuDNN, ...) in the nvidia/* packages beside it
# through its own RUNPATH, but the linker searches the CUDA toolkit's folders first and can take an older
# NCCL there: name the wheel's folders for resolving those dependencies at link time.
file(GLOB _ndtmoe_wheel_cuda_libraries LIST_DIRECTORIES true "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib" "${TORCH_INSTALL_PREFIX}/../nvidia/cu*/lib")
foreach(_dir IN LISTS _ndtmoe_wheel_cuda_libraries)
  target_link_options(ndtmoe_torch INTERFACE "LINKER:-rpath-link,${_dir}")
endforeach()
# libtorch's own headers emit many warnings; treat them as system headers.
get_target_property(_ndtmoe_torch_includes torch INTERFACE_INCLUDE_DIRECTORIES)
if(_ndtmoe_torch_includes)
  target_include_directories(ndtmoe_torch SYSTEM INTERFACE ${_ndtmoe_torch_includes})
endif()
