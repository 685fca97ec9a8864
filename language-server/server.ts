// The LSP side of the language server: documents, debounced diagnostics, and one thin handler per
// request that maps an analysis function (language-server/analysis/) to protocol shapes. Every
// handler is guarded: an exception becomes an error response and a log line, never a crash.
import type { Diagnostic as TextDiagnostic, Span } from '../runtime/text/index.js';
import {
  CodeActionKind, CompletionItemKind, DiagnosticSeverity, ErrorCodes, FoldingRangeKind, InlayHintKind, InsertTextFormat, MarkupKind, ResponseError,
  SymbolKind, TextDocumentSyncKind, TextDocuments, type CompletionItem, type Connection, type Diagnostic,
  type DocumentSymbol, type InitializeResult, type Range, type SelectionRange, type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, documentKindOf, type DocumentAnalysis } from './analysis/document.js';
import { hoverAt } from './analysis/hover.js';
import { completionsAt, type CompletionKind } from './analysis/completion.js';
import {
  definitionAt, highlightsAt, prepareRename, referencesAt, renameAt, RenameError,
} from './analysis/navigation.js';
import { documentOutline, type OutlineItem, type OutlineKind } from './analysis/outline.js';
import { foldingRanges } from './analysis/folding.js';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './analysis/semantic-tokens.js';
import { formatDocument } from './analysis/format.js';
import { signatureHelpAt } from './analysis/signature-help.js';
import { inlayHints } from './analysis/inlay-hints.js';
import { quickFixes } from './analysis/quick-fixes.js';
import { selectionSpans } from './analysis/selection.js';

/** How long diagnostics wait after the last keystroke, so typing is not slowed by re-analysis. */
export const DIAGNOSTICS_DELAY_MS = 150;

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  function: CompletionItemKind.Function, variable: CompletionItemKind.Variable, type: CompletionItemKind.TypeParameter,
  keyword: CompletionItemKind.Keyword, instruction: CompletionItemKind.Operator, label: CompletionItemKind.Reference,
  reference: CompletionItemKind.Reference, snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KINDS: Record<OutlineKind, SymbolKind> = {
  module: SymbolKind.Module, function: SymbolKind.Function, variable: SymbolKind.Variable, constant: SymbolKind.Constant,
  type: SymbolKind.Interface, memory: SymbolKind.Array, table: SymbolKind.Array, export: SymbolKind.Event,
  segment: SymbolKind.Struct, start: SymbolKind.Event,
};

function toLspDiagnostic(d: TextDiagnostic): Diagnostic {
  return { range: d.range, severity: d.severity as DiagnosticSeverity, code: d.code, source: 'wasmscope', message: d.message };
}

interface Cached {
  version: number;
  analysis: DocumentAnalysis;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, Cached>();
  const pending = new Map<string, NodeJS.Timeout>();

  const log = (message: string): void => connection.console.error(message);

  /** The analysis of a document's current version, computed at most once per version. */
  const analysisOf = (uri: string): { doc: TextDocument; analysis: DocumentAnalysis } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const hit = cache.get(uri);
    if (hit && hit.version === doc.version) return { doc, analysis: hit.analysis };
    const analysis = analyzeDocument(doc.getText(), documentKindOf(uri, doc.languageId), uri);
    cache.set(uri, { version: doc.version, analysis });
    return { doc, analysis };
  };

  const range = (a: DocumentAnalysis, span: Span): Range => a.lines.rangeOf(span);
  const offsetOf = (a: DocumentAnalysis, pos: { line: number; character: number }): number => a.lines.offsetAt(pos);

  /** Wraps a request handler: a thrown error becomes an error response (and a log line), never a crash. */
  function guard<P, R>(name: string, handler: (params: P) => R): (params: P) => R | ResponseError<void> {
    return (params: P) => {
      try {
        return handler(params);
      } catch (e) {
        if (e instanceof ResponseError) return e;
        log(`wasmscope lsp: ${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  const publish = (uri: string): void => {
    pending.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    let diagnostics: Diagnostic[];
    try {
      const { analysis } = analysisOf(uri)!;
      diagnostics = analysis.diagnostics.map(toLspDiagnostic);
    } catch (e) {
      log(`wasmscope lsp: analysis failed for ${uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      diagnostics = [{
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error,
        source: 'wasmscope', code: 'internal-error', message: `wasmscope could not analyse this document: ${e instanceof Error ? e.message : String(e)}`,
      }];
    }
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  const schedule = (uri: string, delay: number): void => {
    const old = pending.get(uri);
    if (old) clearTimeout(old);
    pending.set(uri, setTimeout(() => publish(uri), delay));
  };

  // TextDocuments fires onDidChangeContent right after onDidOpen: an opened document is shown at
  // once, and only later versions (edits) wait for the debounce.
  const openedVersion = new Map<string, number>();
  documents.onDidOpen((e) => {
    openedVersion.set(e.document.uri, e.document.version);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (openedVersion.get(e.document.uri) === e.document.version) return;
    schedule(e.document.uri, DIAGNOSTICS_DELAY_MS);
  });
  documents.onDidClose((e) => {
    const timer = pending.get(e.document.uri);
    if (timer) clearTimeout(timer);
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    openedVersion.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['$', '(', '.'], resolveProvider: false },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
      documentFormattingProvider: true,
      signatureHelpProvider: { triggerCharacters: ['(', ' '], retriggerCharacters: [')'] },
      inlayHintProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      selectionRangeProvider: true,
    },
    serverInfo: { name: 'wasmscope-lsp', version: '0.1.0' },
  }));

  connection.onHover(guard('hover', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const h = hoverAt(a, offsetOf(a, p.position));
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: range(a, h.span) } : null;
  }));

  connection.onCompletion(guard('completion', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const result = completionsAt(a, offsetOf(a, p.position));
    const replace = range(a, result.replace);
    return result.items.map((item): CompletionItem => ({
      label: item.label,
      kind: COMPLETION_KINDS[item.kind],
      detail: item.detail,
      documentation: item.documentation ? { kind: MarkupKind.Markdown, value: '```wasm\n' + item.documentation.replace('\n\n', '\n```\n') } : undefined,
      sortText: item.sortText,
      insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: replace, newText: item.snippet ?? item.label },
    }));
  }));

  connection.onDefinition(guard('definition', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const span = definitionAt(a, offsetOf(a, p.position));
    return span ? { uri: p.textDocument.uri, range: range(a, span) } : null;
  }));

  connection.onReferences(guard('references', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    return referencesAt(a, offsetOf(a, p.position), p.context.includeDeclaration)
      .map((span) => ({ uri: p.textDocument.uri, range: range(a, span) }));
  }));

  connection.onDocumentHighlight(guard('documentHighlight', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    return highlightsAt(a, offsetOf(a, p.position)).map((span) => ({ range: range(a, span) }));
  }));

  const renameFailure = (e: unknown): never => {
    if (e instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, e.message);
    throw e;
  };

  connection.onPrepareRename(guard('prepareRename', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    try {
      const { span, placeholder } = prepareRename(a, offsetOf(a, p.position));
      return { range: range(a, span), placeholder };
    } catch (e) {
      return renameFailure(e);
    }
  }));

  connection.onRenameRequest(guard('rename', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    try {
      const edits = renameAt(a, offsetOf(a, p.position), p.newName);
      return { changes: { [p.textDocument.uri]: edits.map((e): TextEdit => ({ range: range(a, e.span), newText: e.newText })) } };
    } catch (e) {
      return renameFailure(e);
    }
  }));

  const toSymbol = (a: DocumentAnalysis, item: OutlineItem): DocumentSymbol => ({
    name: item.name || '?', detail: item.detail, kind: SYMBOL_KINDS[item.kind], range: range(a, item.span),
    selectionRange: range(a, item.selectionSpan), children: item.children?.map((c) => toSymbol(a, c)),
  });

  connection.onDocumentSymbol(guard('documentSymbol', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    return a ? documentOutline(a).map((item) => toSymbol(a, item)) : null;
  }));

  connection.onFoldingRanges(guard('foldingRange', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    return foldingRanges(a).map((f) => ({
      startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : undefined,
    }));
  }));

  connection.languages.semanticTokens.on(guard('semanticTokens', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    return { data: a ? semanticTokens(a) : [] };
  }));

  connection.onDocumentFormatting(guard('formatting', (p) => {
    const found = analysisOf(p.textDocument.uri);
    if (!found) return null;
    const { analysis: a } = found;
    const formatted = formatDocument(a, { tabSize: p.options.tabSize, insertSpaces: p.options.insertSpaces });
    if (formatted === undefined) {
      // Refuse rather than guess: whitespace between tokens is only safe to touch when the tokens are known.
      connection.console.info('wasmscope lsp: not formatting a document with syntax errors');
      return [];
    }
    if (formatted === a.text) return [];
    return [{ range: range(a, { start: 0, end: a.text.length }), newText: formatted }];
  }));

  connection.onSignatureHelp(guard('signatureHelp', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const s = signatureHelpAt(a, offsetOf(a, p.position));
    if (!s) return null;
    return {
      signatures: [{ label: s.label, parameters: s.parameters.map((x) => ({ label: x.label, documentation: x.type })) }],
      activeSignature: 0, activeParameter: s.activeParameter,
    };
  }));

  connection.languages.inlayHint.on(guard('inlayHint', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const span = { start: offsetOf(a, p.range.start), end: offsetOf(a, p.range.end) };
    return inlayHints(a, span).map((h) => ({
      position: a.lines.positionAt(h.offset), label: h.label,
      kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
      paddingLeft: h.kind === 'type', paddingRight: h.kind === 'parameter',
    }));
  }));

  connection.onCodeAction(guard('codeAction', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    const span = { start: offsetOf(a, p.range.start), end: offsetOf(a, p.range.end) };
    return quickFixes(a, span).map((fix) => ({
      title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [toLspDiagnostic(fix.diagnostic)],
      edit: { changes: { [p.textDocument.uri]: [{ range: range(a, fix.edit.span), newText: fix.edit.newText }] } },
    }));
  }));

  connection.onSelectionRanges(guard('selectionRange', (p) => {
    const a = analysisOf(p.textDocument.uri)?.analysis;
    if (!a) return null;
    return p.positions.map((position): SelectionRange => {
      const spans = selectionSpans(a, offsetOf(a, position));
      let parent: SelectionRange | undefined;
      for (let i = spans.length - 1; i >= 0; i--) parent = { range: range(a, spans[i]!), parent };
      return parent ?? { range: { start: position, end: position } };
    });
  }));

  documents.listen(connection);
  connection.listen();
}
