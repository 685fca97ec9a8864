// Analysis-level snapshots: for every test/fixtures/lsp/*.wat|.wast, the diagnostics, outline,
// folding ranges, semantic tokens, inlay hints, hovers on every name and instruction, and the
// formatted text, written as readable text next to the fixture (`.snap`). UPDATE_SNAPSHOTS=1
// rewrites them; otherwise any difference fails.
import { TokenKind, type Span } from '../../runtime/text/index.js';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lsp-client.js';
import { analyzeDocument, documentKindOf, type DocumentAnalysis } from '../../language-server/analysis/document.js';
import { documentOutline, type OutlineItem } from '../../language-server/analysis/outline.js';
import { foldingRanges } from '../../language-server/analysis/folding.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../../language-server/analysis/semantic-tokens.js';
import { inlayHints } from '../../language-server/analysis/inlay-hints.js';
import { hoverAt } from '../../language-server/analysis/hover.js';
import { formatDocument } from '../../language-server/analysis/format.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'lsp');
const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

function pos(doc: DocumentAnalysis, offset: number): string {
  const p = doc.lines.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

function span(doc: DocumentAnalysis, s: Span): string {
  return `${pos(doc, s.start)}-${pos(doc, s.end)}`;
}

function outline(doc: DocumentAnalysis, items: OutlineItem[], indent: string, out: string[]): void {
  for (const item of items) {
    out.push(`${indent}${item.kind} ${item.name} [${span(doc, item.span)}] sel ${span(doc, item.selectionSpan)}${item.detail ? ` — ${item.detail}` : ''}`);
    if (item.children) outline(doc, item.children, indent + '  ', out);
  }
}

export function snapshotOf(text: string, kind: 'wat' | 'wast'): string {
  const doc = analyzeDocument(text, kind);
  const out: string[] = ['== diagnostics'];
  for (const d of doc.diagnostics) {
    out.push(`${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${SEVERITY[d.severity]} ${d.code}: ${d.message}`);
  }
  out.push('== outline');
  outline(doc, documentOutline(doc), '', out);
  out.push('== folding');
  for (const f of foldingRanges(doc)) out.push(`${f.startLine + 1}-${f.endLine + 1}${f.kind ? ` ${f.kind}` : ''}`);
  out.push('== semantic tokens (line:col length type modifiers)');
  const data = semanticTokens(doc);
  let line = 0, col = 0;
  const row: string[] = [];
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    col = data[i] === 0 ? col + data[i + 1]! : data[i + 1]!;
    const mods = TOKEN_MODIFIERS.filter((_, b) => data[i + 4]! & (1 << b));
    row.push(`${line + 1}:${col + 1} ${data[i + 2]} ${TOKEN_TYPES[data[i + 3]!]}${mods.length ? `.${mods.join('.')}` : ''}`);
  }
  for (let i = 0; i < row.length; i += 6) out.push(row.slice(i, i + 6).join(' | '));
  out.push('== inlay hints');
  for (const h of inlayHints(doc, { start: 0, end: text.length })) out.push(`${pos(doc, h.offset)} ${h.label}`);
  out.push('== hovers (every name, and the first keyword of every line)');
  let lastLine = -1;
  for (const t of doc.tokens) {
    const tokenLine = doc.lines.positionAt(t.start).line;
    const firstKeyword = t.kind === TokenKind.Keyword && tokenLine !== lastLine;
    if (t.kind === TokenKind.Keyword) lastLine = tokenLine;
    if (t.kind !== TokenKind.Id && !firstKeyword) continue;
    const h = hoverAt(doc, t.start + 1);
    if (h) out.push(`${pos(doc, t.start)} ${t.text}: ${h.markdown.replace(/```wasm\n|\n```/g, '`').replace(/\n+/g, ' ⏎ ')}`);
  }
  out.push('== formatted');
  const formatted = formatDocument(doc, { tabSize: 2, insertSpaces: true });
  out.push(formatted === undefined ? '(refused: syntax errors)' : formatted === text ? '(unchanged)' : formatted);
  return out.join('\n') + '\n';
}

const fixtures = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => /\.(wat|wast)$/.test(f)).sort() : [];

it('has fixtures', () => {
  assert.ok(fixtures.length >= 5, `found ${fixtures.length} fixtures in ${FIXTURES}`);
});

for (const name of fixtures) {
  it(`snapshot of ${name}`, () => {
    const path = join(FIXTURES, name);
    const actual = snapshotOf(readFileSync(path, 'utf8'), documentKindOf(name));
    const snapPath = `${path}.snap`;
    if (process.env.UPDATE_SNAPSHOTS === '1') {
      writeFileSync(snapPath, actual);
      return;
    }
    assert.ok(existsSync(snapPath), `missing snapshot ${snapPath} (run with UPDATE_SNAPSHOTS=1 to write it)`);
    assert.equal(actual, readFileSync(snapPath, 'utf8'), `${name} differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)`);
  });
}
