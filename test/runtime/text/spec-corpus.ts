// Shared by the spec-suite tests: runs Debian's wast2json on each spec .wast (cached in the temp
// directory by file mtime) and pairs its modules with ours by command line.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const SPEC_DIR = process.env.WASM_SPEC_TESTSUITE ?? '/work/shared/spec-testsuite/wasm-2.0';

export function specFiles(): string[] {
  if (!existsSync(SPEC_DIR)) return [];
  return readdirSync(SPEC_DIR).filter((f) => f.endsWith('.wast')).sort().map((f) => join(SPEC_DIR, f));
}

export interface WabtCommand {
  type: string;
  line: number;
  filename?: string;
  module_type?: 'binary' | 'text';
  text?: string;
}

/** wast2json output for one file, or undefined when wabt cannot process it. */
export function wabtCommands(file: string, debugNames = false): { dir: string; commands: WabtCommand[] } | undefined {
  const stamp = Math.floor(statSync(file).mtimeMs);
  const dir = join(tmpdir(), 'wasmscope-text-wast2json', `${basename(file, '.wast')}-${stamp}${debugNames ? '-names' : ''}`);
  const json = join(dir, 'out.json');
  const failed = join(dir, 'FAILED');
  if (existsSync(failed)) return undefined;
  if (!existsSync(json)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('wast2json', [...(debugNames ? ['--debug-names'] : []), file, '-o', json], { stdio: 'pipe' });
    } catch {
      execFileSync('touch', [failed]);
      return undefined;
    }
  }
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as { commands: WabtCommand[] };
  return { dir, commands: parsed.commands };
}
