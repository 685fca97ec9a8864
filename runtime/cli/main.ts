// The `wasmscope` command line (everything except `dap` and `lsp`, which bin/wasmscope.ts routes to
// the debug adapter and the language server). Each command lives in its own file and returns the
// process exit code; output goes through `out`/`err` so tests can drive commands in-process too.
import { WasmError } from '../wasm/errors.js';
import { UsageError } from './args.js';
import { checkCommand } from './check-command.js';
import { wasm2watCommand, wat2wasmCommand } from './convert-commands.js';
import { profileCommand } from './profile-command.js';
import { runCommand } from './run-command.js';
import { specCommand } from './spec-command.js';

export type Command = (argv: string[], out: (line: string) => void, err: (line: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  run: { run: runCommand, usage: 'run [--invoke NAME] [--dir HOST[::GUEST]]... [--env K=V]... FILE [ARGS...]' },
  profile: { run: profileCommand, usage: 'profile [--mode interp|native] [--out FILE] [--format cpuprofile|speedscope] [run flags] FILE [ARGS...]' },
  check: { run: checkCommand, usage: 'check [--json] FILE...                 report every error of .wat, .wast and .wasm files' },
  wat2wasm: { run: wat2wasmCommand, usage: 'wat2wasm IN.wat [-o OUT.wasm] [--debug-names]' },
  wasm2wat: { run: wasm2watCommand, usage: 'wasm2wat IN.wasm [-o OUT.wat]' },
  spec: { run: specCommand, usage: 'spec [--json] [--verbose] [--via-wast2json] PATH...   run .wast spec scripts' },
};

export const USAGE = `usage: wasmscope <command> [options]

commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}
  dap                       start the debug adapter (DAP over stdio)
  lsp --stdio               start the WAT language server (LSP over stdio)`;

export async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(line + '\n');
  const err = (line: string) => process.stderr.write(line + '\n');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`wasmscope: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`wasmscope ${name}: ${e.message}\nusage: wasmscope ${command.usage}`);
      return 2;
    }
    if (e instanceof WasmError) {
      err(`wasmscope ${name}: ${e.describe()}`);
      return 1;
    }
    throw e;
  }
}
