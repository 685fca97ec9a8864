// Every module of the spec test suite (text and quoted; binary ones are not text): the npm wabt
// package's parseWat + validate is the referee (and the script's own assertion where wabt
// contradicts it). Modules it accepts must get no error diagnostic from the language server's
// analysis, modules it rejects at least one. The full suite takes a
// few seconds, so no sampling. Every script is also formatted: same tokens, idempotent.
import { DiagnosticSink, parseTree } from '../../runtime/text/index.js';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { specModules } from './spec-modules.js';
import { analyzeDocument } from '../../language-server/analysis/document.js';
import { formatDocument } from '../../language-server/analysis/format.js';

const SUITE = process.env.WASM_SPEC_TESTSUITE ?? '/work/shared/spec-testsuite/wasm-2.0';

interface WabtModule { validate(): void; destroy(): void }
interface Wabt { parseWat(file: string, text: string): WabtModule }

it('agrees with wabt (and the spec where wabt contradicts it) on every module of the spec test suite', async (t) => {
  if (!existsSync(SUITE)) {
    t.skip(`spec test suite not found at ${SUITE} (set WASM_SPEC_TESTSUITE)`);
    return;
  }
  const require = createRequire(import.meta.url);
  // wabt ships CommonJS with no types for its factory; the two methods used are declared above.
  const wabt = await (require('wabt') as () => Promise<Wabt>)();
  let accepted = 0, rejected = 0;
  const disagreements: string[] = [];
  const wabtAgainstSpec: string[] = [];
  for (const file of readdirSync(SUITE).filter((f) => f.endsWith('.wast')).sort()) {
    for (const m of specModules(join(SUITE, file), file)) {
      let wabtError: string | undefined;
      try {
        const mod = wabt.parseWat(file, m.text);
        try { mod.validate(); } finally { mod.destroy(); }
      } catch (e) {
        wabtError = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      }
      const where = `${file}:${m.line}${m.assertion ? ` (${m.assertion})` : ''}`;
      // The script states its own verdict; where wabt contradicts it, wabt is wrong and the spec decides.
      const specValid = m.assertion !== 'assert_invalid' && m.assertion !== 'assert_malformed';
      let valid = wabtError === undefined;
      if (valid !== specValid) {
        wabtAgainstSpec.push(`${where}: wabt ${valid ? 'accepts' : `rejects (${wabtError})`}`);
        valid = specValid;
      }
      const errors = analyzeDocument(m.text, 'wat').diagnostics.filter((d) => d.severity === 1);
      if (valid) {
        accepted++;
        if (errors.length) disagreements.push(`${where}: valid, we report ${errors[0]!.message}`);
      } else {
        rejected++;
        if (!errors.length) disagreements.push(`${where}: rejected by wabt and the spec (${wabtError}), we report nothing`);
      }
    }
  }
  t.diagnostic(`wabt contradicts the spec script on ${wabtAgainstSpec.length} module(s), where the spec decides: ${wabtAgainstSpec.join('; ')}`);
  t.diagnostic(`modules valid: ${accepted}, rejected: ${rejected}, disagreements: ${disagreements.length}`);
  assert.ok(accepted > 1000 && rejected > 1000, `the suite was read (${accepted} accepted, ${rejected} rejected)`);
  assert.deepEqual(disagreements, []);
});

it('formats every spec script idempotently without changing a single token', (t) => {
  if (!existsSync(SUITE)) {
    t.skip(`spec test suite not found at ${SUITE} (set WASM_SPEC_TESTSUITE)`);
    return;
  }
  const options = { tabSize: 2, insertSpaces: true };
  // The formatter needs only tokens and whether the text lexes cleanly: skip the full analysis.
  const lexed = (text: string): Parameters<typeof formatDocument>[0] => {
    const sink = new DiagnosticSink();
    const parsed = parseTree(text, sink);
    return { text, parsed, tokens: parsed.tokens.tokens(), hasSyntaxErrors: sink.errorCount > 0 };
  };
  const tokens = (doc: Parameters<typeof formatDocument>[0]): string => [
    ...doc.tokens.map((tok) => tok.text),
    ...doc.parsed.lex.trivia.map((c) => doc.text.slice(c.start, c.end)),
  ].join('\u0001');
  let formatted = 0;
  for (const file of readdirSync(SUITE).filter((f) => f.endsWith('.wast'))) {
    const doc = lexed(readFileSync(join(SUITE, file), 'utf8'));
    const once = formatDocument(doc, options);
    if (once === undefined) continue;
    formatted++;
    const again = lexed(once);
    assert.equal(tokens(again), tokens(doc), `${file}: formatting changed the tokens or comments`);
    assert.equal(formatDocument(again, options), once, `${file}: formatting is not idempotent`);
  }
  t.diagnostic(`formatted ${formatted} scripts`);
  assert.ok(formatted > 100);
});
