// The host-call summary webview's HTML: generic over the profiler's JSON, and always escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, renderProfileSummary, splitProfileOutput } from '../../extension/profile-summary.js';

test('arrays of objects become tables with every key as a column', () => {
  const html = renderProfileSummary({
    program: '/w/app.wasm',
    exitCode: 0,
    summary: { totalMs: 12.5, imports: [{ import: 'wasi_snapshot_preview1.fd_write', calls: 3, ms: 1.25 }, { import: 'env.log', calls: 1, extra: 'x' }] },
    output: 'hello\n',
    cpuprofile: '/w/app.cpuprofile',
  });
  assert.match(html, /<th>import<\/th><th>calls<\/th><th>ms<\/th><th>extra<\/th>/);
  assert.match(html, /<td class="">wasi_snapshot_preview1\.fd_write<\/td><td class="num">3<\/td><td class="num">1\.250<\/td><td class=""><\/td>/);
  assert.match(html, /<dt>totalMs<\/dt><dd>12\.500<\/dd>/);
  assert.ok(html.indexOf('Host calls (imports)') < html.indexOf('totalMs'), 'host calls come first');
  assert.match(html, /Profile of app\.wasm/);
  assert.match(html, /Profile run finished\./);
  assert.match(html, /\/w\/app\.cpuprofile/);
});

test('without a summary file the run output is shown, escaped, with the failure status', () => {
  const html = renderProfileSummary({ program: 'x.wat', exitCode: 2, summary: undefined, output: '<script>alert(1)</script>', cpuprofile: undefined });
  assert.ok(!html.includes('<script>alert'));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /exited with code 2/);
  assert.match(html, /printed no report/);
  assert.match(renderProfileSummary({ program: 'x', exitCode: undefined, summary: [], output: '', cpuprofile: undefined }), /did not start[\s\S]*\(none\)[\s\S]*\(no output\)/);
});

test('escapeHtml escapes the five HTML metacharacters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('the JSON report printed after the program output is split off', () => {
  const report = { mode: 'interp', imports: [{ module: 'env', name: 'f', calls: 2 }] };
  assert.deepEqual(splitProfileOutput(`hello\n{ not json\n${JSON.stringify(report, null, 2)}\n`), { programOutput: 'hello\n{ not json\n', report });
  assert.deepEqual(splitProfileOutput(JSON.stringify(report, null, 2)), { programOutput: '', report });
  assert.deepEqual(splitProfileOutput('wasmscope profile: unknown import env.f\n'), { programOutput: 'wasmscope profile: unknown import env.f\n', report: undefined });
  assert.deepEqual(splitProfileOutput('out\n{\n  "broken": \n'), { programOutput: 'out\n{\n  "broken": \n', report: undefined });
});
