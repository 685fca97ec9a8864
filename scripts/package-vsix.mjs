// `npm run package`: builds the bundles and packs the VS Code extension into wasmscope-VERSION.vsix
// at the repository root. --no-dependencies because esbuild has already bundled every runtime
// dependency into dist/, so the .vsix installs offline with nothing fetched.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package-vsix: ${[command, ...args].join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`})`);
    process.exit(1);
  }
}

run(process.execPath, ['scripts/build.mjs']);
if (!existsSync(join(root, 'dist', 'extension.cjs'))) {
  console.error('package-vsix: dist/extension.cjs was not built (extension/extension.ts missing?)');
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'wasmscope.js'))) {
  // Still packaged so editor-only features can be tried, but say plainly what will not work.
  console.warn('package-vsix: WARNING dist/wasmscope.js is missing: the language server, debugger and commands of this .vsix will not start.');
}
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// No public repository yet, so relative links in README.md (the tour's screenshots) stay relative.
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`package-vsix: ${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
