// The modules of the spec test suite's .wast scripts as standalone texts, for comparing the
// language server's diagnostics with an independent implementation (the npm wabt package).
import { DiagnosticSink, parseTree, headKeyword, isList, type SList } from '../../runtime/text/index.js';
import { readFileSync } from 'node:fs';
import { decodeString } from '../../runtime/text/literals.js';

export interface SpecModule {
  file: string;
  /** 1-based line of the module in its script. */
  line: number;
  /** The assertion around it, if any. */
  assertion?: string;
  text: string;
}

/** Text and quoted modules of one script (binary modules are not text and are skipped). */
export function specModules(path: string, file: string): SpecModule[] {
  const source = readFileSync(path, 'utf8');
  const parsed = parseTree(source, new DiagnosticSink());
  const out: SpecModule[] = [];
  const take = (list: SList, assertion?: string): void => {
    let i = 1;
    const second = list.items[1];
    if (second && !isList(second) && second.text.startsWith('$')) i++;
    const form = list.items[i];
    const line = parsed.lines.positionAt(list.start).line + 1;
    if (form && !isList(form) && form.text === 'binary') return;
    if (form && !isList(form) && form.text === 'quote') {
      const parts: string[] = [];
      for (const item of list.items.slice(i + 1)) {
        if (isList(item)) return;
        parts.push(new TextDecoder().decode(decodeString(item.text).bytes));
      }
      out.push({ file, line, assertion, text: `(module ${parts.join(' ')})` });
      return;
    }
    out.push({ file, line, assertion, text: source.slice(list.start, list.end) });
  };
  for (const node of parsed.tree) {
    if (!isList(node)) continue;
    const head = headKeyword(node);
    if (head === 'module') take(node);
    else if (head?.startsWith('assert_') && headKeyword(node.items[1]) === 'module') take(node.items[1] as SList, head);
  }
  return out;
}
