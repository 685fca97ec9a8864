// The project's lib settings (ES2022, no DOM) do not declare the WebAssembly global Node provides;
// this is the small typed slice of it the WASI tests use.

export interface WasmModule { readonly __brand: 'WebAssembly.Module' }
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmInstance { readonly exports: Record<string, unknown> }

interface NodeWebAssembly {
  Module: { new (bytes: Uint8Array): WasmModule; imports(module: WasmModule): { module: string; name: string; kind: string }[] };
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  RuntimeError: new (...args: never[]) => Error;
}

export const NodeWasm = (globalThis as unknown as { WebAssembly: NodeWebAssembly }).WebAssembly;
