// Language-server latency: diagnostics after an edit on a 5,000-line module, hover and
// completion, measured in-process (the analysis alone) and end to end over stdio against the
// built server (`node dist/wasmscope.js lsp --stdio`). Targets: diagnostics within 50 ms of an
// edit (on top of the debounce delay), hover and completion within 20 ms.
// Run: `npm run build && node --import tsx bench/lsp.ts`.
import { analyzeDocument } from '../language-server/analysis/document.js';
import { hoverAt } from '../language-server/analysis/hover.js';
import { completionsAt } from '../language-server/analysis/completion.js';
import { semanticTokens } from '../language-server/analysis/semantic-tokens.js';
import { DIAGNOSTICS_DELAY_MS } from '../language-server/server.js';
import { LspClient, positionOf } from '../test/language-server/lsp-client.js';
import { generateModule } from '../test/language-server/generate.js';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(fn: () => T, runs: number): { ms: number; value: T } {
  let value!: T;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    value = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), value };
}

export async function benchLsp(): Promise<void> {
  const text = generateModule(5000);
  const lineCount = text.split('\n').length;
  const hoverOffset = text.lastIndexOf('i32.add') + 2;
  const completionText = text.replace('        local.get $acc\n', '        local.get \n');
  const completionOffset = completionText.indexOf('local.get \n') + 10;

  // Warm up the JIT before measuring.
  for (let r = 0; r < 10; r++) analyzeDocument(text, 'wat');
  const analysis = time(() => analyzeDocument(text, 'wat'), 15);
  const errors = analysis.value.diagnostics.length;
  const hover = time(() => hoverAt(analysis.value, hoverOffset), 50);
  // The first hover after an edit also maps the validator's stack facts to text (done lazily).
  const firstHovers: number[] = [];
  for (let r = 0; r < 5; r++) {
    const fresh = analyzeDocument(text, 'wat');
    firstHovers.push(time(() => hoverAt(fresh, hoverOffset), 1).ms);
  }
  const firstHover = median(firstHovers);
  const completionDoc = analyzeDocument(completionText, 'wat');
  const completion = time(() => completionsAt(completionDoc, completionOffset), 50);
  const tokens = time(() => semanticTokens(analysis.value), 5);
  console.log(`lsp (in-process, ${lineCount} lines, ${errors} diagnostics):`);
  console.log(`  full analysis (parse, names, validation, stack types): ${analysis.ms.toFixed(1)} ms`);
  console.log(`  hover on a cached analysis: ${hover.ms.toFixed(3)} ms (first hover after an edit: ${firstHover.toFixed(1)} ms); completion: ${completion.ms.toFixed(3)} ms (${completion.value.items.length} items)`);
  console.log(`  semantic tokens: ${tokens.ms.toFixed(1)} ms`);

  const client = await LspClient.start();
  try {
    const uri = 'file:///bench/big.wat';
    await client.open(uri, text);
    const edits: number[] = [];
    for (let r = 0; r < 25; r++) {
      const changed = text.replace('i32.const 1\n', `i32.const ${r + 2}\n`);
      const next = client.nextDiagnostics(uri);
      const t = performance.now();
      client.change(uri, changed);
      await next;
      edits.push(performance.now() - t - DIAGNOSTICS_DELAY_MS);
    }
    const hovers: number[] = [];
    const position = positionOf(text, 'i32.add', 100, 2);
    for (let r = 0; r < 20; r++) {
      const t = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position });
      hovers.push(performance.now() - t);
    }
    const completions: number[] = [];
    for (let r = 0; r < 20; r++) {
      const t = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'local.get $x', 50, 10) });
      completions.push(performance.now() - t);
    }
    console.log('lsp (over stdio, built server):');
    // The first edits also warm up the server's JIT; the steady state is what typing feels like.
    console.log(`  diagnostics after an edit, beyond the ${DIAGNOSTICS_DELAY_MS} ms debounce: median ${median(edits.slice(10)).toFixed(1)} ms over the last 15 edits (target 50); first edit ${edits[0]!.toFixed(1)} ms`);
    console.log(`  hover round trip: median ${median(hovers).toFixed(1)} ms; completion round trip: median ${median(completions).toFixed(1)} ms (target 20)`);
  } finally {
    await client.stop();
  }
}

// Alone from its source (see above); in the bench bundle every module has the bundle's URL.
if (process.argv[1]?.endsWith('lsp.ts')) await benchLsp();
