// The assembler against Debian's wabt 1.0.32 over the whole spec suite: every module wast2json
// writes as a binary must equal ours byte for byte. wast2json writes no name section by default,
// and neither do we, so the comparison is of the complete files. Every text module of an
// assert_malformed must be rejected by our front end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SPEC_DIR, specFiles, wabtCommands } from './spec-corpus.js';
import { parseWast } from '../../../runtime/text/wast.js';
import { assembleModuleText } from '../../../runtime/text/module-text.js';
import type { WastCommand, WastModuleSource } from '../../../runtime/text/wast-types.js';

function haveWast2json(): boolean {
  try {
    execFileSync('wast2json', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const files = specFiles();
const skip = files.length === 0 ? `spec testsuite not found at ${SPEC_DIR} (set WASM_SPEC_TESTSUITE)`
  : !haveWast2json() ? 'wast2json (Debian wabt) is not installed' : false;

const parsedScripts = new Map<string, WastCommand[]>();
const scriptProblems: string[] = [];
function commandsOf(file: string): WastCommand[] {
  let commands = parsedScripts.get(file);
  if (!commands) {
    const parsed = parseWast(readFileSync(file, 'utf8'), file);
    commands = parsed.commands;
    for (const d of parsed.diagnostics) scriptProblems.push(`${basename(file)}:${d.range.start.line + 1}: ${d.message}`);
    parsedScripts.set(file, commands);
  }
  return commands;
}

function bytesOf(source: WastModuleSource): Uint8Array | undefined {
  if (source.kind === 'text' || source.kind === 'binary') return source.bytes;
  if (source.kind === 'quote') return assembleModuleText(source.text).bytes;
  return undefined;
}

test('assembled spec modules are byte-identical to wat2wasm (wast2json)', { skip }, () => {
  let identical = 0, skippedFiles = 0;
  const mismatches: string[] = [];
  let malformedRejected = 0;
  const malformedAccepted: string[] = [];
  for (const file of files) {
    const wabt = wabtCommands(file);
    const commands = commandsOf(file);
    if (!wabt) {
      skippedFiles++;
      continue;
    }
    // Both lists hold the module-bearing commands in file order; wabt numbers lines from the
    // module form, we from the command, so pair by position and check the lines agree.
    const ours = commands.filter((c): c is WastCommand & { source: WastModuleSource } => 'source' in c);
    const theirs = wabt.commands.filter((c) => c.filename !== undefined);
    assert.equal(ours.length, theirs.length, `${basename(file)}: module command count`);
    theirs.forEach((wc, i) => {
      const cmd = ours[i]!;
      assert.ok(Math.abs(cmd.line - wc.line) <= 3, `${basename(file)}: command ${i} at line ${cmd.line} vs wabt ${wc.line}`);
      const where = `${basename(file)}:${wc.line}`;
      if (wc.type === 'assert_malformed' && wc.module_type === 'text') {
        if (bytesOf(cmd.source) === undefined) malformedRejected++;
        else malformedAccepted.push(where);
        return;
      }
      if (wc.module_type !== 'binary') return;
      const ref = readFileSync(join(wabt.dir, wc.filename!));
      const mine = bytesOf(cmd.source);
      if (mine && Buffer.compare(Buffer.from(mine), ref) === 0) identical++;
      else mismatches.push(`${where} (${cmd.source.kind === 'text-error' ? cmd.source.diagnostics[0]?.message : 'bytes differ'})`);
    });
  }
  console.log(`spec assembly: ${identical} modules byte-identical, ${mismatches.length} different, `
    + `${skippedFiles} files wabt cannot process; assert_malformed text modules: ${malformedRejected} rejected, `
    + `${malformedAccepted.length} accepted`);
  assert.deepEqual(scriptProblems, [], 'every spec script parses without diagnostics');
  assert.deepEqual(mismatches, []);
  assert.deepEqual(malformedAccepted, []);
  assert.ok(identical > 2500, `expected thousands of modules, compared ${identical}`);
});

test('assert_invalid text modules still assemble (validation happens later)', { skip: files.length === 0 && 'spec testsuite absent' }, () => {
  let assembled = 0;
  const failed: string[] = [];
  for (const file of files) {
    for (const c of commandsOf(file)) {
      if (c.kind !== 'assert_invalid') continue;
      if (c.source.kind === 'text' || c.source.kind === 'binary') assembled++;
      else if (c.source.kind === 'quote') {
        if (assembleModuleText(c.source.text).bytes) assembled++;
        else failed.push(`${basename(file)}:${c.line}`);
      } else failed.push(`${basename(file)}:${c.line} ${c.source.diagnostics[0]?.message}`);
    }
  }
  assert.deepEqual(failed, []);
  assert.ok(assembled > 500);
});

test('with debugNames, module name sections equal wat2wasm --debug-names', { skip }, () => {
  let identical = 0;
  const mismatches: string[] = [];
  for (const file of files) {
    const wabt = wabtCommands(file, true);
    if (!wabt) continue;
    const ours = parseWast(readFileSync(file, 'utf8'), file, { debugNames: true }).commands
      .filter((c): c is WastCommand & { source: WastModuleSource } => 'source' in c);
    const theirs = wabt.commands.filter((c) => c.filename !== undefined);
    theirs.forEach((wc, i) => {
      const cmd = ours[i]!;
      // Plain text modules only: quoted and binary ones are not assembled with names.
      if (wc.type !== 'module' || cmd.source.kind !== 'text') return;
      const ref = readFileSync(join(wabt.dir, wc.filename!));
      if (Buffer.compare(Buffer.from(cmd.source.bytes), ref) === 0) identical++;
      else mismatches.push(`${basename(file)}:${wc.line}`);
    });
  }
  console.log(`spec assembly with names: ${identical} modules byte-identical to wast2json --debug-names`);
  assert.deepEqual(mismatches, []);
  assert.ok(identical > 1000);
});
