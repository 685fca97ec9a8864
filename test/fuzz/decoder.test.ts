// Decoder and validator under mutated binaries: same accept/reject verdict as V8 (wabt breaking
// ties on post-2.0 features V8 accepts), only our own error classes, always with an offset, fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCampaign } from '../../fuzz/campaign.js';
import { caseInput } from '../../fuzz/cases.js';
import { checkDecoder, loadWabt, oursVerdict } from '../../fuzz/decode-fuzz.js';
import { wasmOptAvailable } from '../../fuzz/ttf.js';
import { concat, encodeSection } from '../../fuzz/sections.js';

const noWasmOpt = wasmOptAvailable() ? false : 'wasm-opt (binaryen) is not installed';
const CI_CASES = 1600;
const HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test(`decoder and validator agree with V8 on ${CI_CASES} mutated modules`, { skip: noWasmOpt, timeout: 240_000 }, async () => {
  const summary = await runCampaign({ modes: ['decode'], seeds: Array.from({ length: CI_CASES }, (_, i) => i) });
  const stats = summary.stats.decode!;
  assert.deepEqual(summary.harnessErrors, []);
  assert.deepEqual(summary.findings.map((f) => `seed ${f.seed}: ${f.what}: ${f.description}`), []);
  assert.equal(stats.cases, CI_CASES);
  // Both verdicts occur, so the agreement is not trivial.
  assert.ok((stats.categories['agree-invalid'] ?? 0) > 100 && (stats.categories['agree-valid'] ?? 0) > 10, JSON.stringify(stats.categories));
});

test('absurd counts and sizes are rejected quickly, without allocating for them', async () => {
  await loadWabt();
  const huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
  const cases: [string, Uint8Array][] = [
    ['type count 2^32-1', concat([HEADER, encodeSection(1, new Uint8Array(huge))])],
    ['function count 2^32-1', concat([HEADER, encodeSection(3, new Uint8Array(huge))])],
    ['memory min 2^32-1 pages', concat([HEADER, encodeSection(5, new Uint8Array([1, 0, ...huge]))])],
    ['table of 2^32-1 funcrefs', concat([HEADER, encodeSection(4, new Uint8Array([1, 0x70, 0, ...huge]))])],
    ['section size past the end', concat([HEADER, new Uint8Array([1, ...huge])])],
    ['2^32-1 locals', concat([HEADER, encodeSection(1, new Uint8Array([1, 0x60, 0, 0])), encodeSection(3, new Uint8Array([1, 0])),
      encodeSection(10, new Uint8Array([1, 8, 1, ...huge, 0x7f, 0x0b]))])],
    ['data count 2^32-1', concat([HEADER, encodeSection(12, new Uint8Array(huge))])],
  ];
  for (const [name, bytes] of cases) {
    const before = process.memoryUsage().arrayBuffers;
    const v = checkDecoder(bytes);
    assert.ok(v.kind === 'agree' || v.kind === 'v8-stricter', `${name}: ${JSON.stringify(v)}`);
    const { ours, elapsedMs } = oursVerdict(bytes);
    assert.ok(elapsedMs < 500, `${name} took ${elapsedMs} ms`);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 << 20, `${name} allocated buffers`);
    if (!ours.valid) assert.ok(ours.error!.location!.offset <= bytes.length, name);
  }
});

const cli = fileURLToPath(new URL('../../dist/wasmscope.js', import.meta.url));

test('`wasmscope check` exits 1 and names an offset for mutated invalid modules', { skip: noWasmOpt || (existsSync(cli) ? false : 'dist/wasmscope.js is not built (npm run build)') }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-fuzz-check-'));
  try {
    let checked = 0;
    for (let seed = 0; checked < 4 && seed < 200; seed++) {
      const { bytes } = caseInput('decode', seed);
      if (WebAssembly.validate(bytes!)) continue;
      const file = join(dir, `m${seed}.wasm`);
      writeFileSync(file, bytes!);
      const r = spawnSync(process.execPath, [cli, 'check', file], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 1, `seed ${seed}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /offset 0x[0-9a-f]+/, `seed ${seed}`);
      checked++;
    }
    assert.equal(checked, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
