// `wasmscope spec PATH...`: runs `.wast` scripts (directories expand to their `.wast` files) and
// ends with the line `N passed, N failed, N skipped`. Exit status 1 when any command failed.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runScriptFile, type ScriptResult } from '../spec/harness.js';
import { readWastViaWast2json } from '../spec/wast2json-source.js';
import { parseArgs, UsageError } from './args.js';

export function specCommand(argv: string[], out: (line: string) => void): number {
  const args = parseArgs(argv, { json: {}, verbose: {}, 'via-wast2json': {}, 'max-failures': { value: true } });
  if (args.positionals.length === 0) throw new UsageError('spec: give at least one .wast file or directory');
  const files = args.positionals.flatMap(expand);
  const viaWast2json = args.flags.has('via-wast2json');
  const maxShown = Number(args.flags.get('max-failures')?.[0] ?? (args.flags.has('verbose') ? Infinity : 5));
  const results: ScriptResult[] = [];
  for (const file of files) {
    const r = runScriptFile(file, viaWast2json ? { commandsOf: readWastViaWast2json } : {});
    results.push(r);
    if (!args.flags.has('json')) {
      for (const f of r.failures.slice(0, maxShown)) out(`${file}:${f.line}: ${f.kind}: ${f.message}`);
      if (r.failures.length > maxShown) out(`${file}: … and ${r.failures.length - maxShown} more failures`);
    }
  }
  const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 });
  if (args.flags.has('json')) {
    out(JSON.stringify({ files: results.map(({ file, passed, failed, skipped }) => ({ file, passed, failed, skipped })), ...total }, null, 2));
  }
  out(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 ? 1 : 0;
}

function expand(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`spec: no such file or directory: ${path}`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).filter((f) => f.endsWith('.wast')).sort().map((f) => join(path, f));
}
