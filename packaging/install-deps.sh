#!/usr/bin/env bash
# Installs every Debian 12 package the workbench needs to build, run and test.
# The word lists are the languages of builtin:words.
# Idempotent: apt-get skips what is already installed. Usage: install-deps.sh [--core-only]
set -euo pipefail

# libopenblas0-pthread matters: without it Debian's libtorch runs its matrix products on the netlib
# reference BLAS (libblas.so.3), about ten times slower.
core_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread libsqlite3-dev zlib1g-dev libgtest-dev
  libcli11-dev nlohmann-json3-dev
  dataset-fashion-mnist python3-torch python3-numpy
  wamerican wngerman wfrench wspanish witalian wportuguese
)
gui_packages=(
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqcustomplot-dev libgraphviz-dev libgl-dev xvfb xauth
)

packages=("${core_packages[@]}")
if [[ "${1:-}" != "--core-only" ]]; then
  packages+=("${gui_packages[@]}")
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
