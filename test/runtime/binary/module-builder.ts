// Test helper: build large modules byte by byte (faster than assembling text), for the decoder and
// validator speed tests.

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

/**
 * A module of `funcs` functions of type (i32) -> i32, each body `groups` repetitions of
 * `local.get 0; i32.const 12345; i32.add; local.set 0`, then `local.get 0`.
 */
export function arithmeticModule(funcs: number, groups: number): Uint8Array {
  const group = [0x20, 0x00, 0x41, ...sleb32(12345), 0x6a, 0x21, 0x00];
  const bodyCode: number[] = [0x01, 0x01, 0x7f]; // one local group: 1 x i32
  for (let i = 0; i < groups; i++) bodyCode.push(...group);
  bodyCode.push(0x20, 0x00, 0x0b);
  const body = [...uleb(bodyCode.length), ...bodyCode];
  const code: number[] = [...uleb(funcs)];
  for (let i = 0; i < funcs; i++) for (const b of body) code.push(b);
  const funcSection = [...uleb(funcs)];
  for (let i = 0; i < funcs; i++) funcSection.push(0);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
    ...section(3, funcSection),
  ];
  const codeSection = [10, ...uleb(code.length)];
  const out = new Uint8Array(bytes.length + codeSection.length + code.length);
  out.set(bytes, 0);
  out.set(codeSection, bytes.length);
  out.set(code, bytes.length + codeSection.length);
  return out;
}

function sleb32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

/** A module with one function of type [] -> [] whose code (locals vector included) is `code`. */
export function singleFunctionModule(code: number[]): Uint8Array {
  const body = [...uleb(code.length), ...code];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(10, [0x01, ...body]),
  ]);
}
