// Front end fuzzing: random edits and truncations of real WAT modules (taken from the spec
// testsuite, or any text given). checkText (and parseWast, on the same text as a script) must
// always return diagnostics, never throw, and stay within a time budget proportional to the input.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkText, hasErrors, parseWast, type CheckResult } from '../runtime/text/index.js';
import { wabtValidText, wat2wasm } from './wabt.js';
import { Rng } from './rng.js';

export function specSuiteDir(): string | undefined {
  const dir = process.env.WASM_SPEC_TESTSUITE ?? '/work/shared/spec-testsuite/wasm-2.0';
  return existsSync(dir) ? dir : undefined;
}

/** Top-level `(module ...)` forms in text syntax (binary and quoted modules skipped). */
export function extractModules(wast: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = wast.indexOf('(module', i)) >= 0) {
    let depth = 0, j = i;
    for (; j < wast.length; j++) {
      const c = wast[j];
      if (c === '"') { j++; while (j < wast.length && wast[j] !== '"') j += wast[j] === '\\' ? 2 : 1; }
      else if (c === ';' && wast[j + 1] === ';') { while (j < wast.length && wast[j] !== '\n') j++; }
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    const text = wast.slice(i, j + 1);
    if (!/^\(module\s+(\$\S+\s+)?(binary|quote)\b/.test(text)) out.push(text);
    i = j + 1;
  }
  return out;
}

let pool: string[] | undefined;
let scripts: string[] | undefined;

/** The spec testsuite's scripts, whole, in a fixed order (empty when the suite is absent). */
export function specScriptPool(): string[] {
  if (scripts) return scripts;
  const dir = specSuiteDir();
  scripts = dir ? readdirSync(dir).filter((n) => n.endsWith('.wast')).sort().map((f) => readFileSync(join(dir, f), 'utf8')) : [];
  return scripts;
}

/** Every text module of the spec testsuite, in a fixed order (empty when the suite is absent). */
export function specModulePool(): string[] {
  if (pool) return pool;
  const dir = specSuiteDir();
  pool = [];
  if (!dir) return pool;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.wast')).sort()) {
    for (const m of extractModules(readFileSync(join(dir, f), 'utf8'))) if (m.length < 20_000) pool.push(m);
  }
  return pool;
}

const SNIPPETS = [
  '(', ')', '(func', '(param i32)', '(result i64)', 'i32.add', 'local.get 0', '$x', '$', '0x', '-0x1p+1024',
  'nan:0x', 'inf', '"', '"\\', ';;', '(;', ';)', 'offset=', 'align=3', 'br_table 0 1 2', 'block', 'end', 'else',
  'if', '(memory 1)', '(table 0 funcref)', '(export "x")', '(import "m" "n")', 'v128.const i8x16 1', '4294967296',
  '(type 99)', 'call $f', '(elem declare func)', 'select (result f64)', '\u0000', '\u00e9', '\r', '\t', 'ref.null extern',
];

/** 1..4 random edits: deletions, duplications, snippet insertions, truncation, character swaps. */
export function mutateText(text: string, rng: Rng): string {
  let t = text;
  for (let k = rng.range(1, 4); k > 0; k--) {
    const p = rng.below(t.length + 1);
    switch (rng.below(6)) {
      case 0: t = t.slice(0, p) + t.slice(Math.min(t.length, p + rng.range(1, 40))); break;
      case 1: { const q = Math.min(t.length, p + rng.range(1, 80)); t = t.slice(0, q) + t.slice(p, q) + t.slice(q); break; }
      case 2: t = t.slice(0, p) + ' ' + rng.pick(SNIPPETS) + ' ' + t.slice(p); break;
      case 3: t = t.slice(0, p); break;
      case 4: if (p + 1 < t.length) t = t.slice(0, p) + t[p + 1] + t[p] + t.slice(p + 2); break;
      default: {
        // Replace a number-looking token with an extreme one.
        const m = /\d+/.exec(t.slice(p));
        if (m) { const at = p + m.index; t = t.slice(0, at) + rng.pick(['0', '4294967295', '18446744073709551616', '99999999999']) + t.slice(at + m[0].length); }
      }
    }
  }
  return t;
}

export type TextVerdict =
  | { ok: true; diagnostics: number; ms: number }
  | { ok: false; what: 'crash' | 'slow' | 'disagreement' | 'invalid-output'; detail: string };

const WABT_LENIENT_CODES = new Set(['unterminated-string', 'bad-string']);

/**
 * Texts wabt (1.0.32 CLI and 1.0.39 JS alike) accepts against the spec's grammar, by the first
 * diagnostic we give them: an index of 2^32 or more (wabt wraps it), `(elem)` with no element list
 * (wabt makes it an empty passive segment), `(elem (table x) ...)` without an offset (wabt drops
 * the table and makes it passive), and two data segments with one name.
 */
const WABT_LENIENT_MESSAGES = [
  /^integer `\d{10,}` is out of range for u32$/,
  /^duplicate data segment `/, // wabt checks every index space's names but data segments'
  /^expected `func`, a reference type, or an offset but found `\)`$/,
  /^expected an offset expression but found /,
];

/** Generous: a few KiB of text checks in milliseconds; anything near this is a blow-up. */
export function textBudgetMs(text: string): number {
  return 1000 + text.length / 10;
}

/**
 * checkText must not throw and must stay within budget. With `compare`, its verdict must also
 * match wabt's (JS build first, the wat2wasm CLI to confirm), and a clean text's bytes must pass
 * WebAssembly.validate.
 */
export function checkFrontEnd(text: string, compare = false): TextVerdict {
  const t0 = performance.now();
  let diagnostics: number;
  let result: CheckResult;
  try {
    result = checkText(text, 'fuzz.wat');
    diagnostics = result.diagnostics.length;
    // The same text as a script: the spec harness's parser must not throw either.
    parseWast(text, 'fuzz.wast');
  } catch (e) {
    const err = e as Error;
    return { ok: false, what: 'crash', detail: `${err?.name}: ${err?.message} ${err?.stack?.split('\n')[1]?.trim() ?? ''}` };
  }
  const ms = performance.now() - t0;
  if (ms > textBudgetMs(text)) return { ok: false, what: 'slow', detail: `checkText took ${ms.toFixed(0)} ms on ${text.length} chars` };
  if (compare) {
    const clean = !hasErrors(result.diagnostics);
    if (clean && result.bytes && !WebAssembly.validate(result.bytes)) {
      return { ok: false, what: 'invalid-output', detail: 'checkText reports no error but V8 rejects the assembled bytes' };
    }
    const wabt = wabtValidText(text);
    // Where wabt (1.0.32 CLI, 1.0.39 JS) is more lenient than the spec, wabt's "valid" proves nothing:
    // an unterminated string after the module (`(module) "abc`), a raw tab or other control
    // character inside a string literal (the spec's stringchar excludes them).
    // Any such diagnostic, not only the first: what it breaks (a field that did not parse) can
    // cause an earlier-placed consequence, e.g. "undefined function" for the function whose export
    // name held a raw tab.
    const first = result.diagnostics[0];
    const wabtLenient = !clean && wabt === true && result.diagnostics.some((d) => WABT_LENIENT_CODES.has(String(d.code))
      || WABT_LENIENT_MESSAGES.some((m) => m.test(d.message)));
    const disagrees = wabt !== undefined && wabt !== clean && !wabtLenient;
    const confirm = disagrees ? wat2wasm(text) : undefined;
    // wabt calling valid what V8 rejects in wabt's own output is wabt's mistake, not a finding.
    const v8AgreesWithUs = !clean && confirm?.accepted === true && confirm.v8Valid === false;
    if (disagrees && confirm?.accepted !== clean && !v8AgreesWithUs) {
      return {
        ok: false, what: 'disagreement',
        detail: `checkText: ${clean ? 'no errors' : `${first!.range.start.line + 1}:${first!.range.start.character + 1} ${first!.message}`}; wabt: ${wabt ? 'valid' : 'invalid'}`,
      };
    }
  }
  return { ok: true, diagnostics, ms };
}
