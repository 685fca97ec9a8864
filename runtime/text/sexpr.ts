// The concrete syntax tree: atoms (tokens) grouped into parenthesised lists. Every token keeps its
// span, so the language server can answer hover, semantic tokens and folding from this tree
// alone, and the module parser recovers from errors by skipping to the next list. The lexer
// (lexer.ts) builds the tree directly; this file holds its shape and the recovery rules.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';

export interface SList {
  kind: 'list';
  items: SNode[];
  /** Offset of `(`. */
  start: number;
  /** Just past `)`, or past the last item when the list is never closed. */
  end: number;
  /** False when the list is never closed (a diagnostic was reported). */
  closed: boolean;
}

export type SNode = Token | SList;

export function isList(node: SNode | undefined): node is SList {
  return node !== undefined && (node as SList).kind === 'list';
}

/** The keyword at the head of a list (`func` for `(func ...)`), if any. */
export function headKeyword(node: SNode | undefined): string | undefined {
  if (!isList(node)) return undefined;
  const head = node.items[0];
  return head && !isList(head) && head.kind === TokenKind.Keyword ? head.text : undefined;
}

export function spanOf(node: SNode): Span {
  return { start: node.start, end: node.end };
}

export function openParenSpan(list: SList): Span {
  return { start: list.start, end: list.start + 1 };
}

export function closeParenSpan(list: SList): Span | undefined {
  return list.closed ? { start: list.end - 1, end: list.end } : undefined;
}

/**
 * Every token in text order, parentheses included (synthesised from the lists), for consumers
 * that want a flat stream such as semantic highlighting.
 */
export function flattenTokens(tree: readonly SNode[]): Token[] {
  const out: Token[] = [];
  // Iterative: the tree can be nested arbitrarily deep.
  const stack: { nodes: readonly SNode[]; index: number; list?: SList }[] = [{ nodes: tree, index: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      const list = frame.list;
      if (list?.closed) out.push({ kind: TokenKind.RParen, start: list.end - 1, end: list.end, text: ')' });
      continue;
    }
    const node = frame.nodes[frame.index++]!;
    if (isList(node)) {
      out.push({ kind: TokenKind.LParen, start: node.start, end: node.start + 1, text: '(' });
      stack.push({ nodes: node.items, index: 0, list: node });
    } else out.push(node);
  }
  return out;
}

const FIELD_KEYWORDS = new Set(['func', 'global', 'memory', 'table', 'type', 'elem', 'data', 'start', 'export', 'import']);

/** Field keywords that may legitimately appear inside each field (so they never end it). */
const NESTED_FIELDS: Record<string, readonly string[]> = {
  func: ['export', 'import', 'type'], global: ['export', 'import'], memory: ['export', 'import', 'data'],
  table: ['export', 'import', 'elem'], type: ['func'], import: ['func', 'global', 'memory', 'table'],
  export: ['func', 'global', 'memory', 'table'], elem: ['table'], data: ['memory'], start: [],
};

/**
 * Builds the tree while the lexer runs. Items of open lists live on one shared scratch stack and
 * are copied into an exactly-sized array when their list closes: a list grown by push() keeps
 * spare capacity (V8 reserves 17 slots on the first push), which for hundreds of thousands of
 * small lists was a large share of all memory and GC time.
 */
export class TreeBuilder {
  private readonly scratch: SNode[] = [];
  /**
   * Used length of `scratch`. The array itself is never shrunk (setting `length` is a runtime
   * call per closed list); slots past `top` are stale and overwritten as the lexer goes on.
   */
  private top = 0;
  /** Scratch index where each open list's items begin. */
  private readonly starts: number[] = [];
  private readonly stack: SList[] = [];
  /** Indentation of each open list's line when its `(` starts the line, else -1. */
  private readonly indents: number[] = [];

  open(list: SList, indent: number): void {
    this.scratch[this.top++] = list;
    this.stack.push(list);
    this.starts.push(this.top);
    this.indents.push(indent);
  }

  /** Closes the innermost open list at `end`; false when there is none. */
  close(end: number): boolean {
    const list = this.stack.pop();
    if (!list) return false;
    const from = this.starts.pop()!;
    this.indents.pop();
    list.items = this.itemsFrom(from);
    this.top = from;
    list.closed = true;
    list.end = end;
    return true;
  }

  /**
   * The items from scratch index `from` to the top as an exactly sized array. Short lists (most
   * of them) are built with array literals: V8 tracks the survival of literal allocation sites
   * and, since every tree node survives, learns to allocate them directly in the old generation
   * instead of copying each one twice through the young generation; `slice` has no such site.
   */
  private itemsFrom(from: number): SNode[] {
    const s = this.scratch;
    switch (this.top - from) {
      case 0: return [];
      case 1: return [s[from]!];
      case 2: return [s[from]!, s[from + 1]!];
      case 3: return [s[from]!, s[from + 1]!, s[from + 2]!];
      case 4: return [s[from]!, s[from + 1]!, s[from + 2]!, s[from + 3]!];
      default: return s.slice(from, this.top);
    }
  }

  add(node: SNode): void {
    this.scratch[this.top++] = node;
  }

  /** True when the innermost open list has no items yet. */
  get topIsEmpty(): boolean {
    return this.stack.length > 0 && this.top === this.starts[this.starts.length - 1];
  }

  get depth(): number {
    return this.stack.length;
  }

  private headOf(level: number): string | undefined {
    const from = this.starts[level]!;
    const head = from < this.top ? this.scratch[from] : undefined;
    return head && !isList(head) && head.kind === TokenKind.Keyword ? head.text : undefined;
  }

  /**
   * Called when the newest list gets its head keyword. A module field keyword that starts a line
   * at or left of the indentation of the unclosed field at depth 1 (inside the module) closes
   * that field, reported as a missing `)`, so one forgotten parenthesis does not swallow the rest
   * of the file into one function.
   */
  recoverFieldStart(keyword: string, prevEnd: number, prevWasOpenString: boolean, sink: DiagnosticSink): void {
    if (this.stack.length < 3) return;
    const indent = this.indents[this.indents.length - 1]!;
    if (indent < 0 || !FIELD_KEYWORDS.has(keyword)) return;
    const fieldHead = this.headOf(1);
    if (this.indents[1]! < indent || fieldHead === undefined || !FIELD_KEYWORDS.has(fieldHead)) return;
    if (NESTED_FIELDS[fieldHead]!.includes(keyword)) return;
    // An unterminated string already explains the missing `)`.
    if (!prevWasOpenString) {
      sink.error({ start: prevEnd, end: prevEnd }, 'unclosed-paren',
        `expected \`)\` to close \`(${fieldHead}\` before the next \`(${keyword}\``);
    }
    const list = this.stack.pop()!;
    this.starts.pop();
    const listIndent = this.indents.pop()!;
    this.top--; // the list itself, as the last item of its parent
    while (this.stack.length > 1) {
      const open = this.stack.pop()!;
      const from = this.starts.pop()!;
      this.indents.pop();
      open.items = this.scratch.slice(from, this.top);
      this.top = from;
      open.end = Math.max(open.end, prevEnd);
    }
    this.open(list, listIndent);
  }

  /** Ends the text: reports lists still open (only the outermost: the rest is the same mistake). */
  finish(textEnd: number, sink: DiagnosticSink): SNode[] {
    if (this.stack.length > 0) {
      // An unterminated comment or string already explains why lists are unclosed.
      const explained = sink.items.some((d) => d.code === 'unterminated-comment' || d.code === 'unterminated-string');
      if (!explained) {
        const outer = this.stack[0]!;
        sink.error(openParenSpan(outer), 'unclosed-paren',
          `\`(${this.headOf(0) ?? ''}\` is never closed: expected \`)\` before the end of the file`);
      }
      while (this.stack.length > 0) {
        const list = this.stack.pop()!;
        const from = this.starts.pop()!;
        this.indents.pop();
        list.items = this.scratch.slice(from, this.top);
        this.top = from;
        const last = list.items[list.items.length - 1];
        list.end = Math.max(list.end, last ? last.end : list.start + 1, textEnd);
      }
    }
    return this.scratch.slice(0, this.top);
  }
}
