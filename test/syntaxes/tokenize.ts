// Tokenizes text with the grammars in syntaxes/ exactly as VS Code does (vscode-textmate on the
// Oniguruma regex engine compiled to Wasm), for the snapshot and grammar tests.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'syntaxes');

const grammarFiles: Record<string, string> = {
  'source.wat': join(repoRoot, 'syntaxes', 'wat.tmLanguage.json'),
  'source.wast': join(repoRoot, 'syntaxes', 'wast.tmLanguage.json'),
  'markdown.wat.codeblock': join(repoRoot, 'syntaxes', 'markdown-wat.tmLanguage.json'),
  // VS Code's Markdown grammar is not in this repository; a host with the same scope name is all an
  // injection grammar needs to be exercised.
  'text.html.markdown': join(fixturesDir, 'markdown-host.tmLanguage.json'),
};

let registry: Promise<textmate.Registry> | undefined;

function createRegistry(): Promise<textmate.Registry> {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));
  return Promise.resolve(
    new textmate.Registry({
      onigLib,
      loadGrammar: async (scopeName) => {
        const file = grammarFiles[scopeName];
        return file ? textmate.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? ['markdown.wat.codeblock'] : undefined),
    }),
  );
}

export async function loadGrammar(scopeName: string): Promise<textmate.IGrammar> {
  registry ??= createRegistry();
  const grammar = await (await registry).loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  return grammar;
}

export interface Token {
  text: string;
  /** Scopes without the grammar's root scope, outermost first. */
  scopes: string[];
}

export async function tokenizeLines(scopeName: string, text: string): Promise<Token[][]> {
  const grammar = await loadGrammar(scopeName);
  let state = textmate.INITIAL;
  const lines: Token[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, state);
    lines.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) })));
    state = result.ruleStack;
  }
  return lines;
}

/** Readable snapshot: each source line, then one row per token that is not bare whitespace. */
export function formatSnapshot(text: string, lines: Token[][]): string {
  const source = text.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((tokens, i) => {
    out.push(`> ${source[i]}`);
    for (const t of tokens) {
      if (t.text.trim() === '' && t.scopes.length === 0) continue;
      out.push(`  ${JSON.stringify(t.text).padEnd(24)} ${t.scopes.join(' ') || '-'}`);
    }
  });
  return out.join('\n') + '\n';
}
