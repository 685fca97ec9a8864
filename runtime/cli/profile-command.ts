// `wasmscope profile [--mode interp|native] [--out FILE] [--format cpuprofile|speedscope] FILE [ARGS...]`
// (plus run's flags): runs the program under the profiler, writes the profile, prints the summary.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadProgram } from '../loader.js';
import { createProgramImports, parseArguments, ProgramError } from '../program.js';
import { funcTypeOf, type Module } from '../wasm/types.js';
import { checkCpuProfile } from '../profile/cpuprofile.js';
import { profileNative, type NativeImports } from '../profile/native.js';
import { profileInterpreted } from '../profile/interp.js';
import { formatSummary, toSpeedscope, type ProfileResult } from '../profile/report.js';
import { WasiExit } from '../wasi/index.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';
import { parseProgramCommandLine } from './program-flags.js';
import { reportFailure } from './run-command.js';

export const profileCommand: Command = (argv, out, err) => {
  const { file, options, args } = parseProgramCommandLine(argv, { mode: { value: true }, out: { value: true }, format: { value: true }, json: {} });
  const mode = args.flags.get('mode')?.[0] ?? 'interp';
  const format = args.flags.get('format')?.[0] ?? 'cpuprofile';
  if (mode !== 'interp' && mode !== 'native') throw new UsageError(`--mode is interp or native, not "${mode}"`);
  if (format !== 'cpuprofile' && format !== 'speedscope') throw new UsageError(`--format is cpuprofile or speedscope, not "${format}"`);
  const outFile = args.flags.get('out')?.[0] ?? `${basename(file).replace(/\.(wasm|wat)$/i, '')}.${format === 'speedscope' ? 'speedscope.json' : 'cpuprofile'}`;
  let result: ProfileResult & { exitCode: number };
  try {
    const program = loadProgram(file);
    if (mode === 'native') {
      const { imports, wasi } = createProgramImports(program, options);
      try {
        result = profileNative({
          module: program.module, bytes: program.bytes,
          // WASI's host functions are plain functions any engine can call.
          imports: imports as NativeImports,
          run(instance) {
            const memory = instance.exports['memory'];
            if (wasi && memory instanceof WebAssembly.Memory) wasi.bindMemory(() => memory.buffer);
            return runNativeEntry(instance, options.invoke?.name, options.invoke?.args ?? [], program.module, out);
          },
        });
      } finally {
        wasi?.close();
      }
    } else {
      result = profileInterpreted(program, options, (outcome) => {
        for (const r of outcome.results ?? []) out(String(r.value));
      });
    }
  } catch (e) {
    return reportFailure(e, err);
  }
  const problems = checkCpuProfile(result.profile);
  if (problems.length > 0) throw new Error(`internal error: the profile is malformed: ${problems.join('; ')}`);
  const data = format === 'speedscope' ? toSpeedscope(result.profile, basename(file)) : result.profile;
  writeFileSync(outFile, JSON.stringify(data));
  if (args.flags.has('json')) out(JSON.stringify({ ...result.report, profileFile: outFile }, null, 2));
  else {
    out(formatSummary(result.report));
    out(`\nprofile written to ${outFile}`);
  }
  return result.exitCode;
};

function runNativeEntry(instance: WebAssembly.Instance, invokeName: string | undefined, texts: string[], module: Module, out: (line: string) => void): number {
  const name = invokeName ?? '_start';
  const fn = instance.exports[name];
  if (typeof fn !== 'function') throw new ProgramError(`no exported function "${name}"`);
  try {
    const exp = module.exports.find((e) => e.name === name && e.kind === 'func')!;
    const result = (fn as (...a: unknown[]) => unknown)(...(invokeName ? parseArguments(funcTypeOf(module, exp.index)!, texts) : []));
    if (invokeName && result !== undefined) out(String(result));
    return 0;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    throw e;
  }
}
