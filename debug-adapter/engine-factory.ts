// Where the adapter gets its engine: one place to change when the engine's session
// implementation moves, and the seam through which tests could run the adapter in-process.
import type { EngineSessionApi } from '../runtime/engine/debug-api.js';

export type EngineFactory = () => EngineSessionApi;

/** Thrown when this build has no engine session to debug with. */
export class EngineUnavailableError extends Error {
  constructor() {
    super('the wasmscope engine session (runtime/engine/session.ts) is not part of this build yet');
    this.name = 'EngineUnavailableError';
  }
}

export const createEngineSession: EngineFactory = () => {
  throw new EngineUnavailableError();
};
