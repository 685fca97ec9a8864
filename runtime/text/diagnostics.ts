// Diagnostics of the text front end, shaped like LSP diagnostics so the language server can pass
// them through untouched: 0-based lines, UTF-16 columns. JavaScript strings are UTF-16, so a
// string index is already an LSP column once the line start is subtracted.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Same numbering as LSP's DiagnosticSeverity. */
export const enum Severity {
  Error = 1,
  Warning = 2,
  Information = 3,
  Hint = 4,
}

export interface Diagnostic {
  range: Range;
  severity: Severity;
  /** Stable machine-readable kind, e.g. 'unexpected-token', 'undefined-name', 'type-mismatch'. */
  code: string;
  message: string;
}

/** A half-open span of string indices [start, end) into the source text. */
export interface Span {
  start: number;
  end: number;
}

/** Offsets where lines start: after each \n, \r\n or lone \r. */
function findLineStarts(text: string): number[] {
  const starts = [0];
  if (text.indexOf('\r') === -1) {
    // indexOf runs natively, several times faster than a charCodeAt loop on large files.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
  }
  return starts;
}

/**
 * Converts string offsets to LSP positions (binary search per lookup). The line starts are found on
 * the first lookup: a check that reports nothing never needs them, and on a large file the pass
 * over every line was a measurable part of a first, not yet optimised, run.
 */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private get lineStarts(): number[] {
    return (this.starts ??= findLineStarts(this.text));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo]! };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStarts[pos.line]! + pos.character, this.text.length);
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

/**
 * Collects diagnostics as spans while parsing, and converts them to LSP ranges at the end; the
 * parser never needs line numbers on its hot path.
 */
export class DiagnosticSink {
  readonly items: { span: Span; severity: Severity; code: string; message: string }[] = [];

  private errors = 0;

  error(span: Span, code: string, message: string): void {
    this.items.push({ span, severity: Severity.Error, code, message });
    this.errors++;
  }

  warning(span: Span, code: string, message: string): void {
    this.items.push({ span, severity: Severity.Warning, code, message });
  }

  get errorCount(): number {
    return this.errors;
  }

  /** In text order (stable), which is how editors and snapshots want them. */
  toDiagnostics(lines: LineIndex): Diagnostic[] {
    const sorted = this.items.slice().sort((a, b) => a.span.start - b.span.start);
    return sorted.map((d) => ({ range: lines.rangeOf(d.span), severity: d.severity, code: d.code, message: d.message }));
  }
}

/** "file:line:col: message" (1-based), for command-line output. */
export function formatDiagnostic(d: Diagnostic, fileName = '<input>'): string {
  const kind = d.severity === Severity.Error ? 'error' : d.severity === Severity.Warning ? 'warning' : 'note';
  return `${fileName}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${kind}: ${d.message}`;
}
