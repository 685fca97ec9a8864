// The extension in desktop VS Code (Electron) through @vscode/test-electron, the standard harness
// for VS Code extensions. It needs a VS Code build: @vscode/test-electron downloads one, which this
// machine cannot (no network beyond package registries), so the test skips unless one is given.
// The code-server end-to-end test (e2e.test.ts) covers the same extension through a browser here.
//
//   WASMSCOPE_VSCODE_EXECUTABLE=/path/to/code   use an installed VS Code
//   WASMSCOPE_ELECTRON=download                  let @vscode/test-electron download one
// (On Linux without a display, run under xvfb-run.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const repoRoot = join(import.meta.dirname, '..', '..');
const executable = process.env.WASMSCOPE_VSCODE_EXECUTABLE;
const download = process.env.WASMSCOPE_ELECTRON === 'download';
const skip = executable || download
  ? false
  : 'no desktop VS Code here and none can be downloaded: set WASMSCOPE_VSCODE_EXECUTABLE=/path/to/code (or WASMSCOPE_ELECTRON=download where the network allows); e2e.test.ts covers the extension through code-server';

test('the extension activates, registers its commands and debugs the active .wat in desktop VS Code', { skip, timeout: 10 * 60_000 }, async () => {
  const { runTests } = await import('@vscode/test-electron');
  const out = mkdtempSync(join(tmpdir(), 'wasmscope-electron-'));
  try {
    // VS Code loads test suites with require(): bundle ours to CommonJS, with `vscode` left to the host.
    const suite = join(out, 'suite.cjs');
    await build({ entryPoints: [join(repoRoot, 'test', 'extension', 'electron', 'suite.ts')], outfile: suite, bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'warning' });
    const exitCode = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [join(repoRoot, 'test', 'fixtures', 'e2e'), '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(out, 'user-data')],
    });
    assert.equal(exitCode, 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
