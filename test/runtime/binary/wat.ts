// Test helper: assemble WAT with Debian's wat2wasm (installed by .ci/run), so decoder and
// validator tests can state their inputs as readable text instead of hand-written bytes.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function wat(text: string, extraFlags: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-wat-'));
  try {
    const input = join(dir, 'm.wat');
    const output = join(dir, 'm.wasm');
    writeFileSync(input, text);
    execFileSync('wat2wasm', [input, '-o', output, '--no-check', ...extraFlags], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
