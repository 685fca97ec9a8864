// The debugger's worker sets WASI up through runtime/program.ts like `wasmscope run` does: the
// same program sees the same argv and environment and exits with the same code under both, and a
// WASI module without an exported memory still runs under the debugger (its WASI call fails there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { instantiate } from '../../../runtime/engine/index.js';
import type { TrapInfo } from '../../../runtime/engine/debug-api.js';
import { EngineSession } from '../../../runtime/engine/session.js';
import { bindWasiMemory, createProgramWasi, runProgram } from '../../../runtime/program.js';
import { LinkError } from '../../../runtime/wasm/errors.js';
import { watToBytes } from './wat.js';

// Writes its argument strings and then its environment strings (NUL-separated, as WASI lays
// them out) to stdout, then exits with code 7.
const ECHO = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $write (param $buf i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $buf)) (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (drop (call $args_sizes (i32.const 16) (i32.const 20)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    (call $write (i32.const 4096) (i32.load (i32.const 20)))
    (drop (call $env_sizes (i32.const 16) (i32.const 20)))
    (drop (call $env_get (i32.const 1024) (i32.const 8192)))
    (call $write (i32.const 8192) (i32.load (i32.const 20)))
    (call $exit (i32.const 7))))`;

const NO_MEMORY = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (func (export "_start") (drop (call $args_sizes (i32.const 0) (i32.const 4)))))`;

test('the debugger and `wasmscope run` give a program the same argv, environment and exit code', async () => {
  const bytes = watToBytes(ECHO);
  const module = decodeModule(bytes);
  let ran = '';
  const outcome = runProgram({ path: '/somewhere/echo.wasm', bytes, module }, {
    args: ['one', 'two words'], env: { GREETING: 'hi' }, preopens: [],
    stdout: (b) => { ran += Buffer.from(b).toString('utf8'); },
  });
  assert.equal(outcome.exitCode, 7);
  assert.equal(ran, 'echo.wasm\0one\0two words\0GREETING=hi\0');

  const session = new EngineSession();
  try {
    let debugged = '';
    session.on('output', (text, category) => { if (category === 'stdout') debugged += text; });
    const exited = new Promise<number>((resolve) => session.on('exited', resolve));
    // The adapter passes argv[0] as the program's file name (debug-adapter/program.ts).
    await session.load(bytes, { wasi: { args: ['echo.wasm', 'one', 'two words'], env: { GREETING: 'hi' } } });
    await session.run();
    assert.equal(await exited, 7);
    assert.equal(debugged, ran);
  } finally {
    await session.terminate();
  }
});

test('a WASI module without an exported memory: refused by `run`, runs under the debugger until its WASI call', async () => {
  const bytes = watToBytes(NO_MEMORY);
  const module = decodeModule(bytes);
  const wasi = createProgramWasi(module, { argv: ['m'], env: {}, preopens: [] })!;
  const instance = instantiate(module, wasi.imports);
  assert.throws(() => bindWasiMemory(wasi, instance), LinkError);
  assert.doesNotThrow(() => bindWasiMemory(wasi, instance, 'on-use'));
  assert.equal(createProgramWasi(decodeModule(watToBytes('(module)')), { argv: [], env: {}, preopens: [] }), undefined);

  const session = new EngineSession();
  try {
    const trap = new Promise<TrapInfo>((resolve) => session.on('trap', resolve));
    await session.load(bytes, { wasi: { args: ['m'] } });
    await session.run();
    const t = await trap;
    assert.equal(t.kind, 'host');
    assert.match(t.message, /does not export it as "memory"/);
  } finally {
    await session.terminate();
  }
});
