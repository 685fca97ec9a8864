// `wasmscope dap`: the debug adapter speaking DAP over stdin/stdout. Nothing else may write to
// stdout in this process (it would corrupt the protocol stream), so diagnostics go to stderr.
import { WasmDebugSession } from './wasm-debug-session.js';

export function runDebugAdapter(): void {
  const session = new WasmDebugSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
