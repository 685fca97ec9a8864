// A memory-heavy kernel: fill an array from an LCG, copy it, quicksort the copy, checksum it.
#define N 200000
static int a[N], b[N];
static void quicksort(int *v, int lo, int hi) {
  while (lo < hi) {
    int p = v[(lo + hi) >> 1], i = lo, j = hi;
    while (i <= j) {
      while (v[i] < p) i++;
      while (v[j] > p) j--;
      if (i <= j) { int t = v[i]; v[i] = v[j]; v[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; } else { quicksort(v, i, hi); hi = j; }
  }
}
__attribute__((export_name("run"))) int run(int rounds) {
  unsigned seed = 12345; int sum = 0;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < N; i++) { seed = seed * 1103515245u + 12345u; a[i] = (int)(seed >> 1); }
    __builtin_memcpy(b, a, sizeof a);
    quicksort(b, 0, N - 1);
    for (int i = 0; i < N; i += 97) sum += b[i] >> 16;
  }
  return sum;
}
#include "cold.h"
// The measured entry point: no parameters, so every engine (wabt's wasm-interp included) runs it the same way.
__attribute__((export_name("bench"))) long long bench(void) { return run(2); }
