// An i64-heavy kernel: xorshift64* PRNG feeding an FNV-1a-style 64-bit hash.
typedef unsigned long long u64;
__attribute__((export_name("run"))) long long run(int n) {
  u64 state = 0x9E3779B97F4A7C15ull, h = 0xcbf29ce484222325ull;
  for (int i = 0; i < n; i++) {
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    u64 x = state * 0x2545F4914F6CDD1Dull;
    h = (h ^ (x & 0xff)) * 0x100000001b3ull;
    h ^= x >> 33;
  }
  return (long long)h;
}
#include "cold.h"
// The measured entry point: no parameters, so every engine (wabt's wasm-interp included) runs it the same way.
__attribute__((export_name("bench"))) long long bench(void) { return run(5000000); }
