// The Tables scope over stdio: each table with its current size, expandable into its elements
// (function name and index, null), paged through indexedVariables so a table of 100,000 entries
// costs one page per request, and read again at each stop (tables grow while the program runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launch, missingEngine, raw, topFrame, withClient } from './dap-harness.js';

const skip = missingEngine();
if (skip) console.log(`# skipping DAP table tests: ${skip}`);

const TABLES = fixture('tables.wat');

async function tablesOf(dc: DebugClient): Promise<DebugProtocol.Variable[]> {
  const frame = await topFrame(dc);
  const scope = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Tables');
  assert.ok(scope, 'no Tables scope');
  return (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
}

async function elements(dc: DebugClient, table: DebugProtocol.Variable, start?: number, count?: number): Promise<[string, string][]> {
  const vars = (await dc.variablesRequest({ variablesReference: table.variablesReference, filter: 'indexed',
    ...(start !== undefined ? { start } : {}), ...(count !== undefined ? { count } : {}) })).body.variables;
  return vars.map((v) => [v.name, v.value]);
}

test('tables expand into their elements, paged, with the size read at each stop', { skip }, () => withClient(async (dc) => {
  let stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: TABLES, invoke: { name: 'main' } }, () =>
    dc.setBreakpointsRequest({ source: { path: TABLES }, breakpoints: [{ line: 14 }, { line: 15 }] }));
  await stopped;

  let tables = await tablesOf(dc);
  assert.deepEqual(tables.map((t) => [t.name, t.value, t.indexedVariables]), [
    ['$ops', 'funcref, 4 elements (min 4, max 16)', 4],
    ['$big', 'funcref, 100000 elements (min 100000)', 100000],
    ['$refs', 'externref, 1 element (min 1)', 1],
  ]);
  const [ops, big, refs] = tables as [DebugProtocol.Variable, DebugProtocol.Variable, DebugProtocol.Variable];
  assert.deepEqual(await elements(dc, ops), [['[0]', '$add (func 0)'], ['[1]', '$sub (func 1)'], ['[2]', 'null'], ['[3]', 'null']]);
  assert.deepEqual(await elements(dc, refs), [['[0]', 'null']]);
  // A page at the end of the big table; the unnamed function is shown by its index.
  assert.deepEqual(await elements(dc, big, 99997, 10), [['[99997]', 'null'], ['[99998]', 'func 2'], ['[99999]', '$add (func 0)']]);
  assert.deepEqual(await elements(dc, big, 5, 2), [['[5]', 'null'], ['[6]', 'null']]);
  // Without a count a client gets one page, not 100,000 variables.
  const started = Date.now();
  const firstPage = await elements(dc, big);
  assert.equal(firstPage.length, 1000);
  assert.ok(Date.now() - started < 2000, `a page of a 100,000-element table took ${Date.now() - started} ms`);
  assert.deepEqual(await elements(dc, big, 200000, 5), []);

  // After table.grow the same table has 7 elements, the new ones $sub.
  stopped = dc.waitForEvent('stopped');
  await dc.continueRequest({ threadId: 1 });
  await stopped;
  tables = await tablesOf(dc);
  assert.equal(tables[0]!.value, 'funcref, 7 elements (min 4, max 16)');
  assert.equal(tables[0]!.indexedVariables, 7);
  assert.deepEqual((await elements(dc, tables[0]!, 3, 4)).map(([, v]) => v), ['null', '$sub (func 1)', '$sub (func 1)', '$sub (func 1)']);
  // A reference from before the resume is stale, not silently another table.
  const stale = await raw(dc, 'variables', { variablesReference: ops.variablesReference });
  assert.equal(stale.success, false);
}));
