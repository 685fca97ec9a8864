// What the symbol engine may ask about one stopped frame: its Wasm locals, operand stack, the
// module's globals and linear memory. The adapter builds one per (stop, frame) from the engine's
// session; tests may build one from a probe snapshot. Values keep the engine's DebugValue form so
// no second value representation exists between the engine and this module.
import type { DebugValue, EngineSessionApi } from '../../runtime/engine/debug-api.js';

export interface DwarfFrameState {
  /** Function index and absolute byte offset of the frame's current instruction (or call). */
  funcIndex: number;
  offset: number;
  /** Parameters then declared locals. */
  locals: readonly DebugValue[];
  /** Operand stack, bottom first (the innermost frame only; callers may leave it empty). */
  stack: readonly DebugValue[];
  /** All globals in index order (imported first). */
  globals: readonly DebugValue[];
  /** Bytes of memory 0; must reject (not clamp) when the range is out of bounds. */
  readMemory(address: number, length: number): Promise<Uint8Array>;
}

/**
 * The state of frame `frame` (0 = innermost) of a stopped engine session, from the session's
 * scopes: every frame's locals, and its operand stack (for a caller, the values below its call's
 * arguments, which the debug tier records at the call).
 */
export async function frameStateFromSession(engine: EngineSessionApi, frame: number): Promise<DwarfFrameState> {
  const [frames, scopes] = await Promise.all([engine.stackTrace(), engine.scopes(frame)]);
  const view = frames[frame];
  if (!view) throw new Error(`no frame ${frame} (the stack has ${frames.length})`);
  return {
    funcIndex: view.funcIndex,
    offset: view.offset,
    locals: scopes.locals.map((l) => l.value),
    stack: scopes.stack.map((s) => s.value),
    globals: scopes.globals.map((g) => g.value),
    readMemory: async (address, length) => {
      const bytes = await engine.readMemory(0, address, length);
      if (bytes.length !== length) {
        throw new Error(`out of bounds memory access: ${length} bytes at ${address}`);
      }
      return bytes;
    },
  };
}
