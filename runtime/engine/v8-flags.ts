// Probed-tier code of a large Wasm function (a probed and a fast copy of every run) passes V8's
// 60 KB bytecode limit for optimisation and then runs interpreted: n-body's kernel under the
// debugger measured ~160x slower than V8 with the default, ~10x with a wider limit. The flag only
// widens what V8 may optimise, for the whole process; debug sessions' workers set it, and so does
// the benchmark that measures them.
import v8 from 'node:v8';

export function allowLargeOptimizedFunctions(): void {
  v8.setFlagsFromString('--max-optimized-bytecode-size=262144');
}
