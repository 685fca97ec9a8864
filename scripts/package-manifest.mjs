// Writes the VS Code extension's fields of package.json (main, activationEvents, contributes,
// categories, keywords; repository stays unset until there is a real one) and the "package"
// script. Other people edit the rest of package.json at other times, so this reads the file,
// replaces only these fields and writes it back: never rewrite package.json from memory. Rerun after changing anything below:
//   node scripts/package-manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'package.json');

const launchProperties = {
  program: { type: 'string', description: 'The .wasm or .wat file to run.', default: '${file}' },
  args: { type: 'array', items: { type: 'string' }, description: 'Command-line arguments for the program (WASI argv after argv[0]).', default: [] },
  env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Environment variables visible to the program through WASI.', default: {} },
  dirs: {
    type: 'array',
    description: 'Directories the program may access (WASI preopens): "HOST" or "HOST::GUEST". Nothing else on disk is visible.',
    items: { type: 'string' },
    default: [],
  },
  cwd: { type: 'string', description: 'Working directory for resolving relative paths in program, dirs and stdin.', default: '${workspaceFolder}' },
  stopOnEntry: { type: 'boolean', description: 'Stop at the first instruction of the entry function.', default: false },
  invoke: {
    type: 'object',
    description: 'Call this exported function instead of the WASI _start entry point.',
    properties: {
      name: { type: 'string', description: 'Name of the exported function.' },
      args: { type: 'array', items: { type: ['string', 'number'] }, description: 'Arguments, converted to the parameter types (i64 as decimal strings to keep precision).' },
    },
    required: ['name'],
  },
  stdin: { type: 'string', description: 'File whose contents the program reads as standard input.' },
  trace: { type: 'boolean', description: 'Log the Debug Adapter Protocol messages to the Debug Console.', default: false },
  profile: { type: 'boolean', description: 'Also record a CPU profile (.cpuprofile) of the debug session.', default: false },
  pathMap: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Map source paths recorded in DWARF (compile-time prefixes) to paths on this machine.',
    default: {},
  },
};

const debugFileConfig = { type: 'wasmscope', request: 'launch', name: 'Debug WebAssembly file', program: '${file}', stopOnEntry: false };

const owned = {
  main: './dist/extension.cjs',
  activationEvents: ['onLanguage:wat', 'onLanguage:wast', 'onDebugResolve:wasmscope', 'onDebugDynamicConfigurations:wasmscope', 'onCustomEditor:wasmscope.wasmText'],
  categories: ['Programming Languages', 'Debuggers', 'Snippets'],
  keywords: ['webassembly', 'wasm', 'wat', 'wast', 'wasi', 'debugger', 'profiler'],
  contributes: {
    languages: [
      { id: 'wat', aliases: ['WebAssembly Text', 'wat'], extensions: ['.wat'], configuration: './language-configuration.json' },
      { id: 'wast', aliases: ['WebAssembly Script', 'wast'], extensions: ['.wast'], configuration: './language-configuration.json' },
    ],
    grammars: [
      { language: 'wat', scopeName: 'source.wat', path: './syntaxes/wat.tmLanguage.json' },
      { language: 'wast', scopeName: 'source.wast', path: './syntaxes/wast.tmLanguage.json' },
      {
        scopeName: 'markdown.wat.codeblock',
        path: './syntaxes/markdown-wat.tmLanguage.json',
        injectTo: ['text.html.markdown'],
        embeddedLanguages: { 'meta.embedded.block.wat': 'wat', 'meta.embedded.block.wast': 'wast' },
      },
    ],
    breakpoints: [{ language: 'wat' }, { language: 'wast' }, { language: 'c' }, { language: 'cpp' }, { language: 'rust' }],
    debuggers: [
      {
        type: 'wasmscope',
        label: 'wasmscope: WebAssembly',
        languages: ['wat', 'wast', 'c', 'cpp', 'rust'],
        configurationAttributes: { launch: { required: ['program'], properties: launchProperties } },
        initialConfigurations: [debugFileConfig],
        configurationSnippets: [
          {
            label: 'wasmscope: Debug a WASI program',
            description: 'Run a .wasm (or .wat) file under the wasmscope debugger with WASI.',
            body: { type: 'wasmscope', request: 'launch', name: 'Debug WASI program', program: '^"\\${workspaceFolder}/${1:program.wasm}"', args: [], dirs: ['^"\\${workspaceFolder}"'], stopOnEntry: false },
          },
          {
            label: 'wasmscope: Invoke an exported function',
            description: 'Call one exported function with arguments instead of _start.',
            body: { type: 'wasmscope', request: 'launch', name: 'Invoke ${2:function}', program: '^"\\${workspaceFolder}/${1:module.wat}"', invoke: { name: '${2:function}', args: [] } },
          },
        ],
      },
    ],
    commands: [
      { command: 'wasmscope.runFile', title: 'Run WebAssembly File', category: 'wasmscope', icon: '$(run)' },
      { command: 'wasmscope.debugFile', title: 'Debug WebAssembly File', category: 'wasmscope', icon: '$(debug-alt)' },
      { command: 'wasmscope.profileFile', title: 'Profile WebAssembly File', category: 'wasmscope', icon: '$(pulse)' },
      { command: 'wasmscope.compileWat', title: 'Compile WAT to Wasm', category: 'wasmscope', icon: '$(file-binary)' },
      { command: 'wasmscope.showWasmText', title: 'Show Wasm as Text', category: 'wasmscope', icon: '$(preview)' },
    ],
    menus: {
      'editor/title': [
        { command: 'wasmscope.runFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'navigation@1' },
        { command: 'wasmscope.debugFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'navigation@2' },
        { command: 'wasmscope.profileFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'navigation@3' },
        { command: 'wasmscope.compileWat', when: 'resourceExtname == .wat', group: 'navigation@4' },
        { command: 'wasmscope.showWasmText', when: 'resourceExtname == .wasm', group: 'navigation@5' },
      ],
      'explorer/context': [
        { command: 'wasmscope.runFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'wasmscope@1' },
        { command: 'wasmscope.debugFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'wasmscope@2' },
        { command: 'wasmscope.profileFile', when: 'resourceExtname == .wat || resourceExtname == .wasm', group: 'wasmscope@3' },
        { command: 'wasmscope.compileWat', when: 'resourceExtname == .wat', group: 'wasmscope@4' },
        { command: 'wasmscope.showWasmText', when: 'resourceExtname == .wasm', group: 'wasmscope@5' },
      ],
      commandPalette: [
        { command: 'wasmscope.compileWat', when: 'editorLangId == wat' },
        { command: 'wasmscope.showWasmText', when: 'resourceExtname == .wasm' },
      ],
    },
    taskDefinitions: [
      {
        type: 'wasmscope',
        required: ['command'],
        properties: { command: { type: 'string', description: 'What the task runs, e.g. "run main.wasm" or "profile main.wasm".' } },
      },
    ],
    customEditors: [
      {
        viewType: 'wasmscope.wasmText',
        displayName: 'WebAssembly Text (read-only)',
        selector: [{ filenamePattern: '*.wasm' }],
        priority: 'default',
      },
    ],
    configuration: {
      title: 'wasmscope',
      properties: {
        'wasmscope.trace.server': {
          scope: 'window',
          type: 'string',
          enum: ['off', 'messages', 'verbose'],
          default: 'off',
          description: 'Log the messages between VS Code and the WAT language server to its output channel.',
        },
        'wasmscope.profile.mode': {
          type: 'string',
          enum: ['interp', 'native'],
          enumDescriptions: [
            'Profile on the wasmscope engine: exact call and instruction counts, slower execution.',
            "Profile on Node's own WebAssembly: real speed, sampled attribution.",
          ],
          default: 'interp',
          description: 'Which engine the Profile command runs the program on.',
        },
        'wasmscope.node.path': {
          type: 'string',
          default: 'node',
          description: 'Node.js 20+ executable used to start the language server, the debug adapter and the command-line tool.',
        },
        'wasmscope.run.dirs': {
          type: 'array',
          items: { type: 'string' },
          default: ['.'],
          description: 'Directories the Run and Profile commands preopen for the program (relative to the workspace folder).',
        },
      },
    },
  },
};

const pkg = JSON.parse(readFileSync(file, 'utf8'));
Object.assign(pkg, owned);
// No public repository exists yet; a made-up URL would send people (and vsce's link rewriting)
// somewhere wrong. Packaging passes --allow-missing-repository until there is one.
delete pkg.repository;
pkg.scripts = { ...pkg.scripts, package: 'node scripts/package-vsix.mjs' };
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log('package.json: extension fields updated');
