// Table elements as a stop shows them (ProbeState.readTable in the thread, EngineSession.readTable
// through the worker): funcrefs by their index in this instance (imported host functions too),
// null, host values, imported tables, sizes after table.grow, pages clamped to the length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, invoke, WasmFunction, WasmTable } from '../../../runtime/engine/index.js';
import type { DebugValue, ProbeState, StoppedEvent, TableView } from '../../../runtime/engine/debug-api.js';
import { EngineSession } from '../../../runtime/engine/session.js';
import { ValType, type Module } from '../../../runtime/wasm/types.js';
import { watModule, watToBytes } from './wat.js';

const TEXT = `(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "env" "things" (table $things 2 externref))
  (table $fns 3 funcref)
  (elem (table $fns) (i32.const 0) func $host $twice)
  (func $twice (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "main") (result i32)
    (drop (table.grow $fns (table.get $fns (i32.const 1)) (i32.const 2)))
    (table.size $fns)))`;

/** The `table.size` that ends main, after the grow. */
function tableSizeOffset(m: Module): number {
  const body = m.funcs[m.funcs.length - 1]!.body;
  return body[body.length - 2]!.offset;
}

const brief = (values: DebugValue[]): (string | number | null)[][] => values.map((v) => [v.type, v.text, v.raw]);

test('readTable at a stop: imported table with host values, funcrefs of imported and defined functions, growth', () => {
  const m = watModule(TEXT);
  const things = new WasmTable(ValType.ExternRef, { min: 2 });
  things.elements[1] = { label: 'a host object' };
  const seen: { tables: TableView[]; fns: DebugValue[]; things: DebugValue[]; clamped: DebugValue[] }[] = [];
  const inst = instantiate(m, { env: { host: (x: number) => x, things } }, {
    debug: {
      onProbe(_event, state: ProbeState) {
        seen.push({ tables: state.tables(), fns: state.readTable(1, 0, 10), things: state.readTable(0, 0, 2), clamped: state.readTable(1, 2, 100) });
        return 'continue';
      },
    },
  });
  inst.debugger!.setBreakpoint(tableSizeOffset(m));
  assert.deepEqual(invoke(inst.exports.get('main') as WasmFunction, []), [5]);
  assert.equal(seen.length, 1);
  const stop = seen[0]!;
  assert.deepEqual(stop.tables, [{ index: 0, length: 2, elem: 'externref' }, { index: 1, length: 5, elem: 'funcref' }]);
  // $host is import 0 (its WasmFunction has no index of its own), $twice is function 1.
  assert.deepEqual(brief(stop.fns), [['funcref', 'func 0', 0], ['funcref', 'func 1', 1], ['funcref', 'null', null],
    ['funcref', 'func 1', 1], ['funcref', 'func 1', 1]]);
  assert.deepEqual(brief(stop.things), [['externref', 'null', null], ['externref', '[object Object]', '[object Object]']]);
  assert.equal(stop.clamped.length, 3);
});

test('the session reads tables from the worker; stubMissing provides an imported table', async () => {
  const session = new EngineSession();
  try {
    const stopped = new Promise<StoppedEvent>((resolve) => session.on('stopped', resolve));
    await session.load(watToBytes(TEXT), { stubMissing: true }, { entry: 'main' });
    const m = watModule(TEXT);
    await session.setBreakpoints([{ offset: tableSizeOffset(m) }]);
    await session.run();
    assert.equal((await stopped).reason, 'breakpoint');
    assert.deepEqual(await session.tables(), [{ index: 0, length: 2, elem: 'externref' }, { index: 1, length: 5, elem: 'funcref' }]);
    assert.deepEqual(brief(await session.readTable(1, 3, 2)), [['funcref', 'func 1', 1], ['funcref', 'func 1', 1]]);
    assert.deepEqual(brief(await session.readTable(0, 0, 5)), [['externref', 'null', null], ['externref', 'null', null]]);
    await assert.rejects(session.readTable(7, 0, 1), /no table 7/);
  } finally {
    await session.terminate();
  }
});
