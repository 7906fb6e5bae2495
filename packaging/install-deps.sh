#!/usr/bin/env bash
# Installs every Debian 12 package the workbench needs to build, run and test.
# The word lists are the languages of builtin:words.
# Idempotent: apt-get skips what is already installed. Usage: install-deps.sh [--core-only] [--torch-wheel] [--fuzz]
# --torch-wheel also installs PyPI's current torch wheel (libtorch 2.x, built with CUDA) into the git-ignored
# virtual environment .venv-torch, for building against it: bench/gpu.sh --python .venv-torch/bin/python3.
# --fuzz also installs clang with libFuzzer and the sanitizers' runtimes, for bench/fuzz.sh.
set -euo pipefail

# libopenblas0-pthread matters: without it Debian's libtorch runs its matrix products on the netlib
# reference BLAS (libblas.so.3), about ten times slower.
core_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libgloo-dev libopenblas0-pthread libsqlite3-dev zlib1g-dev libgtest-dev
  libcli11-dev nlohmann-json3-dev
  dataset-fashion-mnist python3-torch python3-numpy
  wamerican wngerman wfrench wspanish witalian wportuguese
)
gui_packages=(
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqcustomplot-dev libgraphviz-dev libgl-dev xvfb xauth
)

with_gui=true with_torch_wheel=false with_fuzz=false
for argument in "$@"; do
  case "$argument" in
    --core-only) with_gui=false ;;
    --torch-wheel) with_torch_wheel=true ;;
    --fuzz) with_fuzz=true ;;
    *) echo "install-deps.sh: unknown option $argument (--core-only, --torch-wheel, --fuzz)" >&2; exit 2 ;;
  esac
done
packages=("${core_packages[@]}")
if $with_gui; then packages+=("${gui_packages[@]}"); fi
if $with_torch_wheel; then packages+=(python3-venv python3-pip); fi
if $with_fuzz; then packages+=(clang libclang-rt-14-dev); fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"

if $with_torch_wheel; then
  venv="$(dirname "$0")/../.venv-torch"
  [ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install -q --upgrade torch
  "$venv/bin/python3" -c 'import torch; print("torch", torch.__version__, "in", torch.__file__)'
fi
