// `wasmscope dap`: the debug adapter speaking DAP over stdin/stdout. Nothing else may write to
// stdout in this process (it would corrupt the protocol stream), so diagnostics go to stderr.
import { WasmDebugSession } from './wasm-debug-session.js';

export function runDebugAdapter(): void {
  const session = new WasmDebugSession();
  // No SIGTERM handler: a client kills the adapter with SIGTERM when it does not end by itself, and
  // a handler cannot run while the main thread is busy, which left such an adapter spinning after
  // its session. The default action ends the process at once, the debuggee's worker with it.
  session.start(process.stdin, process.stdout);
}
