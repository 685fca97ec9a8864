// An f64 kernel: the classic n-body simulation (five bodies), returning the final energy * 1e9.
static const double px0[5] = {0, 4.84143144246472090e+00, 8.34336671824457987e+00, 1.28943695621391310e+01, 1.53796971148509165e+01};
static const double py0[5] = {0, -1.16032004402742839e+00, 4.12479856412430479e+00, -1.51111514016986312e+01, -2.59193146099879641e+01};
static const double pz0[5] = {0, -1.03622044471123109e-01, -4.03523417114321381e-01, -2.23307578892655734e-01, 1.79258772950371181e-01};
static const double vx0[5] = {0, 1.66007664274403694e-03 * 365.24, -2.76742510726862411e-03 * 365.24, 2.96460137564761618e-03 * 365.24, 2.68067772490389322e-03 * 365.24};
static const double vy0[5] = {0, 7.69901118419740425e-03 * 365.24, 4.99852801234917238e-03 * 365.24, 2.37847173959480950e-03 * 365.24, 1.62824170038242295e-03 * 365.24};
static const double vz0[5] = {0, -6.90460016972063023e-05 * 365.24, 2.30417297573763929e-05 * 365.24, -2.96589568540237556e-05 * 365.24, -9.51592254519715870e-05 * 365.24};
static double m[5] = {39.47841760435743, 9.54791938424326609e-04 * 39.47841760435743, 2.85885980666130812e-04 * 39.47841760435743,
                      4.36624404335156298e-05 * 39.47841760435743, 5.15138902046611451e-05 * 39.47841760435743};
// Working state, reset from the initial values at every run so each run computes the same result.
static double px[5], py[5], pz[5], vx[5], vy[5], vz[5];
static double energy(void) {
  double e = 0;
  for (int i = 0; i < 5; i++) {
    e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < 5; j++) {
      double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
      e -= m[i] * m[j] / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}
__attribute__((export_name("run"))) long long run(int steps) {
  const double dt = 0.01;
  for (int i = 0; i < 5; i++) { px[i] = px0[i]; py[i] = py0[i]; pz[i] = pz0[i]; vx[i] = vx0[i]; vy[i] = vy0[i]; vz[i] = vz0[i]; }
  for (int s = 0; s < steps; s++) {
    for (int i = 0; i < 5; i++)
      for (int j = i + 1; j < 5; j++) {
        double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
        double d2 = dx * dx + dy * dy + dz * dz, mag = dt / (d2 * __builtin_sqrt(d2));
        vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
        vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
      }
    for (int i = 0; i < 5; i++) { px[i] += dt * vx[i]; py[i] += dt * vy[i]; pz[i] += dt * vz[i]; }
  }
  return (long long)(energy() * 1e9);
}
#include "cold.h"
// The measured entry point: no parameters, so every engine (wabt's wasm-interp included) runs it the same way.
__attribute__((export_name("bench"))) long long bench(void) { return run(100000); }
