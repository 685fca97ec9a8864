// Language server under random edits: a spec module (or a whole .wast script) is opened, edited
// incrementally at random, and queried with every feature the server advertises at random (and
// sometimes impossible) positions. Every request must be answered within the budget, by a result
// or an ordinary error response; an InternalError response, a handler failure in the server's log,
// a missing answer or a dead server is a finding.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LspClient } from '../test/language-server/lsp-client.js';
import { Rng } from './rng.js';
import { mutateText, specModulePool, specSuiteDir } from './text-fuzz.js';

export interface LspFuzzReport {
  edits: number;
  requests: number;
  /** Requests answered with an error response (not findings unless internal). */
  errorResponses: number;
  maxLatencyMs: number;
  findings: string[];
}

interface Pos { line: number; character: number }

const INTERNAL_ERROR = -32603;

function lines(text: string): string[] {
  return text.split('\n');
}

function offsetOf(text: string, p: Pos): number {
  const ls = lines(text);
  let at = 0;
  for (let i = 0; i < p.line && i < ls.length; i++) at += ls[i]!.length + 1;
  return Math.min(text.length, at + Math.min(p.character, ls[p.line]?.length ?? 0));
}

function randomPos(text: string, rng: Rng): Pos {
  if (rng.chance(0.08)) return rng.pick([{ line: 1_000_000, character: 3 }, { line: 0, character: 1_000_000 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }]);
  const ls = lines(text);
  const line = rng.below(ls.length);
  return { line, character: rng.below(ls[line]!.length + 1) };
}

const INSERTS = ['(', ')', '$', '$f', 'i32.', 'local.get ', 'call ', '(func', '"', ';;', '(;', '\n', '  ', 'end', 'br 0', '(param $p i32)', '0x'];

/** The document to start from: a spec module (wat) or the first part of a spec script (wast). */
function initialDocument(rng: Rng): { text: string; languageId: 'wat' | 'wast' } {
  const dir = specSuiteDir();
  if (dir && rng.chance(0.25)) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.wast')).sort();
    return { text: readFileSync(join(dir, rng.pick(files)), 'utf8').slice(0, 30_000), languageId: 'wast' };
  }
  const pool = specModulePool();
  return { text: pool.length > 0 ? rng.pick(pool) : '(module (func $f (param i32) (result i32) (local.get 0)))', languageId: 'wat' };
}

async function withDeadline<T>(p: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; timedOut: boolean; ms: number }> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  try {
    const r = await Promise.race([p, timeout]);
    return r === 'timeout' ? { timedOut: true, ms } : { value: r as T, timedOut: false, ms: performance.now() - t0 };
  } catch (error) {
    return { error, timedOut: false, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

export async function fuzzLanguageServer(client: LspClient, seed: number, steps = 40, budgetMs = 5000): Promise<LspFuzzReport> {
  const rng = new Rng(seed);
  const report: LspFuzzReport = { edits: 0, requests: 0, errorResponses: 0, maxLatencyMs: 0, findings: [] };
  const doc = initialDocument(rng);
  const uri = `file:///fuzz/doc-${seed}.${doc.languageId}`;
  let text = doc.text;
  const logsBefore = client.logs.length;
  const opened = await withDeadline(client.open(uri, text, doc.languageId), budgetMs);
  if (opened.timedOut) report.findings.push(`seed ${seed}: no diagnostics within ${budgetMs} ms of opening`);
  const td = { uri };

  for (let step = 0; step < steps && client.alive; step++) {
    // An incremental edit (mostly), or a whole-text replacement by a mutated version.
    if (rng.chance(0.85)) {
      const a = randomPos(text, rng), b = rng.chance(0.5) ? a : randomPos(text, rng);
      const [start, end] = offsetOf(text, a) <= offsetOf(text, b) ? [a, b] : [b, a];
      const insert = rng.chance(0.3) ? '' : rng.pick(INSERTS);
      client.edit(uri, { start, end }, insert);
      // Mirror the server's clamping of out-of-range positions (LSP: clamp to the document).
      text = text.slice(0, offsetOf(text, start)) + insert + text.slice(offsetOf(text, end));
    } else {
      text = mutateText(text, rng);
      client.change(uri, text);
    }
    report.edits++;

    for (let k = rng.range(1, 2); k > 0; k--) {
      const position = randomPos(text, rng);
      const range = { start: position, end: randomPos(text, rng) };
      const [method, params] = rng.pick<[string, unknown]>([
        ['textDocument/hover', { textDocument: td, position }],
        ['textDocument/completion', { textDocument: td, position, context: { triggerKind: 1 } }],
        ['textDocument/definition', { textDocument: td, position }],
        ['textDocument/references', { textDocument: td, position, context: { includeDeclaration: true } }],
        ['textDocument/documentHighlight', { textDocument: td, position }],
        ['textDocument/prepareRename', { textDocument: td, position }],
        ['textDocument/rename', { textDocument: td, position, newName: rng.pick(['$renamed', 'x', '', '$', '$a b']) }],
        ['textDocument/documentSymbol', { textDocument: td }],
        ['textDocument/foldingRange', { textDocument: td }],
        ['textDocument/semanticTokens/full', { textDocument: td }],
        ['textDocument/formatting', { textDocument: td, options: { tabSize: rng.pick([0, 2, 8]), insertSpaces: rng.chance(0.5) } }],
        ['textDocument/signatureHelp', { textDocument: td, position }],
        ['textDocument/inlayHint', { textDocument: td, range }],
        ['textDocument/codeAction', { textDocument: td, range, context: { diagnostics: [] } }],
        ['textDocument/hover', { textDocument: { uri: 'file:///fuzz/not-open.wat' }, position }],
      ]);
      report.requests++;
      const r = await withDeadline(client.request(method, params), budgetMs);
      report.maxLatencyMs = Math.max(report.maxLatencyMs, r.ms);
      const where = `seed ${seed} step ${step}: ${method} at ${JSON.stringify(position)}`;
      if (r.timedOut) report.findings.push(`${where}: no answer within ${budgetMs} ms`);
      else if (r.error !== undefined) {
        report.errorResponses++;
        const code = (r.error as { code?: number }).code;
        if (code === INTERNAL_ERROR) report.findings.push(`${where}: internal error: ${(r.error as Error).message}`);
      }
    }
  }
  if (!client.alive) report.findings.push(`seed ${seed}: the server exited`);
  for (const line of client.logs.slice(logsBefore)) {
    if (/failed/i.test(line)) report.findings.push(`seed ${seed}: server log: ${line.split('\n').slice(0, 3).join(' | ')}`);
  }
  if (client.alive) client.connection.sendNotification('textDocument/didClose', { textDocument: td });
  return report;
}
