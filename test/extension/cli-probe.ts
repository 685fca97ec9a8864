// Asks the built CLI (dist/wasmscope.js) what it can do, so an e2e test of a feature whose
// server-side half has not landed yet skips and says so, instead of failing for the wrong reason.
// `dap` and `lsp` are probed by speaking their protocol (the adapter must also launch a program);
// other commands by the command list of `wasmscope --help`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const cliScript = join(import.meta.dirname, '..', '..', 'dist', 'wasmscope.js');

/** Command names listed by `wasmscope --help` (lines of the form "  NAME  description"). */
export function listedCommands(): Set<string> {
  if (!existsSync(cliScript)) return new Set();
  const help = spawnSync(process.execPath, [cliScript, '--help'], { encoding: 'utf8', timeout: 20_000 });
  return new Set([...`${help.stdout}\n${help.stderr}`.matchAll(/^ {2}([a-z][\w-]*)\b/gm)].map((m) => m[1]!));
}

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Splits Content-Length framed messages (DAP and LSP share the framing) off the front of `buffer`. */
function takeMessages(buffer: Buffer): { messages: Record<string, unknown>[]; rest: Buffer } {
  const messages: Record<string, unknown>[] = [];
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) break;
    const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
    if (!Number.isFinite(length) || buffer.length < headerEnd + 4 + length) break;
    messages.push(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
    buffer = buffer.subarray(headerEnd + 4 + length);
  }
  return { messages, rest: buffer };
}

/**
 * True when the feature works far enough to test: `wasmscope lsp --stdio` answers initialize;
 * `wasmscope dap` answers initialize and then launches `program` (then disconnects), and verifies
 * `breakpoint` when one is given (e.g. a line of C source, which needs the DWARF support).
 * Otherwise the reason, for the skip message.
 */
export function probeProtocol(kind: 'dap' | 'lsp', program: string, breakpoint?: { path: string; line: number }, timeoutMs = 15_000): Promise<true | string> {
  if (!existsSync(cliScript)) return Promise.resolve(`${cliScript} is not built (npm run build)`);
  const args = kind === 'lsp' ? [cliScript, 'lsp', '--stdio'] : [cliScript, 'dap'];
  const name = `\`wasmscope ${args.slice(1).join(' ')}\``;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer: Buffer = Buffer.alloc(0);
    let stderr = '';
    let step = 'initialize';
    let seq = 1;
    let launched = false;
    // Unverified until the adapter says otherwise (in the setBreakpoints response or a later event).
    let breakpointProblem: string | undefined = breakpoint ? 'no answer to setBreakpoints' : undefined;
    const finishIfDone = () => {
      if (!launched || (breakpoint && breakpointProblem === 'no answer to setBreakpoints')) return;
      request('disconnect', { terminateDebuggee: true });
      done(breakpointProblem ? `${name} did not verify a breakpoint at ${breakpoint!.path}:${breakpoint!.line}: ${breakpointProblem}` : true);
    };
    const send = (message: object) => child.stdin.write(frame(message));
    const request = (command: string, args: object) => send({ seq: seq++, type: 'request', command, arguments: args });
    const done = (result: true | string) => {
      clearTimeout(timer);
      child.kill();
      resolve(result);
    };
    const withStderr = (text: string) => text + (stderr.trim() ? ` (stderr: ${stderr.trim().slice(0, 300)})` : '');
    const timer = setTimeout(() => done(withStderr(`${name} did not finish ${step} within ${timeoutMs} ms`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const { messages, rest } = takeMessages(Buffer.concat([buffer, chunk]));
      buffer = rest;
      for (const m of messages) {
        if (kind === 'lsp') {
          if (m.id === 1 && m.result) done(true);
          else if (m.id === 1) done(`${name} refused initialize: ${JSON.stringify(m.error)}`);
          continue;
        }
        if (m.type === 'response' && m.command === 'initialize') {
          if (!m.success) return done(`${name} refused initialize: ${String(m.message)}`);
          step = 'launch';
          request('launch', { program, stopOnEntry: true, cwd: dirname(program), dirs: [dirname(program)] });
        } else if (m.type === 'event' && m.event === 'initialized') {
          if (breakpoint) request('setBreakpoints', { source: { path: breakpoint.path }, breakpoints: [{ line: breakpoint.line }] });
          request('configurationDone', {});
        } else if (m.type === 'response' && m.command === 'setBreakpoints') {
          const [bp] = ((m.body as { breakpoints?: { verified?: boolean; message?: string }[] } | undefined)?.breakpoints ?? []);
          breakpointProblem = bp?.verified ? undefined : (bp?.message ?? 'not verified');
          finishIfDone();
        } else if (m.type === 'event' && m.event === 'breakpoint') {
          if ((m.body as { breakpoint?: { verified?: boolean } } | undefined)?.breakpoint?.verified) breakpointProblem = undefined;
        } else if (m.type === 'response' && m.command === 'launch') {
          if (!m.success) return done(`${name} could not launch ${program}: ${String(m.message)}`);
          step = 'setBreakpoints';
          launched = true;
          finishIfDone();
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('exit', (code) => done(withStderr(`${name} exited with code ${code} during ${step}`)));
    child.on('error', (error) => done(`could not start the CLI: ${error.message}`));
    child.stdin.on('error', () => {});
    if (kind === 'lsp') send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    else request('initialize', { clientID: 'probe', adapterID: 'wasmscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  });
}
