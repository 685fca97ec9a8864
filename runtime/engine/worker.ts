// Entry point of the engine worker thread (bundled to dist/engine-worker.js). The session passes
// the module and options in workerData; everything after loading goes through the request
// channel (see worker-host.ts).
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { WorkerEngine, type WorkerInit, type WorkerMessage } from './worker-host.js';

// Probed-tier code of a large Wasm function (a probed and a fast copy of every run) passes V8's
// 60 KB bytecode limit for optimisation and then runs interpreted: n-body's kernel under the
// debugger measured ~160x slower than V8 with the default, ~10x with this. Only debug sessions run
// this worker, and the flag only widens what V8 may optimise.
v8.setFlagsFromString('--max-optimized-bytecode-size=262144');

const port = parentPort;
if (!port) throw new Error('runtime/engine/worker.ts must run in a worker thread');
const post = (m: WorkerMessage): void => port.postMessage(m);

let engine: WorkerEngine | undefined;
try {
  engine = new WorkerEngine(workerData as WorkerInit, post);
  post({ kind: 'loaded', funcCount: engine.funcCount, flags: engine.flags });
} catch (e) {
  const message = e instanceof Error && 'describe' in e ? (e as { describe(): string }).describe() : (e as Error).message;
  post({ kind: 'load-error', message });
}
if (engine) {
  // A pending Atomics.waitAsync does not keep a thread alive; a listening port does, so the idle
  // worker stays until the session terminates it.
  port.on('message', () => undefined);
  void engine.serve();
}
