// The `.wast` script model handed to the spec harness. Kept apart from the script parser so the
// harness can import the types without pulling in the parser.
import type { Diagnostic } from './diagnostics.js';

export type WastModuleSource =
  | { kind: 'text'; bytes: Uint8Array /* assembled */ }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'quote'; text: string }
  /** A text module that failed to parse/resolve/assemble. */
  | { kind: 'text-error'; diagnostics: Diagnostic[] };

export type WastConst =
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  | { type: 'f32'; bits: number }
  | { type: 'f64'; bits: bigint }
  | { type: 'v128'; bytes: Uint8Array }
  | { type: 'ref.null'; ref: 'func' | 'extern' }
  | { type: 'ref.extern'; value: number };

export type WastNanPattern = { nan: 'canonical' | 'arithmetic' };

export type WastExpected =
  | WastConst
  | { type: 'f32' | 'f64'; nan: 'canonical' | 'arithmetic' }
  | { type: 'v128'; shape: 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2'; lanes: (WastConst | WastNanPattern)[] }
  | { type: 'ref.func' }
  | { type: 'ref.extern' /* any */ };

export type WastAction =
  | { kind: 'invoke'; module?: string; name: string; args: WastConst[] }
  | { kind: 'get'; module?: string; name: string };

export type WastCommand = (
  | { kind: 'module'; name?: string; source: WastModuleSource }
  | { kind: 'register'; as: string; name?: string }
  | { kind: 'action'; action: WastAction }
  | { kind: 'assert_return'; action: WastAction; expected: WastExpected[] }
  | { kind: 'assert_trap'; action: WastAction; message: string }
  | { kind: 'assert_trap_module'; source: WastModuleSource; message: string }
  | { kind: 'assert_exhaustion'; action: WastAction; message: string }
  | {
      kind: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable';
      source: WastModuleSource;
      message: string;
    }
) & { line: number /* 1-based line of the command */ };
