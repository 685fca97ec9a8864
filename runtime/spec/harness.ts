// Runs `.wast` spec scripts against the engine: every command kind of the 2.0 script format.
// The harness sees modules only as bytes (text modules are assembled by runtime/text first), so
// it exercises the same decode → validate → instantiate path as every other caller.
import { readFileSync } from 'node:fs';
import { decodeModule } from '../binary/decode.js';
import { validateModule } from '../validate/module.js';
import { WasmError } from '../wasm/errors.js';
import type { Module } from '../wasm/types.js';
import { instantiate, type Imports, type Instance } from '../engine/index.js';
import { assembleModuleText, Severity } from '../text/index.js';
import { parseWast } from '../text/wast.js';
import type { WastAction, WastCommand, WastModuleSource } from '../text/wast-types.js';
import { createSpectestImports } from './spectest.js';
import { describeExpected, describeResult, runAction, matchesExpected } from './values.js';

export interface CommandFailure {
  line: number;
  kind: WastCommand['kind'];
  message: string;
}

export interface ScriptResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: CommandFailure[];
}

export interface HarnessOptions {
  /** Read the script through Debian wabt's wast2json instead of our own front end. */
  commandsOf?: (path: string) => WastCommand[];
}

/** Thrown inside a command to mark it failed with a reason. */
class Mismatch extends Error {}

export function runScriptFile(path: string, options: HarnessOptions = {}): ScriptResult {
  const result: ScriptResult = { file: path, passed: 0, failed: 0, skipped: 0, failures: [] };
  let commands: WastCommand[];
  try {
    commands = options.commandsOf ? options.commandsOf(path) : parseScript(path);
  } catch (e) {
    result.failed++;
    result.failures.push({ line: 0, kind: 'module', message: `cannot read script: ${(e as Error).message}` });
    return result;
  }
  const runner = new ScriptRunner();
  for (const command of commands) {
    try {
      runner.run(command);
      result.passed++;
    } catch (e) {
      result.failed++;
      const message = e instanceof Mismatch ? e.message : `unexpected ${describeError(e)}`;
      result.failures.push({ line: command.line, kind: command.kind, message });
    }
  }
  return result;
}

function parseScript(path: string): WastCommand[] {
  const { commands, diagnostics } = parseWast(readFileSync(path, 'utf8'), path);
  const errors = diagnostics.filter((d) => d.severity === Severity.Error);
  if (errors.length > 0) {
    const d = errors[0];
    throw new Error(`${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
  }
  return commands;
}

function describeError(e: unknown): string {
  if (e instanceof WasmError) return `${e.kind} error: ${e.describe()}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

type Outcome = { ok: true; module: Module } | { ok: false; stage: 'malformed' | 'invalid'; message: string };

/** Per-script state: the current module, named modules and the registry of imports. */
class ScriptRunner {
  private current?: Instance;
  private readonly named = new Map<string, Instance>();
  private readonly registry: Imports = createSpectestImports();

  run(c: WastCommand): void {
    switch (c.kind) {
      case 'module': {
        const module = this.compile(c.source);
        const instance = instantiate(module, this.registry);
        this.current = instance;
        if (c.name) this.named.set(c.name, instance);
        return;
      }
      case 'register': {
        const instance = c.name ? this.named.get(c.name) : this.current;
        if (!instance) throw new Mismatch(`register: no module ${c.name ?? '(current)'}`);
        this.registry[c.as] = Object.fromEntries(instance.exports);
        return;
      }
      case 'action':
        this.act(c.action);
        return;
      case 'assert_return': {
        const results = this.act(c.action);
        if (results.length !== c.expected.length || !results.every((r, i) => matchesExpected(r, c.expected[i]))) {
          throw new Mismatch(`${actionName(c.action)} returned ${describeResult(results)}, expected ${c.expected.map(describeExpected).join(' ')}`);
        }
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion':
        this.expectTrap(() => this.act(c.action), c.message, c.kind === 'assert_exhaustion' ? 'exhaustion' : 'trap');
        return;
      case 'assert_trap_module': {
        const module = this.compile(c.source);
        this.expectTrap(() => instantiate(module, this.registry), c.message, 'trap');
        return;
      }
      case 'assert_malformed':
      case 'assert_invalid': {
        const outcome = this.tryCompile(c.source);
        if (outcome.ok) throw new Mismatch(`module was accepted, expected ${c.kind === 'assert_malformed' ? 'malformed' : 'invalid'}: ${c.message}`);
        // A text module with unresolvable names counts as invalid (the reference interpreter
        // reports those as validation errors too); a binary invalid module must not be malformed.
        if (c.kind === 'assert_invalid' && outcome.stage === 'malformed' && c.source.kind === 'binary') {
          throw new Mismatch(`expected invalid (${c.message}), got malformed: ${outcome.message}`);
        }
        return;
      }
      case 'assert_unlinkable': {
        const module = this.compile(c.source);
        try {
          instantiate(module, this.registry);
        } catch (e) {
          if (e instanceof WasmError && e.kind === 'link') return;
          throw new Mismatch(`expected link error (${c.message}), got ${describeError(e)}`);
        }
        throw new Mismatch(`module linked, expected link error: ${c.message}`);
      }
      case 'assert_uninstantiable': {
        const module = this.compile(c.source);
        this.expectTrap(() => instantiate(module, this.registry), c.message, 'trap');
        return;
      }
    }
  }

  private act(action: WastAction) {
    const instance = action.module ? this.named.get(action.module) : this.current;
    if (!instance) throw new Mismatch(`no module ${action.module ?? '(current)'} for ${actionName(action)}`);
    return runAction(instance, action);
  }

  private expectTrap(run: () => unknown, message: string, kind: 'trap' | 'exhaustion'): void {
    try {
      run();
    } catch (e) {
      if (e instanceof WasmError && (e.kind === kind || (kind === 'trap' && e.kind === 'exhaustion' && /stack/.test(message)))) {
        if (!e.message.includes(message) && !message.includes(e.message)) {
          throw new Mismatch(`trapped with "${e.message}", expected "${message}"`);
        }
        return;
      }
      throw new Mismatch(`expected ${kind} "${message}", got ${describeError(e)}`);
    }
    throw new Mismatch(`expected ${kind} "${message}", but it returned normally`);
  }

  private compile(source: WastModuleSource): Module {
    const outcome = this.tryCompile(source);
    if (!outcome.ok) throw new Mismatch(`module rejected (${outcome.stage}): ${outcome.message}`);
    return outcome.module;
  }

  private tryCompile(source: WastModuleSource): Outcome {
    let bytes: Uint8Array;
    if (source.kind === 'text-error') {
      const d = source.diagnostics[0];
      return { ok: false, stage: 'malformed', message: d ? d.message : 'text module rejected' };
    }
    if (source.kind === 'quote') {
      const assembled = assembleModuleText(source.text);
      const firstError = assembled.diagnostics.find((d) => d.severity === Severity.Error);
      if (!assembled.bytes || firstError) return { ok: false, stage: 'malformed', message: firstError?.message ?? 'text module rejected' };
      bytes = assembled.bytes;
    } else {
      bytes = source.bytes;
    }
    let module: Module;
    try {
      module = decodeModule(bytes);
    } catch (e) {
      if (e instanceof WasmError) return { ok: false, stage: 'malformed', message: e.message };
      throw e;
    }
    const errors = validateModule(module);
    if (errors.length > 0) return { ok: false, stage: 'invalid', message: errors[0].message };
    return { ok: true, module };
  }
}

function actionName(a: WastAction): string {
  return a.kind === 'invoke' ? `invoke "${a.name}"` : `get "${a.name}"`;
}
