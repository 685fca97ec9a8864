#!/usr/bin/env bash
# Rebuilds the benchmark modules (committed, so benchmarks need no C toolchain). Freestanding
# wasm32: no libc, no WASI, each exports `run(n)` and ten cold functions.
set -euo pipefail
cd "$(dirname "$0")"
for src in *.c; do
  clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export-dynamic -mbulk-memory -o "${src%.c}.wasm" "$src"
done
