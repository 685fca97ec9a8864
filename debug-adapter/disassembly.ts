// One instruction as text, for the Disassembly view and for logpoint/stack labels. The
// instruction table (runtime/wasm/opcodes.ts) gives names and immediate kinds; names of functions,
// locals and globals come from the module's name section (which the WAT front end emits from `$ids`).
import { opByCode } from '../runtime/wasm/opcodes.js';
import type { Instr, Module } from '../runtime/wasm/types.js';
import { importCounts, valTypeName, type ValType } from '../runtime/wasm/types.js';

/** `$name` when the name section has one, else the index. */
function ref(names: Map<number, string> | undefined, index: number): string {
  const name = names?.get(index);
  return name !== undefined ? `$${name}` : String(index);
}

function blockTypeText(bt: number | undefined, m: Module): string {
  if (bt === undefined || bt === -64) return '';
  if (bt >= 0) {
    const t = m.types[bt];
    if (!t) return ` (type ${bt})`;
    const params = t.params.length ? ` (param ${t.params.map(valTypeName).join(' ')})` : '';
    const results = t.results.length ? ` (result ${t.results.map(valTypeName).join(' ')})` : '';
    return params + results;
  }
  return ` (result ${valTypeName((bt + 0x80) as ValType)})`;
}

function f32Text(bits: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setInt32(0, bits);
  const x = view.getFloat32(0);
  if (Number.isNaN(x)) return `nan:0x${((bits >>> 0) & 0x7fffff).toString(16)}`;
  return floatLiteral(x);
}

function f64Text(bits: bigint): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, bits);
  const x = view.getFloat64(0);
  if (Number.isNaN(x)) return `nan:0x${(BigInt.asUintN(64, bits) & 0xfffffffffffffn).toString(16)}`;
  return floatLiteral(x);
}

function floatLiteral(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** The instruction in WAT flat syntax, e.g. `local.get $n`, `i32.load offset=4`, `call $fac`. */
export function formatInstruction(instr: Instr, m: Module, funcIndex: number): string {
  const info = opByCode(instr.op);
  if (!info) return `<unknown opcode 0x${instr.op.toString(16)}>`;
  const n = m.names;
  const parts: string[] = [info.name];
  const idx = instr.index ?? 0;
  switch (info.imm) {
    case 'none': break;
    case 'blocktype': return info.name + blockTypeText(instr.blockType, m);
    case 'label': parts.push(String(idx)); break;
    case 'br_table': parts.push(...(instr.labels ?? []).map(String), String(idx)); break;
    case 'func': parts.push(ref(n.funcs, idx)); break;
    case 'call_indirect':
      if ((instr.index2 ?? 0) !== 0) parts.push(ref(n.tables, instr.index2 ?? 0));
      parts.push(`(type ${idx})`);
      break;
    case 'local': parts.push(ref(n.locals.get(funcIndex), idx)); break;
    case 'global': parts.push(ref(n.globals, idx)); break;
    case 'table': parts.push(ref(n.tables, idx)); break;
    case 'memory': if (idx !== 0) parts.push(String(idx)); break;
    case 'data': parts.push(ref(n.datas, idx)); break;
    case 'elem': parts.push(ref(n.elems, idx)); break;
    case 'memarg':
    case 'memarg_lane': {
      if (instr.memOffset) parts.push(`offset=${instr.memOffset}`);
      if (instr.align !== undefined && instr.align !== info.naturalAlign) parts.push(`align=${2 ** instr.align}`);
      if (info.imm === 'memarg_lane') parts.push(String(instr.lane ?? 0));
      break;
    }
    case 'i32': parts.push(String(instr.i32 ?? 0)); break;
    case 'i64': parts.push(String(instr.i64 ?? 0n)); break;
    case 'f32': parts.push(f32Text(instr.i32 ?? 0)); break;
    case 'f64': parts.push(f64Text(instr.i64 ?? 0n)); break;
    case 'v128': parts.push('i8x16', ...Array.from(instr.bytes ?? [], (b) => String(b))); break;
    case 'shuffle': parts.push(...Array.from(instr.bytes ?? [], (b) => String(b))); break;
    case 'lane': parts.push(String(instr.lane ?? 0)); break;
    case 'reftype': parts.push(idx === 0x6f ? 'extern' : 'func'); break;
    case 'select_types': parts.push(`(result ${(instr.types ?? []).map(valTypeName).join(' ')})`); break;
    case 'table_init': parts.push(ref(n.tables, instr.index2 ?? 0), ref(n.elems, idx)); break;
    case 'table_copy': parts.push(ref(n.tables, idx), ref(n.tables, instr.index2 ?? 0)); break;
    case 'memory_init': parts.push(ref(n.datas, idx)); break;
    case 'memory_copy': break;
  }
  return parts.join(' ');
}

/** Raw bytes of an instruction as hex, for the Disassembly view's bytes column. */
export function instructionBytes(m: Module, offset: number, end: number): string {
  return Array.from(m.bytes.subarray(offset, Math.min(end, offset + 24)), (b) => b.toString(16).padStart(2, '0'))
    .join(' ');
}

/** A function's display name: name section (WAT `$id`), else an export name, else `func[N]`. */
export function functionName(m: Module, funcIndex: number): string {
  const name = m.names.funcs.get(funcIndex);
  if (name !== undefined) return name;
  const exp = m.exports.find((e) => e.kind === 'func' && e.index === funcIndex);
  if (exp) return exp.name;
  const imported = funcIndex < importCounts(m).funcs
    ? m.imports.filter((i) => i.desc.kind === 'func')[funcIndex] : undefined;
  if (imported) return `${imported.module}.${imported.name}`;
  return `func[${funcIndex}]`;
}
