// Test helper: assemble WAT with wabt's JS build (an npm dependency, so no external tool and no
// process per module), letting decoder and validator tests state their inputs as readable text.
// Modules are not validated here: invalid ones are what the validator tests need.

import wabtInit from 'wabt';

const wabt = await wabtInit();

export interface WatOptions {
  /** Write a name section (wat2wasm --debug-names). */
  debugNames?: boolean;
}

export function wat(text: string, options: WatOptions = {}): Uint8Array {
  const mod = wabt.parseWat('test.wat', text, {
    simd: true, reference_types: true, bulk_memory: true, multi_value: true, sat_float_to_int: true,
    sign_extension: true, mutable_globals: true,
  });
  try {
    return mod.toBinary({ write_debug_names: options.debugNames ?? false }).buffer;
  } finally {
    mod.destroy();
  }
}
