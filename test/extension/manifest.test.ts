// package.json's extension contributions must agree with the files and code they point at: a typo
// here only shows up in a running VS Code otherwise.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const extensionSource = readdirSync(join(root, 'extension')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(root, 'extension', f), 'utf8')).join('\n');

test('languages, grammars and the language configuration exist', () => {
  assert.deepEqual(contributes.languages.map((l: { id: string }) => l.id), ['wat', 'wast']);
  for (const lang of contributes.languages) {
    const config = JSON.parse(readFileSync(join(root, lang.configuration), 'utf8'));
    assert.deepEqual(config.comments, { lineComment: ';;', blockComment: ['(;', ';)'] });
    for (const rule of [...(Object.values(config.indentationRules) as string[]), config.wordPattern]) new RegExp(rule);
    assert.equal(new RegExp(config.wordPattern).exec('  local.get $my.id)')?.[0], 'local.get', 'instruction names are one word');
    assert.equal(new RegExp(config.wordPattern).exec(' $my.id)')?.[0], '$my.id', '$ids are one word');
  }
  for (const grammar of contributes.grammars) {
    const file = join(root, grammar.path);
    assert.ok(existsSync(file), grammar.path);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).scopeName, grammar.scopeName);
  }
});

test('every contributed command is registered by the extension and every menu item names one', () => {
  const ids = contributes.commands.map((c: { command: string }) => c.command);
  assert.deepEqual(ids.sort(), ['wasmscope.compileWat', 'wasmscope.debugFile', 'wasmscope.profileFile', 'wasmscope.runFile', 'wasmscope.showWasmText']);
  for (const id of ids) assert.ok(extensionSource.includes(`'${id}'`), `${id} is not registered in extension/`);
  for (const [menu, items] of Object.entries(contributes.menus) as [string, { command: string }[]][]) {
    for (const item of items) assert.ok(ids.includes(item.command), `${menu} names unknown command ${item.command}`);
  }
  const titleButtons = contributes.menus['editor/title'].map((i: { when: string }) => i.when).join(' ');
  assert.match(titleButtons, /\.wat/);
  assert.match(titleButtons, /\.wasm/);
});

test('the debugger declares the launch attributes the adapter reads', () => {
  const [debuggerContribution] = contributes.debuggers;
  assert.equal(debuggerContribution.type, 'wasmscope');
  assert.equal(debuggerContribution.label, 'wasmscope: WebAssembly');
  const props = Object.keys(debuggerContribution.configurationAttributes.launch.properties).sort();
  assert.deepEqual(props, ['args', 'cwd', 'dirs', 'env', 'invoke', 'pathMap', 'profile', 'program', 'stdin', 'stopOnEntry', 'trace']);
  assert.deepEqual(contributes.breakpoints.map((b: { language: string }) => b.language), ['wat', 'wast', 'c', 'cpp', 'rust']);
  assert.ok(extensionSource.includes("registerDebugAdapterDescriptorFactory('wasmscope'"));
  assert.ok(extensionSource.includes("registerDebugConfigurationProvider('wasmscope'"));
});

test('the custom editor and settings the code uses are contributed', () => {
  assert.ok(extensionSource.includes("WASM_EDITOR_VIEW_TYPE = 'wasmscope.wasmText'"));
  assert.equal(contributes.customEditors[0].viewType, 'wasmscope.wasmText');
  const settings = Object.keys(contributes.configuration.properties);
  for (const used of extensionSource.matchAll(/getConfiguration\('wasmscope'(?:, \w+)?\)\.get<[^>]+>\('([\w.]+)'\)/g)) {
    assert.ok(settings.includes(`wasmscope.${used[1]}`), `setting wasmscope.${used[1]} is read but not contributed`);
  }
  assert.ok(settings.includes('wasmscope.trace.server') && settings.includes('wasmscope.profile.mode'));
  assert.equal(pkg.main, './dist/extension.cjs');
});

test('the extension icon is a 128×128 PNG that the .vsix carries', () => {
  const png = readFileSync(join(root, pkg.icon));
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  // IHDR: width and height, big-endian, right after the signature and the chunk header.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!docs\/\*\.png$/m);
});
