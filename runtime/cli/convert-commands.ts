// `wasmscope wat2wasm IN.wat -o OUT.wasm [--debug-names]` and `wasmscope wasm2wat IN.wasm [-o OUT]`:
// the front end's assembler and printer on the command line (the same ones the debugger uses).
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeModule } from '../binary/decode.js';
import { loadText, LoadError } from '../loader.js';
import { printModule } from '../text/printer.js';
import { WasmError } from '../wasm/errors.js';
import { parseArgs, UsageError } from './args.js';
import type { Command } from './main.js';

export const wat2wasmCommand: Command = (argv, _out, err) => {
  const args = parseArgs(argv, { o: { value: true }, output: { value: true }, 'debug-names': {} });
  const [input] = args.positionals;
  const output = args.flags.get('o')?.[0] ?? args.flags.get('output')?.[0] ?? input?.replace(/\.wat$/i, '') + '.wasm';
  if (!input || args.positionals.length > 1) throw new UsageError('wat2wasm: give one input file');
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (e) {
    err(`${input}: cannot read: ${(e as Error).message}`);
    return 1;
  }
  try {
    const program = loadText(input, text, { debugNames: args.flags.has('debug-names') });
    writeFileSync(output, program.bytes);
    return 0;
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    for (const line of e.lines) err(line);
    return 1;
  }
};

export const wasm2watCommand: Command = (argv, out, err) => {
  const args = parseArgs(argv, { o: { value: true }, output: { value: true } });
  const [input] = args.positionals;
  if (!input || args.positionals.length > 1) throw new UsageError('wasm2wat: give one input file');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(input));
  } catch (e) {
    err(`${input}: cannot read: ${(e as Error).message}`);
    return 1;
  }
  try {
    const text = printModule(decodeModule(bytes)).text;
    const output = args.flags.get('o')?.[0] ?? args.flags.get('output')?.[0];
    if (output) writeFileSync(output, text);
    else out(text.replace(/\n$/, ''));
    return 0;
  } catch (e) {
    if (!(e instanceof WasmError)) throw e;
    err(`${input}: error: ${e.describe()}`);
    return 1;
  }
};
