// Where the adapter gets its engine: one place to change if the engine's session implementation
// moves, and the seam through which a test could run the adapter on another EngineSessionApi.
import type { EngineSessionApi } from '../runtime/engine/debug-api.js';
import { EngineSession } from '../runtime/engine/session.js';

export type EngineFactory = () => EngineSessionApi;

/** The engine in a worker thread (bundled: dist/engine-worker.js next to dist/wasmscope.js). */
export const createEngineSession: EngineFactory = () => new EngineSession();
