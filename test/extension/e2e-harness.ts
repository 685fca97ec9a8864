// Runs the packaged extension in a real VS Code (code-server, installed by scripts/e2e-setup.sh)
// and drives its web UI through Debian's Chromium with playwright-core, as a person would: keys,
// clicks, and what the screen shows. Used by test/extension/e2e.test.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const codeServerEntry = join(repoRoot, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.WASMSCOPE_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'artifacts', 'e2e');

/** Why the e2e tests cannot run on this machine, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(codeServerEntry)) return `code-server is not installed at ${codeServerEntry}: run bash scripts/e2e-setup.sh`;
  if (!existsSync(chromiumPath)) return `Chromium is not at ${chromiumPath}: run bash scripts/e2e-setup.sh (or set WASMSCOPE_E2E_CHROMIUM)`;
  return undefined;
}

/** Builds the .vsix with `npm run package`'s script and returns its path. */
export function packageExtension(): string {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  const vsix = /package-vsix: (\S+\.vsix)/.exec(result.stdout)?.[1];
  if (result.status !== 0 || !vsix) throw new Error(`packaging the extension failed:\n${result.stdout}\n${result.stderr}`);
  return vsix;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const userSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  // The DOM renderer puts terminal text in the page, where the test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'debug.openDebug': 'openOnDebugBreak',
  'debug.internalConsoleOptions': 'openOnSessionStart',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
  'git.enabled': false,
};

/** A code-server with the extension installed, serving a copy of a fixture workspace. */
export class CodeServer {
  readonly root = mkdtempSync(join(tmpdir(), 'wasmscope-e2e-'));
  readonly workspace = join(this.root, 'workspace');
  private readonly userData = join(this.root, 'user-data');
  private readonly extensions = join(this.root, 'extensions');
  private process: ChildProcess | undefined;
  private log = '';
  url = '';

  constructor(fixtureWorkspace: string) {
    cpSync(fixtureWorkspace, this.workspace, { recursive: true });
    mkdirSync(join(this.userData, 'User'), { recursive: true });
    writeFileSync(join(this.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  }

  private args(): string[] {
    // An empty config file of our own: code-server otherwise creates ~/.config/code-server/config.yaml.
    const config = join(this.root, 'config.yaml');
    writeFileSync(config, '');
    return [codeServerEntry, '--config', config, '--user-data-dir', this.userData, '--extensions-dir', this.extensions];
  }

  installExtension(vsix: string): void {
    const result = spawnSync(process.execPath, [...this.args(), '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0 || !/successfully installed/.test(result.stdout)) {
      throw new Error(`code-server --install-extension ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
    }
  }

  async start(): Promise<void> {
    const port = await freePort();
    const child = spawn(process.execPath, [...this.args(), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', this.workspace], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    const collect = (chunk: Buffer) => (this.log += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${this.log}`)), 60_000);
      const check = () => {
        if (/HTTP server listening/.test(this.log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited with code ${code}:\n${this.log}`));
      });
    });
    this.url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(this.workspace)}`;
  }

  get output(): string {
    return this.log;
  }

  /** Keeps code-server's log and VS Code's own logs (extension host, language client) for a post-mortem. */
  saveLogs(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'code-server.log'), this.log);
    const logs = join(this.userData, 'logs');
    if (existsSync(logs)) cpSync(logs, join(dir, 'vscode-logs'), { recursive: true });
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

export async function launchBrowser(): Promise<Browser> {
  // Loaded here, not at the top: importing playwright-core costs seconds, and test files that only
  // skip (WASMSCOPE_E2E unset) should not pay for it.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A modal dialog appeared while waiting for something else; its text says what went wrong. */
export class DialogError extends Error {
  constructor(text: string) {
    super(`VS Code showed a dialog: ${text}`);
  }
}

/** Polls `probe` until it returns a truthy value; the error names what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof DialogError) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The VS Code workbench in a browser page: the handful of gestures the tests need. */
export class Workbench {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    // The explorer lists the workspace once the file service is up.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    return new Workbench(page);
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const file = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Takes keyboard focus out of a webview (its iframe swallows the workbench's shortcuts), as
   * clicking into the workbench would.
   */
  async focusWorkbench(): Promise<void> {
    // A string, because this project compiles without the DOM library.
    await this.page.evaluate("document.activeElement instanceof HTMLIFrameElement && document.activeElement.blur()");
  }

  /**
   * Opens a quick-input picker with its shortcut and returns its input box. Waits for any previous
   * picker to close first (the widget is reused, and a key pressed while it closes is lost), and
   * presses again if the picker does not appear.
   */
  private async openPicker(shortcut: string): Promise<Locator> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => this.page.keyboard.press('Escape'));
    await this.focusWorkbench();
    const input = this.page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(shortcut);
      const shown = await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      if (shown) return input;
      if (attempt === 3) throw new Error(`${shortcut} did not open its picker`);
    }
  }

  /** Opens a workspace file with Quick Open, as Ctrl+P does. */
  async openFile(name: string): Promise<void> {
    // The list filters asynchronously: Enter only once the focused row is the file. A file created
    // on disk a moment ago may not be in Quick Open's index yet, so close the picker and ask again.
    for (let attempt = 1; ; attempt++) {
      const input = await this.openPicker('Control+p');
      await input.fill(name);
      const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name });
      const found = await row.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (found) break;
      await this.page.keyboard.press('Escape');
      if (attempt === 3) throw new Error(`Quick Open did not find ${name}`);
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
  }

  /** Runs a command from the Command Palette by its title. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openPicker('Control+Shift+p');
    await input.fill(`>${title}`);
    // Click the matching row: the focused one may be a "similar command" VS Code ranks first.
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Text of the status bar item that shows the active editor's language. */
  async languageMode(): Promise<string> {
    return (await this.page.locator('#status\\.editor\\.mode').innerText()).trim();
  }

  /** Distinct token colour classes on the active editor's visible lines (1 means no highlighting). */
  async tokenClasses(): Promise<Set<string>> {
    const classes = await this.activeEditor().locator('.view-line span span').evaluateAll((spans) => spans.map((s) => s.className));
    return new Set(classes.flatMap((c) => c.split(/\s+/)).filter((c) => /^mtk\d+$/.test(c)));
  }

  /** Moves the cursor to a line (and 1-based column) with Ctrl+G. */
  async goToLine(line: number, column?: number): Promise<void> {
    const input = await this.openPicker('Control+g');
    await input.fill(column === undefined ? `:${line}` : `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
  }

  /** Clicks the gutter (glyph margin) of a visible line, which toggles a breakpoint there. */
  async clickGutter(line: number): Promise<void> {
    await this.goToLine(line);
    const editor = this.activeEditor();
    const lineNumber = editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) });
    await lineNumber.waitFor();
    const box = await lineNumber.boundingBox();
    const margin = await editor.locator('.margin-view-overlays').boundingBox();
    if (!box || !margin) throw new Error(`line ${line} is not visible`);
    // The glyph margin is the strip left of the line numbers.
    await this.page.mouse.click(margin.x + 8, box.y + box.height / 2);
    await editor.locator('.codicon-debug-breakpoint').first().waitFor();
  }

  /** The 1-based line the debugger is stopped on in the active editor, from its top-stack-frame decoration. */
  async stoppedLine(): Promise<number | undefined> {
    const editor = this.activeEditor();
    // The glyph margin draws the top stack frame's arrow (over a breakpoint dot when there is one).
    const frame = editor.locator('.codicon-debug-stackframe, .codicon-debug-breakpoint-stackframe').first();
    if (!(await frame.isVisible())) return undefined;
    const frameBox = await frame.boundingBox();
    if (!frameBox) return undefined;
    const numbers = await editor.locator('.margin-view-overlays .line-numbers').evaluateAll((els) =>
      els.map((el) => ({ text: el.textContent ?? '', top: el.getBoundingClientRect().top, height: el.getBoundingClientRect().height })),
    );
    const hit = numbers.find((n) => frameBox.y + frameBox.height / 2 >= n.top && frameBox.y + frameBox.height / 2 < n.top + n.height);
    return hit ? Number(hit.text) : undefined;
  }

  /** Text of an open modal dialog (e.g. a failed launch), if any. */
  async dialogText(): Promise<string | undefined> {
    const dialog = this.page.locator('.monaco-dialog-box');
    return (await dialog.isVisible()) ? (await dialog.innerText()).replace(/\s+/g, ' ').trim() : undefined;
  }

  async waitForStop(line: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(`the debugger to stop at line ${line}`, async () => {
      const dialog = await this.dialogText();
      // A failed launch shows a dialog: report it now instead of timing out.
      if (dialog) throw new DialogError(dialog);
      return (await this.stoppedLine()) === line;
    }, timeoutMs);
  }

  /** Back to a quiet workbench: no dialog, picker or notification, no debug session, no breakpoints. */
  async reset(): Promise<void> {
    await this.focusWorkbench();
    for (let i = 0; i < 3 && (await this.dialogText()); i++) await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
    if (await this.page.locator('.debug-toolbar').isVisible()) {
      await this.page.keyboard.press('Shift+F5');
      await waitFor('the debug session to stop', async () => !(await this.page.locator('.debug-toolbar').isVisible()), 15_000);
    }
    await this.runCommand('Remove All Breakpoints');
    await this.runCommand('Notifications: Clear All Notifications');
    await this.runCommand('View: Close All Editors');
  }

  /** Rows of the Variables view, as "name: value" text. */
  async variables(): Promise<string[]> {
    const rows = this.page.locator('.debug-pane .debug-variables .monaco-list-row, .debug-variables .monaco-list-row');
    return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async debugConsoleText(): Promise<string> {
    return (await this.page.locator('.repl .monaco-list-rows').allInnerTexts()).join('\n');
  }

  async problems(): Promise<string[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /**
   * The element matching `selector` inside whichever webview holds one. Webviews are nested iframes
   * and several may be open (our views, the .cpuprofile viewer), so search every frame.
   */
  async inWebview(selector: string): Promise<Locator | undefined> {
    for (const frame of this.page.frames()) {
      const found = frame.locator(selector);
      if ((await found.count().catch(() => 0)) > 0) return found.first();
    }
    return undefined;
  }

  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts()).map((t) => t.trim());
  }
}
