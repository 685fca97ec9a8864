// Regression fixtures: every finding is saved under test/fixtures/fuzz/ as <mode>-<seed>.json (the
// seed, the mode and a one-line description) next to the input itself (.wasm and its .wat, or the
// .wat text for front-end findings). test/fuzz/regressions.test.ts replays them all.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Mode } from './cases.js';
import { wasmToWat } from './ttf.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../test/fixtures/fuzz/', import.meta.url));

export interface FixtureMeta {
  /** The fuzzer that found it; 'dap' fixtures hold a request for the debug adapter instead of an input file. */
  mode: Mode | 'dap';
  seed: number;
  what: string;
  description: string;
  exactState?: boolean;
  tier?: Finding['tier'];
  script?: boolean;
  /** File names relative to the fixture directory. */
  wasm?: string;
  wat?: string;
  /**
   * True while the bug is open: its regression test is a node:test `todo` (reported, not failing
   * CI). Whoever fixes the bug sets it to false, and the test then guards the fix.
   */
  open: boolean;
  /** 'dap' fixtures: the program (relative to the repository), where to stop, and the request to send. */
  program?: string;
  invoke?: { name: string; args: (string | number)[] };
  breakLine?: number;
  request?: { command: string; arguments: Record<string, unknown> };
}

/** The existing fixture with exactly this (minimised) input, if any: the same bug found again. */
export function duplicateOf(f: Finding, dir = FIXTURE_DIR): string | undefined {
  for (const { meta, bytes, text } of loadFixtures(dir)) {
    if (meta.mode !== f.mode) continue;
    if (f.bytes && bytes && Buffer.compare(Buffer.from(f.bytes), Buffer.from(bytes)) === 0) return `${meta.mode}-${meta.what}-${meta.seed}`;
    if (f.text !== undefined && text === f.text) return `${meta.mode}-${meta.what}-${meta.seed}`;
  }
  return undefined;
}

/** Writes the fixture (unless an identical one exists) and returns its path, or the duplicate's name. */
export function saveFixture(f: Finding, dir = FIXTURE_DIR): string {
  const duplicate = duplicateOf(f, dir);
  if (duplicate) return `(not saved: same input as ${duplicate})`;
  mkdirSync(dir, { recursive: true });
  const base = `${f.mode}-${f.what}-${f.seed}`;
  const meta: FixtureMeta = { mode: f.mode, seed: f.seed, what: f.what, description: f.description, exactState: f.exactState, tier: f.tier, script: f.script, open: true };
  if (f.bytes) {
    writeFileSync(join(dir, `${base}.wasm`), f.bytes);
    meta.wasm = `${base}.wasm`;
    const wat = wasmToWat(f.bytes);
    if (wat !== undefined) { writeFileSync(join(dir, `${base}.wat`), wat); meta.wat = `${base}.wat`; }
  } else if (f.text !== undefined) {
    writeFileSync(join(dir, `${base}.wat`), f.text);
    meta.wat = `${base}.wat`;
  }
  writeFileSync(join(dir, `${base}.json`), JSON.stringify(meta, null, 2) + '\n');
  return join(dir, `${base}.json`);
}

export function loadFixtures(dir = FIXTURE_DIR): { meta: FixtureMeta; bytes?: Uint8Array; text?: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => {
    const meta = JSON.parse(readFileSync(join(dir, n), 'utf8')) as FixtureMeta;
    const bytes = meta.wasm ? new Uint8Array(readFileSync(join(dir, meta.wasm))) : undefined;
    const text = !meta.wasm && meta.wat ? readFileSync(join(dir, meta.wat), 'utf8') : undefined;
    return { meta, bytes, text };
  });
}
