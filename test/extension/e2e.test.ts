// End-to-end tests of the extension in a real VS Code: the .vsix from `npm run package` is
// installed into code-server, which serves a copy of test/fixtures/e2e/; Chromium, driven by
// playwright-core, does what a person would (open files, click the gutter, press F5, read panels).
//
// Opt-in: set WASMSCOPE_E2E=1 after `bash scripts/e2e-setup.sh` (CI decides when). Tests whose
// server-side half (`wasmscope lsp`, `wasmscope dap`, a CLI command) is not in dist/wasmscope.js yet
// skip and say which. Screenshots of every test's end state go to artifacts/e2e/, and the
// code-server and VS Code logs (extension host, language server output) to artifacts/e2e/logs/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { opByName } from '../../runtime/wasm/opcodes.js';
import { listedCommands, probeProtocol } from './cli-probe.js';
import { artifactsDir, CodeServer, launchBrowser, missingPrerequisite, packageExtension, repoRoot, waitFor, Workbench } from './e2e-harness.js';

const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'e2e');
/** The line of `(local.set $total (call $sum ...))` in hello.wat and the line after it. */
const HELLO_BREAK_LINE = 19;
/** clang flags for WASI programs, as the project's C fixtures use them. */
const CLANG_WASI = ['--target=wasm32-wasi', '--sysroot=/usr', '-I/usr/include/wasm32-wasi', '-L/usr/lib/wasm32-wasi'];

/** Compiles sum.c as the test does and asks the adapter to verify a breakpoint in it. */
async function probeCBreakpoints(): Promise<true | string> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-c-probe-'));
  try {
    cpSync(join(fixtureWorkspace, 'sum.c'), join(dir, 'sum.c'));
    const compiled = spawnSync('clang', [...CLANG_WASI, '-g', '-O0', join(dir, 'sum.c'), '-o', join(dir, 'sum.wasm')], { encoding: 'utf8' });
    if (compiled.status !== 0) return `clang could not compile sum.c: ${compiled.stderr}`;
    return await probeProtocol('dap', join(dir, 'sum.wasm'), { path: join(dir, 'sum.c'), line: sumBreakLine() });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sumBreakLine(): number {
  return readFileSync(join(fixtureWorkspace, 'sum.c'), 'utf8').split('\n').findIndex((l) => l.includes('int total = sum(5);')) + 1;
}

function clangMissing(): string | false {
  const probe = spawnSync('clang', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'clang is not installed (apt-get install clang lld wasi-libc)';
  return existsSync('/usr/include/wasm32-wasi/stdio.h') ? false : 'wasi-libc is not installed (apt-get install wasi-libc)';
}

if (!process.env.WASMSCOPE_E2E) {
  test('VS Code end-to-end tests', { skip: 'WASMSCOPE_E2E is not set: run `bash scripts/e2e-setup.sh`, then `WASMSCOPE_E2E=1 node --import tsx --test test/extension/e2e.test.ts`' }, () => {});
} else {
  describe('wasmscope in VS Code (code-server + Chromium)', { timeout: 10 * 60_000 }, () => {
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    let wb: Workbench;
    let commands = new Set<string>();
    let lsp: true | string = 'not probed';
    let dap: true | string = 'not probed';
    let cDebugging: true | string = 'not probed';
    const timings: string[] = [];

    before(async () => {
      const missing = missingPrerequisite();
      if (missing) throw new Error(`WASMSCOPE_E2E is set but ${missing}`);
      let t = Date.now();
      const vsix = packageExtension();
      timings.push(`package ${Date.now() - t} ms`);
      [lsp, dap] = await Promise.all([probeProtocol('lsp', ''), probeProtocol('dap', join(fixtureWorkspace, 'hello.wat'))]);
      cDebugging = dap === true ? (clangMissing() || (await probeCBreakpoints())) : `no debug adapter yet: ${dap}`;
      commands = listedCommands();
      t = Date.now();
      server = new CodeServer(fixtureWorkspace);
      server.installExtension(vsix);
      await server.start();
      browser = await launchBrowser();
      wb = await Workbench.open(browser, server.url);
      timings.push(`install + start code-server + open workbench ${Date.now() - t} ms`);
    });

    after(async () => {
      server?.saveLogs(join(artifactsDir, 'logs'));
      await browser?.close();
      await server?.stop();
      console.log(`e2e timings: ${timings.join('; ')}`);
    });

    afterEach(async (t: { name: string }) => {
      if (!wb) return;
      await wb.screenshot(t.name).catch(() => undefined);
      // Leave no dialog, picker, debug session or breakpoint behind for the next test.
      await wb.reset().catch((error: unknown) => console.log(`e2e: reset after "${t.name}" failed: ${String(error)}`));
    });

    const timed = (name: string, options: { skip?: () => string | false }, body: (t: TestContext) => Promise<void>) =>
      test(name, async (t) => {
        const reason = options.skip?.();
        if (reason) return t.skip(reason);
        const start = Date.now();
        await body(t);
        timings.push(`${name.slice(0, 40)}… ${Date.now() - start} ms`);
      });

    timed('the .vsix installs and a .wat opens with the WAT language and its grammar', {}, async () => {
      await wb.openFile('hello.wat');
      await waitFor('the WAT language mode', async () => (await wb.languageMode()) === 'WebAssembly Text');
      // Comments, keywords, instructions, ids, numbers and strings each get a colour: one class means no grammar.
      const classes = await waitFor('grammar colours', async () => ((await wb.tokenClasses()).size >= 5 ? wb.tokenClasses() : undefined));
      assert.ok(classes.size >= 5, `only ${classes.size} token colours`);
    });

    timed('the harness drives gutter breakpoints, F5, Variables, step over and the Debug Console (on the built-in JavaScript debugger)', {}, async () => {
      await wb.openFile('harness-check.js');
      await wb.clickGutter(5);
      await wb.page.keyboard.press('F5');
      // Without launch.json VS Code may ask which debugger to use for a .js file.
      const picker = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Node.js' }).first();
      if (await picker.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await picker.click();
      await wb.waitForStop(5);
      await waitFor('base = 40 in Variables', async () => (await wb.variables()).some((v) => /^base\s*[:=]\s*40$/.test(v)));
      await wb.page.keyboard.press('F10');
      await wb.waitForStop(6);
      await waitFor('answer = 42 in Variables', async () => (await wb.variables()).some((v) => /^answer\s*[:=]\s*42$/.test(v)));
      await wb.page.keyboard.press('F5');
      await waitFor('program output in the Debug Console', async () => /answer is 42/.test(await wb.debugConsoleText()));
      await waitFor('the debug session to end', async () => !(await wb.page.locator('.debug-toolbar').isVisible()));
    });

    timed('errors in a .wat file show in the Problems panel', { skip: () => (lsp === true ? false : `no language server yet: ${lsp}`) }, async () => {
      await wb.openFile('errors.wat');
      await wb.page.keyboard.press('Control+Shift+m');
      const rows = await waitFor('two problems for errors.wat', async () => {
        const problems = await wb.problems();
        return problems.filter((p) => /\[Ln \d+, Col \d+\]/.test(p)).length >= 2 ? problems : undefined;
      });
      const lines = rows.map((r) => Number(/\[Ln (\d+),/.exec(r)?.[1])).filter((n) => n > 0);
      assert.ok(lines.includes(6), `no problem on line 6 (i32.add of i32 and i64): ${rows.join(' | ')}`);
      assert.ok(lines.includes(8), `no problem on line 8 (f32 result of an i32 function): ${rows.join(' | ')}`);
      assert.ok(rows.some((r) => /type mismatch in i32\.add/.test(r)), `the i32.add mismatch is not explained: ${rows.join(' | ')}`);
    });

    timed('hovering an instruction shows its documentation from the language server', { skip: () => (lsp === true ? false : `no language server yet: ${lsp}`) }, async () => {
      await wb.openFile('hello.wat');
      const doc = opByName('i32.add')?.doc;
      assert.ok(doc, 'the instruction table documents i32.add');
      const lines = readFileSync(join(fixtureWorkspace, 'hello.wat'), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.includes('(i32.add')) + 1;
      const column = lines[line - 1]!.indexOf('i32.add') + 2;
      // Keyboard, not mouse: put the cursor on the instruction and ask for the hover, retrying
      // while the language server is still starting.
      await wb.goToLine(line, column);
      const hover = await waitFor('the hover', async () => {
        const box = wb.page.locator('.monaco-hover:visible .hover-contents').first();
        if (await box.isVisible()) return box.innerText();
        await wb.runCommand('Show or Focus Hover');
        return undefined;
      });
      assert.ok(hover.includes(doc), `hover "${hover}" lacks the table's doc "${doc}"`);
    });

    timed('F5 on a .wat stops at a gutter breakpoint, shows locals, steps over and prints to the Debug Console', { skip: () => (dap === true ? false : `no debug adapter yet: ${dap}`) }, async () => {
      await wb.openFile('hello.wat');
      await wb.clickGutter(HELLO_BREAK_LINE);
      await wb.page.keyboard.press('F5');
      await wb.waitForStop(HELLO_BREAK_LINE, 60_000);
      const locals = await waitFor('the local $total in Variables', async () => {
        const rows = await wb.variables();
        return rows.some((v) => /total/.test(v)) ? rows : undefined;
      });
      assert.ok(locals.some((v) => /total\b.*\b0\b/.test(v)), `$total should be 0 before the call: ${locals.join(' | ')}`);
      await wb.page.keyboard.press('F10');
      await wb.waitForStop(HELLO_BREAK_LINE + 1);
      await waitFor('$total = 10 after step over', async () => (await wb.variables()).some((v) => /total\b.*\b10\b/.test(v)));
      await wb.page.keyboard.press('F5');
      await waitFor('program output in the Debug Console', async () => /hello from wasm/.test(await wb.debugConsoleText()));
    });

    timed('a breakpoint in C source stops the compiled .wasm there, with C locals', { skip: () => (cDebugging === true ? false : cDebugging) }, async () => {
      const breakLine = sumBreakLine();
      const compiled = spawnSync('clang', [...CLANG_WASI, '-g', '-O0', join(server!.workspace, 'sum.c'), '-o', join(server!.workspace, 'sum.wasm')], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, `clang failed: ${compiled.stderr}`);
      await wb.openFile('sum.c');
      await wb.clickGutter(breakLine);
      // Debug the module from its editor-title button; the stop shows the C source.
      await wb.openFile('sum.wasm');
      await wb.page.locator('.editor-actions .action-label[aria-label="Debug WebAssembly File"]').click();
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'sum.c' }).waitFor({ timeout: 60_000 });
      await wb.waitForStop(breakLine, 60_000);
      await waitFor('the C local `total` in Variables', async () => (await wb.variables()).some((v) => /\btotal\b/.test(v)));
      await wb.page.keyboard.press('F10');
      await wb.waitForStop(breakLine + 1);
      await waitFor('total = 10 after step over', async () => (await wb.variables()).some((v) => /\btotal\b.*\b10\b/.test(v)));
      await wb.page.keyboard.press('F5');
      await waitFor('printf output in the Debug Console', async () => /total is 10/.test(await wb.debugConsoleText()));
    });

    timed('the Profile command shows its result', {}, async () => {
      await wb.openFile('hello.wat');
      await wb.runCommand('wasmscope: Profile WebAssembly File');
      const status = await waitFor('the profile summary view', async () => {
        const text = await (await wb.inWebview('#wasmscope-profile-status'))?.innerText();
        return text || undefined;
      }, 60_000);
      if (commands.has('profile')) {
        assert.match(status, /finished/);
        const hostCalls = (await (await wb.inWebview('table'))?.innerText()) ?? '';
        assert.match(hostCalls, /fd_write/, 'the host-call table names the WASI import');
        await waitFor('the .cpuprofile opened in the profile viewer', async () => wb.page.locator('.tabs-container .tab', { hasText: 'hello.cpuprofile' }).isVisible());
        assert.ok(existsSync(join(server!.workspace, 'hello.cpuprofile')));
      } else {
        // The CLI has no `profile` command yet: the view must still say the run failed, not show nothing.
        assert.match(status, /exited with code [1-9]/);
      }
    });

    timed('Compile WAT writes the .wasm beside the .wat', { skip: () => (commands.has('wat2wasm') ? false : 'dist/wasmscope.js has no wat2wasm command yet') }, async () => {
      await wb.openFile('hello.wat');
      await wb.runCommand('wasmscope: Compile WAT to Wasm');
      await waitFor('the "Wrote hello.wasm" notification', async () => (await wb.notifications()).some((n) => n.includes('Wrote hello.wasm')));
      assert.ok(existsSync(join(server!.workspace, 'hello.wasm')));
    });

    timed('opening a .wasm shows its text in the read-only editor', { skip: () => (commands.has('wasm2wat') ? false : 'dist/wasmscope.js has no wasm2wat command yet') }, async () => {
      const compiled = spawnSync('wat2wasm', [join(server!.workspace, 'hello.wat'), '-o', join(server!.workspace, 'shown.wasm')], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, `wat2wasm (Debian wabt) failed: ${compiled.stderr}`);
      await wb.openFile('shown.wasm');
      const text = await waitFor('the module text', async () => (await wb.inWebview('#wasm-text'))?.innerText(), 30_000);
      assert.match(text, /\(module/);
      assert.match(text, /fd_write/);
      // "Show Wasm as Text" on the open .wasm: a read-only WAT document with the WAT language.
      await wb.runCommand('wasmscope: Show Wasm as Text');
      await wb.page.locator('.tabs-container .tab.active', { hasText: 'shown.wasm.wat' }).waitFor();
      await waitFor('the WAT language on the text view', async () => (await wb.languageMode()) === 'WebAssembly Text');
      const lines = (await wb.activeEditor().locator('.view-line').allInnerTexts()).join('\n');
      assert.match(lines, /\(module/);
      await wb.page.keyboard.type('x');
      assert.ok(!(await wb.page.locator('.tabs-container .tab.active.dirty').isVisible()), 'the text view must be read-only');
    });

    timed('the Run button in the editor title shows the program output in a terminal', { skip: () => (commands.has('run') ? false : 'dist/wasmscope.js has no run command yet') }, async () => {
      await wb.openFile('hello.wat');
      // The editor-title button, as a person would run it.
      await wb.page.locator('.editor-actions .action-label[aria-label="Run WebAssembly File"]').click();
      await waitFor('program output in the terminal', async () => /hello from wasm/.test((await wb.page.locator('.terminal-wrapper .xterm-rows').allInnerTexts()).join('\n')), 60_000);
    });
  });
}
