#!/usr/bin/env bash
# Gathers, on a Debian 12 machine that reaches a package registry, what a GPU server without one needs
# besides its own torch wheel to run bench/gpu.sh: the build's libraries (SQLite, zlib), header-only and
# test packages (nlohmann-json, CLI11, GoogleTest) unpacked into DIR/root, and the files the tests read
# (the word lists of builtin:words, the Fashion-MNIST test split) under DIR/share, and the sample data sets
# of ../shared/data under DIR/shared-data. Copy DIR to the server
# and pass it as bench/gpu.sh --deps DIR.
#   packaging/offline-deps.sh [DIR]   (default: device-deps, which git ignores)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-device-deps}
packages=(libsqlite3-dev libsqlite3-0 zlib1g-dev zlib1g nlohmann-json3-dev libcli11-dev libgtest-dev
          wamerican wngerman wfrench wspanish witalian wportuguese)
fashion_mnist=/usr/share/datasets/fashion-mnist

rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root" "$dir/share/datasets/fashion-mnist"
(cd "$dir/debs" && apt-get download "${packages[@]}")
for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
rm -rf "$dir/debs"
mv "$dir/root/usr/share/dict" "$dir/share/dict"
# What the build does not read goes, to keep the folder small enough to copy.
rm -rf "$dir/root/usr/src" "$dir/root/usr/share/doc" "$dir/root/usr/share/man" "$dir/root/usr/share/lintian" "$dir"/root/usr/lib/x86_64-linux-gnu/lib{sqlite3,z}.a
# Debian's absolute links (libz.so -> /lib/...) would point into the server's own system: keep them inside DIR.
find "$dir/root" -type l -lname '/*' | while read -r link; do
  ln -sfn "$(realpath --relative-to="$(dirname "$link")" "$dir/root$(readlink "$link")")" "$link"
done
# The tests read only the official test split; the training split (26 MB) stays behind.
if [ ! -f "$fashion_mnist/t10k-images-idx3-ubyte.gz" ]; then
  echo "offline-deps.sh: $fashion_mnist/t10k-*.gz missing: install dataset-fashion-mnist (packaging/install-deps.sh)" >&2
  exit 1
fi
cp "$fashion_mnist"/t10k-*.gz "$dir/share/datasets/fashion-mnist/"
cp -r ../shared/data "$dir/shared-data"
du -sh "$dir"
