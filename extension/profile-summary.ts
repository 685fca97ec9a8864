// Turns what `wasmscope profile --json` printed into the HTML of the host-call summary webview. The
// report's shape belongs to the profiler (runtime/profile/report.ts), so rendering is generic: every
// array of objects becomes a table with the objects' keys as columns, scalars a key/value list, with
// the host imports first. That keeps the view correct when the profiler adds fields. Pure (no
// `vscode` import) for unit tests.

export interface ProfileResult {
  program: string;
  exitCode: number | undefined;
  /** The profiler's JSON report, when the run got far enough to print one. */
  summary: unknown;
  /** What the program itself printed (stdout and stderr interleaved), without the report. */
  output: string;
  cpuprofile: string | undefined;
}

/**
 * Splits `wasmscope profile --json` output into the program's own output and the report, which the
 * CLI prints last as an indented JSON object (so it starts with a line holding only "{").
 */
export function splitProfileOutput(output: string): { programOutput: string; report: unknown } {
  // Searching "\n" + output finds a "{" line at the very start too; the index is then the "{"'s own.
  const start = ('\n' + output).lastIndexOf('\n{\n');
  if (start >= 0) {
    try {
      return { programOutput: output.slice(0, start), report: JSON.parse(output.slice(start)) };
    } catch {
      // Not the report (e.g. the program printed JSON and the profiler failed): show it all as output.
    }
  }
  return { programOutput: output, report: undefined };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function formatScalar(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderTable(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((row) => '<tr>' + columns.map((c) => `<td class="${typeof row[c] === 'number' ? 'num' : ''}">${escapeHtml(formatScalar(row[c]))}</td>`).join('') + '</tr>')
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function renderValue(title: string, value: unknown, depth: number): string {
  const heading = `<h${Math.min(depth + 2, 6)}>${escapeHtml(title)}</h${Math.min(depth + 2, 6)}>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${heading}<p>(none)</p>`;
    if (value.every(isRecord)) return heading + renderTable(value);
    return `${heading}<p>${escapeHtml(value.map(formatScalar).join(', '))}</p>`;
  }
  if (isRecord(value)) {
    const scalars = Object.entries(value).filter(([, v]) => typeof v !== 'object' || v === null);
    const nested = Object.entries(value).filter(([, v]) => typeof v === 'object' && v !== null);
    const list = scalars.length ? '<dl>' + scalars.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(formatScalar(v))}</dd>`).join('') + '</dl>' : '';
    return heading + list + nested.map(([k, v]) => renderValue(k, v, depth + 1)).join('\n');
  }
  return `${heading}<p>${escapeHtml(formatScalar(value))}</p>`;
}

function renderReport(report: unknown): string {
  if (!isRecord(report)) return renderValue('Report', report, 0);
  const { imports, ...rest } = report;
  return (imports !== undefined ? renderValue('Host calls (imports)', imports, 0) : '') + renderValue('Profile', rest, 0);
}

export function renderProfileSummary(result: ProfileResult): string {
  const status = result.exitCode === 0 ? 'finished' : result.exitCode === undefined ? 'did not start' : `exited with code ${result.exitCode}`;
  const summary = result.summary === undefined ? '<p>The profiler printed no report; its output is below.</p>' : renderReport(result.summary);
  const profile = result.cpuprofile ? `<p>CPU profile: <code>${escapeHtml(result.cpuprofile)}</code> (opened in the profile viewer).</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>wasmscope profile</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin: .5em 0; } th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 2px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } dt { font-weight: bold; float: left; clear: left; margin-right: 1em; }
pre { background: var(--vscode-textCodeBlock-background); padding: .5em; white-space: pre-wrap; }
</style></head>
<body>
<h1 id="wasmscope-profile-title">Profile of ${escapeHtml(result.program.split(/[\\/]/).pop() ?? result.program)}</h1>
<p id="wasmscope-profile-status">Profile run ${escapeHtml(status)}.</p>
${profile}
${summary}
<h2>Program output</h2>
<pre>${escapeHtml(result.output) || '(no output)'}</pre>
</body></html>`;
}
