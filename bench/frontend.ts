// The text front end against the wabt npm package (wabt compiled to Wasm, run by V8): parse,
// resolve names and validate a generated 50,000-line module, and re-check a 5,000-line module
// after a one-character edit. Ratios are taken in one run.
import { createRequire } from 'node:module';
import { bestOf } from '../runtime/profile/calibrate.js';
import { checkText } from '../runtime/text/index.js';
import { printTable } from './table.js';

interface WabtModule {
  resolveNames(): void;
  validate(): void;
  destroy(): void;
}
interface Wabt {
  parseWat(name: string, text: string, features?: Record<string, boolean>): WabtModule;
}

/**
 * A deterministic module of about `lines` lines shaped like compiled code: functions with
 * parameters and locals, nested blocks and loops, branches, calls, loads and stores, globals.
 */
export function generateWat(lines: number): string {
  const out: string[] = ['(module', '  (type $binop (func (param i32 i32) (result i32)))', '  (memory $mem 4)',
    '  (global $sp (mut i32) (i32.const 65536))', '  (table $fns 64 funcref)'];
  let seed = 12345;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  let f = 0;
  while (out.length < lines - 2) {
    out.push(`  (func $f${f} (export "f${f}") (param $a i32) (param $b i32) (result i32)`, '    (local $i i32) (local $acc i32) (local $x i64)');
    out.push('    (local.set $acc (local.get $a))', '    (block $done', '      (loop $next');
    const body = 20 + rand(30);
    for (let k = 0; k < body; k++) {
      switch (rand(6)) {
        case 0: out.push('        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 3))))'); break;
        case 1: out.push('        (i32.store offset=16 (i32.and (local.get $acc) (i32.const 0xfffc)) (local.get $b))'); break;
        case 2: out.push('        (local.set $acc (i32.xor (local.get $acc) (i32.load (i32.and (local.get $i) (i32.const 0xfffc)))))'); break;
        case 3: out.push(f > 0 ? `        (local.set $acc (call $f${rand(f)} (local.get $acc) (local.get $i)))` : '        nop'); break;
        case 4: out.push('        (local.set $x (i64.add (local.get $x) (i64.extend_i32_u (local.get $acc))))'); break;
        default: out.push('        (br_if $done (i32.gt_u (local.get $acc) (i32.const 1000000)))'); break;
      }
    }
    out.push('        (local.set $i (i32.add (local.get $i) (i32.const 1)))', '        (br_if $next (i32.lt_u (local.get $i) (local.get $b)))))',
      '    (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))', '    (i32.add (local.get $acc) (i32.wrap_i64 (local.get $x))))');
    f++;
  }
  out.push(')');
  return out.join('\n');
}

/** Milliseconds one call of `f` takes. */
function timeOnce(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

export async function benchFrontend(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wabt = await (require('wabt') as () => Promise<Wabt>)();
  const big = generateWat(50_000);
  const wabtCheck = (): void => {
    const m = wabt.parseWat('big.wat', big);
    m.resolveNames();
    m.validate();
    m.destroy();
  };
  const oursCheck = (): void => {
    if (checkText(big).diagnostics.length > 0) throw new Error('the generated module has errors');
  };
  // Cold: the first call in this process, what `wasmscope check` on one file pays (V8 has not
  // optimised our code yet; wabt's Wasm was compiled when it loaded).
  const oursColdMs = timeOnce(oursCheck);
  const wabtColdMs = timeOnce(wabtCheck);
  // Warm: what the language server pays on every re-check. Both get the same warm-up; runs
  // alternate so garbage and machine noise fall on both alike.
  for (let i = 0; i < 4; i++) {
    oursCheck();
    wabtCheck();
  }
  let oursMs = Infinity, wabtMs = Infinity;
  for (let i = 0; i < 10; i++) {
    oursMs = Math.min(oursMs, timeOnce(oursCheck));
    wabtMs = Math.min(wabtMs, timeOnce(wabtCheck));
  }
  const small = generateWat(5_000);
  checkText(small);
  const at = small.indexOf('(i32.const 3)');
  let digit = 3;
  const recheckMs = bestOf(10, () => {
    digit = (digit + 1) % 10;
    checkText(small.slice(0, at + 11) + digit + small.slice(at + 12));
  });
  const lines = big.split('\n').length;
  printTable('Text front end', [
    { task: `parse + resolve + validate ${lines} lines, warm (best of 10)`, 'wasmscope ms': oursMs.toFixed(1), 'wabt (npm) ms': wabtMs.toFixed(1), 'wabt / wasmscope': (wabtMs / oursMs).toFixed(2), target: '< 200 ms, faster than wabt' },
    { task: `the same, cold (first run in the process)`, 'wasmscope ms': oursColdMs.toFixed(1), 'wabt (npm) ms': wabtColdMs.toFixed(1), 'wabt / wasmscope': (wabtColdMs / oursColdMs).toFixed(2), target: '' },
    { task: 're-check 5,000 lines after a one-character edit', 'wasmscope ms': recheckMs.toFixed(1), 'wabt (npm) ms': '', 'wabt / wasmscope': '', target: '< 30 ms' },
  ]);
}
