// `npm run fuzz` — robustness campaigns against wasmscope's engine, decoder, validator and WAT
// front end (see fuzz/README in the report; modes in cases.ts).
//
//   npm run fuzz -- --seeds 0..499            every mode, seeds 0 to 499 inclusive
//   npm run fuzz -- --minutes 10              from a time-based start seed until 10 minutes pass
//   npm run fuzz -- --mode diff --seeds 7..7  one mode (diff | decode | text, comma-separated)
//   npm run fuzz -- --mode lsp,dap --seeds 0..50   the language server / debug adapter over stdio
//                                             (needs npm run build; findings are printed with their seed)
//   options: --timeout MS (per case), --no-save (do not write fixtures), --no-minimize, --verbose
//
// Exit status: 0 when nothing was found, 1 when there were findings (saved under
// test/fixtures/fuzz/ unless --no-save), 2 on a usage or harness error.

import { runCampaign } from './campaign.js';
import { MODES, type Mode } from './cases.js';
import { saveFixture } from './fixtures.js';
import { wasmOptAvailable } from './ttf.js';
import { delimiter, sep } from 'node:path';

// `npm run fuzz` puts node_modules/.bin first on PATH, where the wabt npm package's JS wrapper of
// wat2wasm (more lenient: it accepts a lone `$`) shadows the Debian wat2wasm that confirms every
// front-end disagreement; the confirming oracle must be the native tool, as in the tests.
process.env['PATH'] = (process.env['PATH'] ?? '').split(delimiter).filter((p) => !p.endsWith(`node_modules${sep}.bin`)).join(delimiter);

type ProtocolMode = 'lsp' | 'dap';
const PROTOCOL_MODES: readonly ProtocolMode[] = ['lsp', 'dap'];

interface CliOptions {
  modes: Mode[];
  protocols: ProtocolMode[];
  from: number;
  to?: number;
  minutes?: number;
  timeoutMs?: number;
  save: boolean;
  minimize: boolean;
  verbose: boolean;
}

function usage(message: string): never {
  console.error(`fuzz: ${message}\nusage: npm run fuzz -- [--seeds A..B | --minutes N] [--mode diff,decode,text] [--timeout MS] [--no-save] [--no-minimize] [--verbose]`);
  process.exit(2);
}

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { modes: [...MODES], protocols: [], from: 0, save: true, minimize: true, verbose: false };
  let haveRange = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--seeds') {
      const m = /^(\d+)(?:\.\.(\d+))?$/.exec(value());
      if (!m) usage('--seeds takes A..B (inclusive) or a single seed');
      o.from = Number(m[1]);
      o.to = Number(m[2] ?? m[1]);
      if (o.to < o.from) usage('--seeds A..B needs A <= B');
      haveRange = true;
    } else if (a === '--minutes') {
      o.minutes = Number(value());
      if (!(o.minutes > 0)) usage('--minutes takes a positive number');
    } else if (a === '--mode') {
      const modes = value().split(',');
      for (const m of modes) if (!MODES.includes(m as Mode) && !PROTOCOL_MODES.includes(m as ProtocolMode)) usage(`unknown mode ${m}`);
      o.modes = modes.filter((m): m is Mode => MODES.includes(m as Mode));
      o.protocols = modes.filter((m): m is ProtocolMode => PROTOCOL_MODES.includes(m as ProtocolMode));
    } else if (a === '--timeout') {
      o.timeoutMs = Number(value());
      if (!(o.timeoutMs > 0)) usage('--timeout takes milliseconds');
    } else if (a === '--no-save') o.save = false;
    else if (a === '--no-minimize') o.minimize = false;
    else if (a === '--verbose') o.verbose = true;
    else usage(`unknown argument ${a}`);
  }
  if (!haveRange && o.minutes === undefined) { o.from = 0; o.to = 199; }
  if (!haveRange && o.minutes !== undefined) o.from = Date.now() % 1_000_000_000; // printed below, so it replays
  return o;
}

/** Language server and debug adapter sessions, one per seed, until the range or the time ends. */
async function runProtocols(o: CliOptions, to: number | undefined, deadline: number | undefined): Promise<number> {
  let findings = 0;
  const timeUp = (): boolean => deadline !== undefined && Date.now() >= deadline;
  if (o.protocols.includes('lsp')) {
    const { LspClient } = await import('../test/language-server/lsp-client.js');
    const { fuzzLanguageServer } = await import('./lsp-fuzz.js');
    let client = await LspClient.start();
    let requests = 0, seeds = 0;
    for (const seed of seedRange(o.from, to)) {
      if (timeUp()) break;
      const r = await fuzzLanguageServer(client, seed);
      requests += r.requests; seeds++;
      for (const f of r.findings) { findings++; console.log(`FINDING lsp ${f}`); }
      if (!client.alive) { await client.stop(); client = await LspClient.start(); }
    }
    await client.stop();
    console.log(`lsp: ${seeds} sessions, ${requests} requests`);
  }
  if (o.protocols.includes('dap')) {
    const { startClient, fixture } = await import('../test/debug-adapter/dap-harness.js');
    const { endSession, fuzzDebugAdapter } = await import('./dap-fuzz.js');
    let requests = 0, seeds = 0;
    for (const seed of seedRange(o.from, to)) {
      if (timeUp()) break;
      const dc = await startClient();
      try {
        const r = await fuzzDebugAdapter(dc, { seed, program: fixture('memory.wat'), invoke: { name: 'poke', args: [32, 7] }, breakLine: 16 });
        requests += r.requests; seeds++;
        for (const f of r.findings) { findings++; console.log(`FINDING dap ${f}`); }
      } finally {
        await endSession(dc);
      }
    }
    console.log(`dap: ${seeds} sessions, ${requests} requests`);
  }
  return findings;
}

function* seedRange(from: number, to: number | undefined): Generator<number> {
  for (let s = from; to === undefined || s <= to; s++) yield s;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.modes.length === 0 && o.protocols.length === 0) usage('no mode');
  if ((o.modes.includes('diff') || o.modes.includes('decode')) && !wasmOptAvailable()) usage('wasm-opt (binaryen) is not installed');
  const to = o.minutes !== undefined && o.to === undefined ? undefined : o.to;
  console.log(`fuzz: modes ${[...o.modes, ...o.protocols].join(', ')}; seeds ${o.from}..${to ?? '∞'}${o.minutes ? `; for ${o.minutes} min` : ''}`);
  let lastReport = Date.now();
  const deadline = o.minutes !== undefined ? Date.now() + o.minutes * 60_000 : undefined;
  const protocolFindings = o.protocols.length > 0 ? await runProtocols(o, to, deadline) : 0;
  if (o.modes.length === 0) process.exit(protocolFindings > 0 ? 1 : 0);
  const summary = await runCampaign({
    modes: o.modes,
    seeds: seedRange(o.from, to),
    deadline,
    timeoutMs: o.timeoutMs,
    minimize: o.minimize,
    onResult: (r) => {
      if (r.finding) {
        console.log(`FINDING ${r.mode} seed ${r.seed}: ${r.finding.what}: ${r.finding.description}`);
        if (o.save) console.log(`  saved ${saveFixture(r.finding)}`);
      } else if (o.verbose) console.log(`${r.mode} seed ${r.seed}: ${r.category} (${r.units})`);
      if (Date.now() - lastReport > 30_000) { lastReport = Date.now(); console.log(`… ${r.mode} seed ${r.seed}`); }
    },
  });
  for (const [mode, s] of Object.entries(summary.stats)) {
    const cats = Object.entries(s.categories).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`${mode}: ${s.cases} cases, ${s.units} ${mode === 'diff' ? 'calls' : 'checks'} (${cats})`);
  }
  for (const e of summary.harnessErrors) console.log(`HARNESS ERROR ${e.split('\n')[0]}`);
  console.log(`${summary.findings.length} findings in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  process.exit(summary.harnessErrors.length > 0 ? 2 : summary.findings.length + protocolFindings > 0 ? 1 : 0);
}

await main();
