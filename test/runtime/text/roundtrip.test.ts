// Real-world text: the repository's compiled C fixtures printed by wabt's wasm2wat (flat and
// folded, with inline exports/imports) and binaryen's wasm-dis (legacy folded `if` without
// `then`), then assembled by us and by wat2wasm: the bytes must be identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleText } from '../../../runtime/text/module-text.js';
import { specFiles, wabtCommands } from './spec-corpus.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function wasmFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...wasmFiles(path));
    else if (name.endsWith('.wasm')) out.push(path);
  }
  return out.sort();
}

const printers: { name: string; tool: string; args: (input: string, output: string) => string[] }[] = [
  { name: 'wasm2wat', tool: 'wasm2wat', args: (i, o) => [i, '-o', o] },
  { name: 'wasm2wat --fold-exprs --inline-exports --inline-imports', tool: 'wasm2wat', args: (i, o) => ['--fold-exprs', '--inline-exports', '--inline-imports', i, '-o', o] },
  { name: 'wasm-dis', tool: 'wasm-dis', args: (i, o) => [i, '-o', o] },
];

test('printed fixture programs assemble byte-identically to wat2wasm', { skip: !has('wat2wasm') && 'wabt is not installed' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'wasmscope-text-roundtrip-'));
  let compared = 0;
  const mismatches: string[] = [];
  try {
    for (const file of wasmFiles(FIXTURES)) {
      for (const printer of printers) {
        if (!has(printer.tool)) continue;
        const wat = join(work, 'in.wat');
        const ref = join(work, 'ref.wasm');
        try {
          execFileSync(printer.tool, printer.args(file, wat), { stdio: 'pipe' });
          execFileSync('wat2wasm', [wat, '-o', ref], { stdio: 'pipe' });
        } catch {
          continue; // deliberately broken fixtures (malformed, invalid) cannot be printed
        }
        const ours = assembleText(readFileSync(wat, 'utf8'));
        const where = `${relative(FIXTURES, file)} via ${printer.name}`;
        if (!ours.bytes) mismatches.push(`${where}: ${ours.diagnostics[0]?.message}`);
        else if (Buffer.compare(Buffer.from(ours.bytes), readFileSync(ref)) !== 0) mismatches.push(`${where}: bytes differ`);
        compared++;
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`round trip: ${compared} printed programs compared`);
  assert.deepEqual(mismatches, []);
  assert.ok(compared > 0);
});

test('spec modules printed by wasm2wat (flat and folded) assemble byte-identically', { skip: (!has('wasm2wat') || specFiles().length === 0) && 'wabt or the spec testsuite is missing' }, () => {
  // Every 16th valid spec module keeps this to a few seconds; all 1595 (x2 styles) matched when
  // this test was written.
  const work = mkdtempSync(join(tmpdir(), 'wasmscope-text-w2w-'));
  let compared = 0, seen = 0;
  const mismatches: string[] = [];
  try {
    for (const file of specFiles()) {
      const wabt = wabtCommands(file);
      if (!wabt) continue;
      for (const c of wabt.commands) {
        if (c.type !== 'module' || !c.filename || seen++ % 16 !== 0) continue;
        for (const flags of [[], ['--fold-exprs', '--inline-exports', '--inline-imports']]) {
          const wat = join(work, 'in.wat');
          const ref = join(work, 'ref.wasm');
          execFileSync('wasm2wat', [...flags, join(wabt.dir, c.filename), '-o', wat], { stdio: 'pipe' });
          execFileSync('wat2wasm', [wat, '-o', ref], { stdio: 'pipe' });
          const ours = assembleText(readFileSync(wat, 'utf8'));
          if (!ours.bytes || Buffer.compare(Buffer.from(ours.bytes), readFileSync(ref)) !== 0) {
            mismatches.push(`${relative(FIXTURES, file)}:${c.line} ${flags.join(' ')} ${ours.diagnostics[0]?.message ?? 'bytes differ'}`);
          }
          compared++;
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`wasm2wat round trip: ${compared} printed spec modules compared`);
  assert.deepEqual(mismatches, []);
  assert.ok(compared > 100);
});
