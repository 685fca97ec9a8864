// Ten small functions that the benchmark's "breakpoints armed" runs put breakpoints into. They are
// exported so the linker keeps them, and never called by the measured kernel.
#define COLD(i) __attribute__((export_name("cold" #i), noinline)) int cold##i(int x) { return x * (i + 3) ^ (x >> i); }
COLD(0) COLD(1) COLD(2) COLD(3) COLD(4) COLD(5) COLD(6) COLD(7) COLD(8) COLD(9)
