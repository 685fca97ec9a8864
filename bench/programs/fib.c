// Recursive Fibonacci: call-heavy, measures call and return overhead.
__attribute__((noinline)) static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
__attribute__((export_name("run"))) int run(int n) { return fib(n); }
// Cold functions that the "breakpoints armed" variant puts breakpoints into; never called in the loop.
#include "cold.h"
// The measured entry point: no parameters, so every engine (wabt's wasm-interp included) runs it the same way.
__attribute__((export_name("bench"))) long long bench(void) { return run(33); }
