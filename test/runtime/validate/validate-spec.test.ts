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
    + `as malformed), ${counts.malformed} malformed; ${corpus.modules.length - disagreements.length}/`
    + `${corpus.modules.length} agree with WebAssembly.validate`);
  assert.deepEqual(failures, []);
  assert.deepEqual(disagreements, []);
  assert.ok(counts.invalid > 2000 && counts.valid > 1500, 'the corpus is complete');
});
