// The symbol engine's value form ({type, value} with bigint i64, numeric floats, "i32x4 …" v128)
// from the engine's DebugValue (exact raw bits), for answering its host requests.
import type { DebugValue } from '../../runtime/engine/debug-api.js';
import type { WasmValue } from '@vscode/dwarf-debugging/chrome-cxx/mnt/extension/WasmTypes.js';

export function toSymbolEngineValue(v: DebugValue): WasmValue {
  const raw = v.raw;
  switch (v.type) {
    case 'i32': return { type: 'i32', value: Number(raw) };
    case 'i64': return { type: 'i64', value: BigInt(String(raw)) };
    case 'f32': {
      // raw is the bit pattern as int32: reinterpret so NaN payloads and -0 survive.
      const view = new DataView(new ArrayBuffer(4));
      view.setInt32(0, Number(raw), true);
      return { type: 'f32', value: view.getFloat32(0, true) };
    }
    case 'f64': {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(`0x${String(raw)}`), true);
      return { type: 'f64', value: view.getFloat64(0, true) };
    }
    case 'v128': {
      // raw is 32 hex digits in memory (little-endian) byte order; the engine wants four i32 lanes.
      const hex = String(raw);
      const lanes: string[] = [];
      for (let lane = 0; lane < 4; lane++) {
        let word = '';
        for (let b = 3; b >= 0; b--) word += hex.slice((lane * 4 + b) * 2, (lane * 4 + b) * 2 + 2);
        lanes.push(`0x${word}`);
      }
      return { type: 'v128', value: `i32x4 ${lanes.join(' ')}` };
    }
    default:
      throw new Error(`a ${v.type} value has no DWARF representation`);
  }
}
