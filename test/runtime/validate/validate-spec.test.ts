// The validator against the spec testsuite (via wast2json) and against V8's WebAssembly.validate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusUnavailable, loadSpecCorpus } from '../binary/spec-corpus.js';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { validateModule } from '../../../runtime/validate/module.js';
import { DecodeError, ValidationError } from '../../../runtime/wasm/errors.js';

const unavailable = corpusUnavailable();

// The project's lib settings (ES2022, no DOM) do not declare the WebAssembly global Node provides.
const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };

test('spec modules: valid ones validate, assert_invalid ones do not; V8 agrees', { skip: unavailable }, () => {
  const corpus = loadSpecCorpus();
  const failures: string[] = [];
  const disagreements: string[] = [];
  const counts = { valid: 0, invalid: 0, invalidAsMalformed: 0, malformed: 0 };
  let specMessages = 0;
  for (const m of corpus.modules) {
    const where = `${m.wast}:${m.line}`;
    let verdict: 'valid' | 'invalid' | 'malformed';
    let detail = '';
    try {
      const errors = validateModule(decodeModule(m.bytes));
      verdict = errors.length === 0 ? 'valid' : 'invalid';
      for (const e of errors) {
        assert.ok(e instanceof ValidationError);
        assert.ok(e.location!.offset >= 0 && e.location!.offset <= m.bytes.length, `${where}: offset in range`);
      }
      if (errors[0]) detail = errors[0].describe();
      if (m.expect === 'invalid' && errors[0]?.message.startsWith(m.text ?? '')) specMessages++;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      verdict = 'malformed';
      detail = e.describe();
    }
    if (m.expect === 'valid' && verdict === 'valid') counts.valid++;
    else if (m.expect === 'invalid' && verdict === 'invalid') counts.invalid++;
    else if (m.expect === 'invalid' && verdict === 'malformed') counts.invalidAsMalformed++;
    else if (m.expect === 'malformed' && verdict === 'malformed') counts.malformed++;
    else failures.push(`${where}: expected ${m.expect} (${m.text ?? ''}), got ${verdict} ${detail}`);
    if (WebAssembly.validate(m.bytes) !== (verdict === 'valid')) {
      disagreements.push(`${where}: WebAssembly.validate says ${!(verdict === 'valid')}, we say ${verdict} ${detail}`);
    }
  }
  console.log(`validator: ${counts.valid} valid, ${counts.invalid} invalid rejected (+${counts.invalidAsMalformed} `
    + `as malformed, ${specMessages} with the spec's message), ${counts.malformed} malformed; `
    + `${corpus.modules.length - disagreements.length}/`
    + `${corpus.modules.length} agree with WebAssembly.validate`);
  assert.deepEqual(failures, []);
  assert.deepEqual(disagreements, []);
  assert.ok(counts.invalid > 2000 && counts.valid > 1500, 'the corpus is complete');
  assert.ok(specMessages >= counts.invalid * 0.99, `spec messages: ${specMessages}/${counts.invalid}`);
});

test('mutated spec modules: decode, validate and print never crash', { skip: unavailable }, async () => {
  const { printModule } = await import('../../../runtime/text/printer.js');
  const sources = loadSpecCorpus().modules.filter((m) => m.expect !== 'malformed');
  // A fixed LCG, so a failure reproduces.
  let seed = 99;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  let decoded = 0;
  for (let i = 0; i < 5000; i++) {
    const copy = sources[next() % sources.length]!.bytes.slice();
    const flips = 1 + (next() % 3);
    for (let k = 0; k < flips; k++) copy[8 + (next() % Math.max(1, copy.length - 8))] = next() & 0xff;
    let m;
    try {
      m = decodeModule(copy);
    } catch (e) {
      assert.ok(e instanceof DecodeError, `mutation ${i}: ${String(e)}`);
      continue;
    }
    decoded++;
    for (const e of validateModule(m)) assert.ok(e instanceof ValidationError);
    assert.ok(printModule(m).text.startsWith('(module'));
  }
  assert.ok(decoded > 500, `${decoded} mutated modules still decoded`);
});
