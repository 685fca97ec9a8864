// The column tables of the front end (token rows, instruction rows, symbol references, the
// instruction source map) keep each field in its own typed array and double them together.

/** A copy of `column` in a new array of the same kind with room for `size` entries (the rest zero). */
export function widened<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(column: T, size: number): T {
  const next = new (column.constructor as new (length: number) => T)(size);
  next.set(column);
  return next;
}
