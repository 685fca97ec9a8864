// The binary modules of the spec testsuite, produced by Debian's wast2json at test time and cached
// in os.tmpdir() keyed by each .wast file's mtime and size (the suite itself is never copied into
// the repository). Shared by the decoder, validator and printer tests.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const SPEC_DIR = process.env['WASM_SPEC_TESTSUITE'] ?? '/work/shared/spec-testsuite/wasm-2.0';

export type SpecExpectation = 'valid' | 'malformed' | 'invalid';

export interface SpecModule {
  wast: string;
  line: number;
  expect: SpecExpectation;
  /** The message the spec testsuite expects, for malformed and invalid modules. */
  text?: string;
  bytes: Uint8Array;
}

export interface SpecCorpus {
  modules: SpecModule[];
  /** .wast files wast2json could not convert, with its first error line. */
  skipped: { wast: string; reason: string }[];
}

/** Why the corpus is unavailable, or undefined when it can be used. */
export function corpusUnavailable(): string | undefined {
  if (!existsSync(SPEC_DIR)) return `spec testsuite not found at ${SPEC_DIR} (set WASM_SPEC_TESTSUITE)`;
  try {
    execFileSync('wast2json', ['--version'], { stdio: 'pipe' });
  } catch {
    return 'wast2json (wabt) is not installed';
  }
  return undefined;
}

interface Command { type: string; line: number; filename?: string; module_type?: string; text?: string }

let cached: SpecCorpus | undefined;

export function loadSpecCorpus(): SpecCorpus {
  if (cached) return cached;
  const cacheRoot = join(tmpdir(), 'wasmscope-wast2json');
  const modules: SpecModule[] = [];
  const skipped: SpecCorpus['skipped'] = [];
  for (const file of readdirSync(SPEC_DIR).filter((f) => f.endsWith('.wast')).sort()) {
    const path = join(SPEC_DIR, file);
    const st = statSync(path);
    const name = basename(file, '.wast');
    const dir = join(cacheRoot, `${name}-${Math.floor(st.mtimeMs)}-${st.size}`);
    const json = join(dir, `${name}.json`);
    if (!existsSync(json)) {
      // Test files run in parallel processes: convert into a private directory and rename it into
      // place, so no process ever reads another's half-written output.
      mkdirSync(cacheRoot, { recursive: true });
      const work = mkdtempSync(join(cacheRoot, 'tmp-'));
      try {
        execFileSync('wast2json', [path, '-o', join(work, `${name}.json`)], { stdio: 'pipe' });
        try {
          renameSync(work, dir);
        } catch {
          rmSync(work, { recursive: true, force: true }); // another process got there first
        }
      } catch (e) {
        rmSync(work, { recursive: true, force: true });
        const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
        skipped.push({ wast: file, reason: stderr.split('\n')[0] ?? 'wast2json failed' });
        continue;
      }
    }
    const commands = (JSON.parse(readFileSync(json, 'utf8')) as { commands: Command[] }).commands;
    for (const cmd of commands) {
      let expect: SpecExpectation | undefined;
      if (cmd.type === 'module' || cmd.type === 'assert_unlinkable' || cmd.type === 'assert_uninstantiable') {
        expect = 'valid';
      } else if (cmd.type === 'assert_malformed' && cmd.module_type === 'binary') {
        expect = 'malformed';
      } else if (cmd.type === 'assert_invalid' && cmd.module_type === 'binary') {
        expect = 'invalid';
      }
      if (!expect || !cmd.filename?.endsWith('.wasm')) continue;
      const mod: SpecModule = { wast: file, line: cmd.line, expect, bytes: new Uint8Array(readFileSync(join(dir, cmd.filename))) };
      if (cmd.text !== undefined) mod.text = cmd.text;
      modules.push(mod);
    }
  }
  cached = { modules, skipped };
  return cached;
}
