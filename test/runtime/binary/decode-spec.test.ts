// Every binary module of the spec testsuite (via wast2json): malformed ones must throw DecodeError,
// the others must decode. Message agreement with the spec's expected text is measured too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusUnavailable, loadSpecCorpus } from './spec-corpus.js';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { DecodeError } from '../../../runtime/wasm/errors.js';

const unavailable = corpusUnavailable();

// Text modules in assert_invalid that wabt encodes without a data count section although they use
// memory.init/data.drop: by the binary format they are malformed, which the spec allows us to say.
const MALFORMED_INVALID_OK = ['data count section required'];

test('spec testsuite binaries decode, malformed ones throw DecodeError', { skip: unavailable }, () => {
  const corpus = loadSpecCorpus();
  if (corpus.skipped.length > 0) {
    console.log(`wast2json could not convert ${corpus.skipped.length} files: `
      + corpus.skipped.map((s) => `${s.wast} (${s.reason})`).join('; '));
  }
  const failures: string[] = [];
  let malformed = 0, decoded = 0, messageMatches = 0;
  for (const m of corpus.modules) {
    const where = `${m.wast}:${m.line}`;
    try {
      decodeModule(m.bytes);
      if (m.expect === 'malformed') failures.push(`${where}: decoded, expected "${m.text}"`);
      else decoded++;
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        failures.push(`${where}: crashed with ${String(e)}`);
      } else if (m.expect === 'malformed') {
        malformed++;
        if (e.message.startsWith(m.text ?? '')) messageMatches++;
        assert.ok(e.location && e.location.offset >= 0 && e.location.offset <= m.bytes.length, `${where} offset`);
      } else if (!(m.expect === 'invalid' && MALFORMED_INVALID_OK.includes(e.message))) {
        failures.push(`${where}: ${e.describe()}, expected ${m.expect}`);
      }
    }
  }
  console.log(`decoder: ${malformed} malformed rejected (${messageMatches} with the spec's message), `
    + `${decoded} decoded, ${corpus.modules.length} modules from ${new Set(corpus.modules.map((m) => m.wast)).size} files`);
  assert.deepEqual(failures, []);
  assert.ok(malformed > 500, 'the corpus has the malformed binaries');
  assert.ok(messageMatches >= malformed * 0.98, `spec messages: ${messageMatches}/${malformed}`);
});
