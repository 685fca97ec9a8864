// The profiler through its library interface, with host functions a test controls: time spent in a
// host body is attributed to that import, crossings are counted exactly, and the boundary cost is
// calibrated and reported in both modes.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '../../../runtime/loader.js';
import type { ProgramOptions } from '../../../runtime/program.js';
import { checkCpuProfile } from '../../../runtime/profile/cpuprofile.js';
import { profileInterpreted } from '../../../runtime/profile/interp.js';
import { profileNative, type NativeImports } from '../../../runtime/profile/native.js';
import { formatSummary, type ProfileResult } from '../../../runtime/profile/report.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'cli', 'host-calls.wat');

/** Host functions whose own time the test knows: `busy` records how long it really spun. */
function hostFunctions() {
  const spun: number[] = [];
  let ticks = 0;
  return {
    spun,
    ticks: () => ticks,
    functions: {
      env: {
        busy: (ms: number) => {
          const t0 = performance.now();
          while (performance.now() - t0 < ms) { /* busy-wait: the known host time */ }
          spun.push(performance.now() - t0);
        },
        tick: () => { ticks++; },
      },
    },
  };
}

function profile(mode: 'interp' | 'native', exportName: string, args: string[], host: ReturnType<typeof hostFunctions>): ProfileResult {
  const program = loadProgram(fixture);
  const options: ProgramOptions = { args: [], env: {}, preopens: [], invoke: { name: exportName, args }, hostFunctions: host.functions };
  if (mode === 'interp') return profileInterpreted(program, options, () => {});
  return profileNative({
    module: program.module, bytes: program.bytes, imports: host.functions as NativeImports,
    run: (instance) => {
      (instance.exports[exportName] as (...a: number[]) => void)(...args.map(Number));
      return 0;
    },
  });
}

for (const mode of ['interp', 'native'] as const) {
  describe(`${mode} mode`, () => {
    test('a host function that busy-waits is attributed its time within 10%', () => {
      const host = hostFunctions();
      const { report, profile: cpu } = profile(mode, 'spin', [], host);
      const known = host.spun.reduce((a, b) => a + b, 0);
      assert.equal(host.spun.length, 5);
      const busy = report.imports.find((i) => i.name === 'busy')!;
      assert.equal(busy.calls, 5);
      assert.ok(Math.abs(busy.hostTime - known) <= known * 0.1, `host time ${busy.hostTime} ms vs known ${known} ms`);
      assert.deepEqual(checkCpuProfile(cpu), []);
      // The host function is its own node under its guest caller in the .cpuprofile (engine or V8
      // adapter frames may sit between them).
      const hostNode = cpu.nodes.find((n) => n.callFrame.functionName === '[host] env.busy');
      assert.ok(hostNode, 'no [host] env.busy node in the profile');
      let parent = cpu.nodes.find((n) => n.children?.includes(hostNode.id));
      while (parent && !parent.callFrame.url.startsWith('wasm://')) parent = cpu.nodes.find((n) => n.children?.includes(parent!.id));
      assert.equal(parent?.callFrame.functionName, 'spin');
    });

    test('a million empty host calls: exact count and a calibrated per-call boundary cost', () => {
      const host = hostFunctions();
      const { report } = profile(mode, 'chatty', ['1000000'], host);
      const tick = report.imports.find((i) => i.name === 'tick')!;
      assert.equal(host.ticks(), 1_000_000);
      assert.equal(tick.calls, 1_000_000);
      assert.ok(report.boundaryCostNs > 0 && report.boundaryCostNs < 10_000, `boundary cost ${report.boundaryCostNs} ns`);
      assert.ok(Math.abs(tick.boundaryTime - (tick.calls * report.boundaryCostNs) / 1e6) < 1e-6);
      const summary = formatSummary(report);
      assert.match(summary, /1000000 host calls; one empty crossing costs \d+\.\d ns \(calibrated\)/);
      assert.match(summary, /env\.tick +1000000 /);
    });
  });
}
