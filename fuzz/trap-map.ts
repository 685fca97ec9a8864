// V8 words its traps differently from the spec, and sometimes more coarsely (one V8 message for
// two spec traps). This table says which of wasmscope's spec-worded messages a V8 message allows.

const V8_TO_SPEC: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/^unreachable/, ['unreachable']],
  [/memory access out of bounds/, ['out of bounds memory access']],
  [/divide by zero|remainder by zero/, ['integer divide by zero']],
  [/divide result unrepresentable/, ['integer overflow']],
  [/float unrepresentable in integer range/, ['integer overflow', 'invalid conversion to integer']],
  [/table index is out of bounds|table access out of bounds/, ['undefined element', 'out of bounds table access']],
  [/element segment (has been dropped|out of bounds)/, ['out of bounds table access']],
  [/data segment (has been dropped|out of bounds)/, ['out of bounds memory access']],
  [/null function|function signature mismatch/, ['uninitialized element', 'indirect call type mismatch']],
  [/Maximum call stack size exceeded/, ['call stack exhausted']],
];

/** The spec messages V8's message is compatible with, or undefined for a V8 message we do not know. */
export function specMessagesFor(v8Message: string): readonly string[] | undefined {
  for (const [re, spec] of V8_TO_SPEC) if (re.test(v8Message)) return spec;
  return undefined;
}
