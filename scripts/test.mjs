// Runs every test file (test/**/*.test.ts) with Node's test runner through tsx. Node 20's runner
// does not expand globs itself. Arguments narrow the run to files whose path contains them:
// `npm test -- cli profile`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : find(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test').map((f) => relative('.', f)).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// npm puts node_modules/.bin first on PATH, where the wabt npm package's JS wrappers shadow Debian
// wabt's wat2wasm, wasm2wat and wasm-interp; the tests' oracle is Debian wabt.
const PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.endsWith(`node_modules${sep}.bin`)).join(delimiter);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, PATH } });
process.exit(r.status ?? 1);
