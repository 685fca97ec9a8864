// An i32 loop kernel: arithmetic, branches and locals in a tight loop (a sieve plus a checksum).
static unsigned char sieve[1 << 16];
__attribute__((export_name("run"))) int run(int rounds) {
  int count = 0;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < (1 << 16); i++) sieve[i] = 1;
    for (int i = 2; i * i < (1 << 16); i++)
      if (sieve[i]) for (int j = i * i; j < (1 << 16); j += i) sieve[j] = 0;
    for (int i = 2; i < (1 << 16); i++) count += sieve[i] ? (i & 7) + 1 : 0;
  }
  return count;
}
#include "cold.h"
// The measured entry point: no parameters, so every engine (wabt's wasm-interp included) runs it the same way.
__attribute__((export_name("bench"))) long long bench(void) { return run(100); }
