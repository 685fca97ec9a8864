// The flags `run` and `profile` share, as wasmtime spells them, and turning them into ProgramOptions.
import { parsePreopen, type ProgramOptions } from '../program.js';
import { parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args.js';

export const PROGRAM_FLAGS: Record<string, FlagSpec> = {
  invoke: { value: true },
  dir: { value: true, repeat: true },
  env: { value: true, repeat: true },
  'max-memory-pages': { value: true },
};

export interface ProgramCommandLine {
  file: string;
  options: ProgramOptions;
  args: ParsedArgs;
}

export function parseProgramCommandLine(argv: string[], extra: Record<string, FlagSpec> = {}): ProgramCommandLine {
  const args = parseArgs(argv, { ...PROGRAM_FLAGS, ...extra }, { stopAtFirstPositional: true });
  const [file, ...rest] = args.positionals;
  if (!file) throw new UsageError('give the program: a .wasm or .wat file');
  const env: Record<string, string> = {};
  for (const kv of args.flags.get('env') ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env takes KEY=VALUE, got "${kv}"`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const invokeName = args.flags.get('invoke')?.[0];
  const pages = args.flags.get('max-memory-pages')?.[0];
  if (pages !== undefined && !/^\d+$/.test(pages)) throw new UsageError('--max-memory-pages takes a number of 64 KiB pages');
  return {
    file,
    args,
    options: {
      args: invokeName ? [] : rest,
      env,
      preopens: (args.flags.get('dir') ?? []).map(parsePreopen),
      invoke: invokeName ? { name: invokeName, args: rest } : undefined,
      instanceOptions: pages !== undefined ? { maxMemoryPages: Number(pages) } : undefined,
    },
  };
}
