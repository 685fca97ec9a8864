// Entry point of the engine worker thread (bundled to dist/engine-worker.js). The session passes
// the module and options in workerData; everything after loading goes through the request
// channel (see worker-host.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { allowLargeOptimizedFunctions } from './v8-flags.js';
import { WorkerEngine, type WorkerInit, type WorkerMessage } from './worker-host.js';

allowLargeOptimizedFunctions();

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
