// Source-level debugging of C, C++ and Rust through DWARF: the one entry point the debug adapter
// uses. `loadDwarf` answers undefined for a module without DWARF (the adapter then shows the Wasm
// disassembly, as before); otherwise a DwarfInfo maps source lines ↔ code, gives the (inlined)
// function frames at a pc, plans line steps, and reads C values from a stopped frame.
// `attachDwarf`, `DwarfSourceProvider` and `DwarfDapValues` plug it into the adapter's seams.
export { attachDwarf, type DwarfCapableProgram } from './integration.js';
export { hasDwarf, loadDwarf, type DwarfOptions } from './load.js';
export { codeSectionOffset } from './code-layout.js';
export { DwarfInfo, type BreakpointSite, type CodeRange, type InlineFrame, type SourceLocation } from './dwarf-info.js';
export type { CVariable, VariableScope } from './c-values.js';
export { frameStateFromSession, type DwarfFrameState } from './frame-state.js';
export type { LineStepOptions, LineStepPlan, StepPosition } from './line-steps.js';
export type { LineSpan } from './line-table.js';
export type { PathMap } from './source-paths.js';
export type { DwarfLog } from './symbol-engine.js';
export { DwarfSourceProvider, type DwarfSourceOptions } from './source-provider.js';
export { DwarfDapValues, DWARF_REFERENCE_BASE } from './dap-values.js';
