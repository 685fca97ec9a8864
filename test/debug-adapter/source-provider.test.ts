import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '../../debug-adapter/program.js';
import { CompositeProvider } from '../../debug-adapter/source-provider.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'dap');

test('a single-document provider finds its document by path or reference only', async () => {
  const wat = loadProgram(join(fixtures, 'loop.wat'));
  const doc = wat.sources.documents()[0]!;
  assert.equal(wat.sources.find({ path: join(fixtures, 'loop.wat') }), doc);
  assert.equal(wat.sources.find({ path: join(fixtures, 'calls.wat') }), undefined);
  assert.equal((await wat.sources.place(doc, 10))?.location.line, 10);
  const wasm = loadProgram(join(fixtures, 'loop.wasm'));
  const generated = wasm.sources.documents()[0]!;
  assert.ok(generated.sourceReference! > 0);
  assert.equal(wasm.sources.find({ sourceReference: generated.sourceReference }), generated);
  assert.equal(wasm.sources.find({ path: join(fixtures, 'loop.wasm') }), undefined);
  // A document of another program is not placed.
  assert.equal(await wasm.sources.place(doc, 10), undefined);
});

test('a composite provider asks each document\'s owner, and locates through the first that maps', async () => {
  // Two views of the same code: the .wat text first, the printed .wasm as the fallback.
  const wat = loadProgram(join(fixtures, 'loop.wat'));
  const wasm = loadProgram(join(fixtures, 'loop.wasm'));
  const both = new CompositeProvider([wat.sources, wasm.sources]);
  assert.equal(both.documents().length, 2);
  const [text, printed] = both.documents();
  const fromText = await both.place(text!, 10);
  const fromPrinted = await both.place(printed!, fromText!.location.line);
  assert.equal(fromText?.location.document, text);
  assert.equal(fromPrinted?.location.document, printed);
  const at = await both.locate(fromText!.location.offset);
  assert.equal(at?.document, text);
  assert.deepEqual(await both.positions(printed!, 0, 3), await wasm.sources.positions(printed!, 0, 3));
});
