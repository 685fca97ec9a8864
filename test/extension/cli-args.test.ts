// The command lines the extension hands to the wasmscope CLI: the contract with bin/wasmscope.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliPath, dapArgs, lspArgs, profileArgs, profileOutput, runArgs, wasm2watArgs, wat2wasmArgs } from '../../extension/cli-args.js';

const cli = cliPath('/ext');

test('the CLI is the bundled dist/wasmscope.js of the extension', () => {
  assert.equal(cli, '/ext/dist/wasmscope.js');
  assert.deepEqual(lspArgs(cli), [cli, 'lsp']);
  assert.deepEqual(dapArgs(cli), [cli, 'dap']);
});

test('run and profile pass preopens before the program and program arguments after it', () => {
  assert.deepEqual(runArgs(cli, '/w/a.wasm', { dirs: ['/w', '/tmp::/data'], args: ['-v', 'x'] }), [cli, 'run', '--dir', '/w', '--dir', '/tmp::/data', '/w/a.wasm', '-v', 'x']);
  assert.deepEqual(runArgs(cli, '/w/a.wat', { dirs: [] }), [cli, 'run', '/w/a.wat']);
  assert.deepEqual(profileArgs(cli, '/w/a.wat', 'native', { dirs: ['/w'], args: ['x'] }), [
    cli, 'profile', '--json', '--mode', 'native', '--out', '/w/a.cpuprofile', '--dir', '/w', '/w/a.wat', 'x',
  ]);
  assert.equal(profileOutput('/w/b.WASM'), '/w/b.cpuprofile');
});

test('wat2wasm writes the .wasm beside the .wat; wasm2wat prints to stdout', () => {
  assert.deepEqual(wat2wasmArgs(cli, '/w/m.wat'), { args: [cli, 'wat2wasm', '/w/m.wat', '-o', '/w/m.wasm'], output: '/w/m.wasm' });
  assert.deepEqual(wasm2watArgs(cli, '/w/m.wasm'), [cli, 'wasm2wat', '/w/m.wasm']);
});
