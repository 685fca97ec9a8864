// What F5 and the Debug command launch, without VS Code: the pure half of extension/debug.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configForFile, isDebuggableFile, moduleForActiveFile, resolveLaunchConfig } from '../../extension/launch-config.js';

const none = () => false;

test('F5 without launch.json debugs the active .wat or .wasm file with its workspace preopened', () => {
  const result = resolveLaunchConfig({}, '/ws/src/main.wat', '/ws', none);
  assert.ok('config' in result);
  assert.deepEqual(result.config, { type: 'wasmscope', request: 'launch', name: 'Debug main.wat', program: '/ws/src/main.wat', stopOnEntry: false, cwd: '/ws', dirs: ['/ws'] });
  const wasm = resolveLaunchConfig({}, 'C:\\ws\\a.WASM', undefined, none);
  assert.ok('config' in wasm && wasm.config.program === 'C:\\ws\\a.WASM' && wasm.config.name === 'Debug a.WASM' && wasm.config.dirs === undefined);
});

test('F5 without launch.json on another file explains what to do', () => {
  for (const active of [undefined, '/ws/readme.md']) {
    const result = resolveLaunchConfig({}, active, '/ws', none);
    assert.ok('error' in result && /Open a \.wat or \.wasm file/.test(result.error), String(active));
  }
});

test('a launch.json configuration is kept as written, with program defaulting to the active module', () => {
  const written = { type: 'wasmscope', request: 'launch', name: 'mine', program: '/ws/x.wasm', args: ['a'], env: { K: 'v' }, invoke: { name: 'f', args: [1, '2'] } };
  assert.deepEqual(resolveLaunchConfig(written, '/ws/other.wat', '/ws', none), { config: written });
  const noProgram = resolveLaunchConfig({ type: 'wasmscope', request: 'launch', name: 'n' }, '/ws/other.wat', '/ws', none);
  assert.ok('config' in noProgram && noProgram.config.program === '/ws/other.wat');
});

test('bad launch configurations are reported in words', () => {
  const noProgram = resolveLaunchConfig({ type: 'wasmscope', request: 'launch', name: 'n' }, '/ws/notes.txt', '/ws', none);
  assert.ok('error' in noProgram && noProgram.error.includes('"n" has no "program"'));
  const attach = resolveLaunchConfig({ type: 'wasmscope', request: 'attach', name: 'a', program: 'x.wasm' }, undefined, undefined, none);
  assert.ok('error' in attach && attach.error.includes('"attach"'));
  const badInvoke = resolveLaunchConfig({ type: 'wasmscope', request: 'launch', name: 'i', program: 'x.wasm', invoke: { name: '' } }, undefined, undefined, none);
  assert.ok('error' in badInvoke && badInvoke.error.includes('"invoke" needs a "name"'));
});

test('only module files are debuggable directly', () => {
  assert.equal(isDebuggableFile('a.wat'), true);
  assert.equal(isDebuggableFile('a.wasm'), true);
  assert.equal(isDebuggableFile('a.wast'), false);
  assert.equal(isDebuggableFile('a.wasm.map'), false);
  assert.equal(configForFile('/x/y.wasm', undefined).cwd, undefined);
});

test('F5 on C, C++ or Rust source debugs the .wasm of the same name beside it', () => {
  const built = (file: string) => file === '/ws/sum.wasm';
  assert.deepEqual(moduleForActiveFile('/ws/sum.c', built), { program: '/ws/sum.wasm' });
  assert.deepEqual(moduleForActiveFile('/ws/sum.WASM', built), { program: '/ws/sum.WASM' });
  const f5 = resolveLaunchConfig({}, '/ws/sum.c', '/ws', built);
  assert.ok('config' in f5 && f5.config.program === '/ws/sum.wasm' && f5.config.name === 'Debug sum.wasm');
  const missing = moduleForActiveFile('/ws/main.rs', built);
  assert.ok('error' in missing && missing.error.startsWith('No main.wasm next to main.rs'), JSON.stringify(missing));
  for (const ext of ['cc', 'cpp', 'cxx']) assert.ok('error' in moduleForActiveFile(`/ws/a.${ext}`, none) && (moduleForActiveFile(`/ws/a.${ext}`, none) as { error: string }).error.includes('a.wasm'));
});
