// Module -> WAT text in flat (unfolded) style, with `$name` ids from the name section, `(;N;)` index
// comments, and a map from every instruction's byte offset to where it is printed: the debugger
// shows a .wasm without source through this text. The output reassembles (wat2wasm) to the same
// code section for modules whose encoding is canonical (see test/runtime/printer).
//
// Lines and columns in the map are 0-based, like the text front end's source map.

import { BLOCK_EMPTY, importCounts, valTypeName, type FuncType, type Instr, type Limits, type Module,
  type ValType } from '../wasm/types.js';
import { opByCode, SELECT_TYPED } from '../wasm/opcodes.js';
import { formatF32, formatF64, formatString, isPrintableId } from './printer-literals.js';

export interface PrintedLocation {
  /** Absolute byte offset of the instruction. */
  offset: number;
  /** 0-based line and column where its text starts. */
  line: number;
  column: number;
  /** Function index (in the function index space) whose body holds the instruction. */
  funcIndex: number;
}

export interface PrintedFunction {
  funcIndex: number;
  /** 0-based lines of the `(func` header and of its closing `)`. */
  startLine: number;
  endLine: number;
}

export interface PrintedModule {
  text: string;
  /** One entry per function-body instruction, in byte-offset order. */
  map: PrintedLocation[];
  /** Where each defined function is printed, in function index order. */
  functions: PrintedFunction[];
}

const OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_ELSE = 0x05, OP_END = 0x0b;

/**
 * Indentation stops growing past this nesting depth: a body of 100,000 nested blocks would
 * otherwise print gigabytes of spaces.
 */
const MAX_INDENT_DEPTH = 40;

/**
 * Ids for one index space: `$name` where the name section gives a printable, unique name, else
 * the plain index.
 */
function idSpace(names: Map<number, string> | undefined): (index: number) => string {
  const ids = new Map<number, string>();
  if (names) {
    const used = new Set<string>();
    for (const [index, name] of names) {
      if (!isPrintableId(name) || used.has(name)) continue;
      used.add(name);
      ids.set(index, '$' + name);
    }
  }
  return (index) => ids.get(index) ?? String(index);
}

/** `$name (;N;)` for a definition, or just `(;N;)` when it has no printable name. */
function defHeader(ref: (index: number) => string, index: number): string {
  const id = ref(index);
  return id.startsWith('$') ? `${id} (;${index};)` : `(;${index};)`;
}

function typesList(keyword: string, types: readonly ValType[]): string {
  return types.length === 0 ? '' : ` (${keyword} ${types.map(valTypeName).join(' ')})`;
}

function limitsText(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

function refTypeName(t: number): string {
  return t === 0x70 ? 'func' : 'extern';
}

class Printer {
  private lines: string[] = [];
  private map: PrintedLocation[] = [];
  private functions: PrintedFunction[] = [];
  /** Line number of `lines[0]` in the whole module's text (non-zero when printing one function). */
  private lineBase = 0;
  private readonly funcRef: (i: number) => string;
  private readonly globalRef: (i: number) => string;
  private readonly typeRef: (i: number) => string;
  private readonly tableRef: (i: number) => string;
  private readonly memoryRef: (i: number) => string;
  private readonly elemRef: (i: number) => string;
  private readonly dataRef: (i: number) => string;

  constructor(private readonly m: Module) {
    const n = m.names;
    this.funcRef = idSpace(n.funcs);
    this.globalRef = idSpace(n.globals);
    this.typeRef = idSpace(n.types);
    this.tableRef = idSpace(n.tables);
    this.memoryRef = idSpace(n.memories);
    this.elemRef = idSpace(n.elems);
    this.dataRef = idSpace(n.datas);
  }

  print(): PrintedModule {
    const m = this.m;
    const moduleName = m.names.module !== undefined && isPrintableId(m.names.module) ? ` $${m.names.module}` : '';
    this.lines.push(`(module${moduleName}`);
    m.types.forEach((t, i) => this.lines.push(`  (type ${defHeader(this.typeRef, i)} (func${this.signature(t)}))`));
    this.imports();
    const base = importCounts(m).funcs;
    m.funcs.forEach((_, i) => this.func(base + i));
    const counts = importCounts(m);
    m.tables.forEach((t, i) => {
      const index = counts.tables + i;
      this.lines.push(`  (table ${defHeader(this.tableRef, index)} ${limitsText(t.limits)} ${valTypeName(t.elem)})`);
    });
    m.memories.forEach((mem, i) => {
      this.lines.push(`  (memory ${defHeader(this.memoryRef, counts.memories + i)} ${limitsText(mem)})`);
    });
    m.globals.forEach((g, i) => {
      const type = g.type.mutable ? `(mut ${valTypeName(g.type.type)})` : valTypeName(g.type.type);
      this.lines.push(`  (global ${defHeader(this.globalRef, counts.globals + i)} ${type} ${this.constExpr(g.init)})`);
    });
    for (const e of m.exports) {
      const ref = e.kind === 'func' ? this.funcRef : e.kind === 'table' ? this.tableRef
        : e.kind === 'memory' ? this.memoryRef : this.globalRef;
      this.lines.push(`  (export ${formatString(e.name)} (${e.kind} ${ref(e.index)}))`);
    }
    if (m.start !== undefined) this.lines.push(`  (start ${this.funcRef(m.start)})`);
    m.elems.forEach((_, i) => this.elem(i));
    m.datas.forEach((d, i) => {
      const parts = [`  (data ${defHeader(this.dataRef, i)}`];
      if (d.mode === 'active') {
        if (d.memory !== 0) parts.push(`(memory ${this.memoryRef(d.memory)})`);
        parts.push(this.offsetExpr(d.offsetExpr ?? []));
      }
      parts.push(formatString(d.bytes) + ')');
      this.lines.push(parts.join(' '));
    });
    this.lines.push(')');
    return { text: this.lines.join('\n') + '\n', map: this.map, functions: this.functions };
  }

  private signature(t: FuncType | undefined, paramNames?: Map<number, string>): string {
    if (!t) return '';
    let out = '';
    if (paramNames) {
      // Named parameters need one (param $x t) each; unnamed ones are grouped.
      t.params.forEach((p, i) => {
        const name = paramNames.get(i);
        out += name !== undefined ? ` (param $${name} ${valTypeName(p)})` : ` (param ${valTypeName(p)})`;
      });
    } else {
      out += typesList('param', t.params);
    }
    return out + typesList('result', t.results);
  }

  private imports(): void {
    const counts = { func: 0, table: 0, memory: 0, global: 0 };
    for (const imp of this.m.imports) {
      const d = imp.desc;
      const index = counts[d.kind]++;
      let desc: string;
      if (d.kind === 'func') {
        desc = `(func ${defHeader(this.funcRef, index)} (type ${this.typeRef(d.typeIndex)})${this.signature(this.m.types[d.typeIndex])})`;
      } else if (d.kind === 'table') {
        desc = `(table ${defHeader(this.tableRef, index)} ${limitsText(d.type.limits)} ${valTypeName(d.type.elem)})`;
      } else if (d.kind === 'memory') {
        desc = `(memory ${defHeader(this.memoryRef, index)} ${limitsText(d.type)})`;
      } else {
        const t = d.type.mutable ? `(mut ${valTypeName(d.type.type)})` : valTypeName(d.type.type);
        desc = `(global ${defHeader(this.globalRef, index)} ${t})`;
      }
      this.lines.push(`  (import ${formatString(imp.module)} ${formatString(imp.name)} ${desc})`);
    }
  }

  /** Local names for one function, keeping only printable and unique ones. */
  localNames(funcIndex: number): Map<number, string> {
    const out = new Map<number, string>();
    const used = new Set<string>();
    for (const [i, name] of this.m.names.locals.get(funcIndex) ?? []) {
      if (!isPrintableId(name) || used.has(name)) continue;
      used.add(name);
      out.set(i, name);
    }
    return out;
  }

  private func(funcIndex: number): void {
    const m = this.m;
    const f = m.funcs[funcIndex - importCounts(m).funcs]!;
    const type = m.types[f.typeIndex];
    const locals = this.localNames(funcIndex);
    const startLine = this.lineBase + this.lines.length;
    this.lines.push(`  (func ${defHeader(this.funcRef, funcIndex)} (type ${this.typeRef(f.typeIndex)})`
      + this.signature(type, locals));
    const paramCount = type?.params.length ?? 0;
    if (f.locals.length > 0) {
      const decls = f.locals.map((t, i) => {
        const name = locals.get(paramCount + i);
        return name !== undefined ? `(local $${name} ${valTypeName(t)})` : `(local ${valTypeName(t)})`;
      });
      this.lines.push('    ' + decls.join(' '));
    }
    const localRef = (i: number): string => (locals.has(i) ? '$' + locals.get(i)! : String(i));
    const labelNames = m.names.labels.get(funcIndex);
    let depth = 0;
    let blockCount = 0;
    const body = f.body;
    for (let k = 0; k < body.length; k++) {
      const instr = body[k]!;
      if (k === body.length - 1 && instr.op === OP_END) {
        this.map.push({ offset: instr.offset, line: this.lineBase + this.lines.length, column: 2, funcIndex });
        this.functions.push({ funcIndex, startLine, endLine: this.lineBase + this.lines.length });
        this.lines.push('  )');
        return;
      }
      if (instr.op === OP_END || instr.op === OP_ELSE) depth = Math.max(0, depth - 1);
      const indent = '    ' + '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
      this.map.push({ offset: instr.offset, line: this.lineBase + this.lines.length, column: indent.length, funcIndex });
      let label = '';
      if (instr.op === OP_BLOCK || instr.op === OP_LOOP || instr.op === OP_IF) {
        const name = labelNames?.get(blockCount++);
        if (name !== undefined && isPrintableId(name)) label = ` $${name}`;
        depth++;
      } else if (instr.op === OP_ELSE) {
        depth++;
      }
      this.lines.push(indent + this.instr(instr, localRef, label));
    }
    // A body without its final end (only in hand-made IR): still close the form.
    this.functions.push({ funcIndex, startLine, endLine: this.lineBase + this.lines.length });
    this.lines.push('  )');
  }

  /** One defined function's text and map, numbered as if printed from line `startLine` on. */
  printFunction(funcIndex: number, startLine: number): PrintedFunctionText {
    this.lines = [];
    this.map = [];
    this.functions = [];
    this.lineBase = startLine;
    this.func(funcIndex);
    return { lines: this.lines, map: this.map, extent: this.functions[0]! };
  }

  private memarg(instr: Instr): string {
    const natural = opByCode(instr.op)?.naturalAlign ?? 0;
    let out = '';
    if (instr.memOffset) out += ` offset=${instr.memOffset}`;
    if (instr.align !== undefined && instr.align !== natural) out += ` align=${2 ** instr.align}`;
    return out;
  }

  private blockTypeText(bt: number | undefined): string {
    if (bt === undefined || bt === BLOCK_EMPTY) return '';
    if (bt < 0) return ` (result ${valTypeName((bt + 0x80) as ValType)})`;
    return ` (type ${this.typeRef(bt)})`;
  }

  /** One instruction's text, without indentation. */
  instr(instr: Instr, localRef: (i: number) => string = String, label = ''): string {
    const info = opByCode(instr.op);
    const name = info?.name ?? `unknown_0x${instr.op.toString(16)}`;
    switch (info?.imm) {
      case undefined: case 'none': return name;
      case 'blocktype': return name + label + this.blockTypeText(instr.blockType);
      case 'label': return `${name} ${instr.index}`;
      case 'br_table': return `${name} ${[...(instr.labels ?? []), instr.index].join(' ')}`;
      case 'func': return `${name} ${this.funcRef(instr.index!)}`;
      case 'call_indirect': return `${name} ${this.tableRef(instr.index2!)} (type ${this.typeRef(instr.index!)})`;
      case 'local': return `${name} ${localRef(instr.index!)}`;
      case 'global': return `${name} ${this.globalRef(instr.index!)}`;
      case 'table': return `${name} ${this.tableRef(instr.index!)}`;
      case 'memarg': return name + this.memarg(instr);
      case 'memarg_lane': return `${name}${this.memarg(instr)} ${instr.lane}`;
      case 'lane': return `${name} ${instr.lane}`;
      case 'i32': return `${name} ${instr.i32}`;
      case 'i64': return `${name} ${instr.i64}`;
      case 'f32': return `${name} ${formatF32(instr.i32!)}`;
      case 'f64': return `${name} ${formatF64(instr.i64!)}`;
      case 'v128': {
        const b = instr.bytes!;
        const words: string[] = [];
        for (let i = 0; i < 16; i += 4) {
          const word = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
          words.push('0x' + word.toString(16).padStart(8, '0'));
        }
        return `${name} i32x4 ${words.join(' ')}`;
      }
      case 'shuffle': return `${name} ${[...instr.bytes!].join(' ')}`;
      case 'reftype': return `${name} ${refTypeName(instr.index!)}`;
      case 'select_types': return instr.op === SELECT_TYPED ? `${name}${typesList('result', instr.types ?? [])}` : name;
      case 'memory': return name;
      case 'data': return `${name} ${this.dataRef(instr.index!)}`;
      case 'elem': return `${name} ${this.elemRef(instr.index!)}`;
      case 'table_init': return `${name} ${this.tableRef(instr.index2!)} ${this.elemRef(instr.index!)}`;
      case 'table_copy': return `${name} ${this.tableRef(instr.index!)} ${this.tableRef(instr.index2!)}`;
      case 'memory_init': return `${name} ${this.dataRef(instr.index!)}`;
      case 'memory_copy': return name;
    }
  }

  /** A constant expression as folded instructions, e.g. `(i32.const 0)`. */
  private constExpr(expr: readonly Instr[]): string {
    return expr.filter((i) => i.op !== OP_END).map((i) => `(${this.instr(i)})`).join(' ');
  }

  private offsetExpr(expr: readonly Instr[]): string {
    const instrs = expr.filter((i) => i.op !== OP_END);
    return instrs.length === 1 ? this.constExpr(instrs) : `(offset ${instrs.map((i) => this.instr(i)).join(' ')})`;
  }

  private elem(index: number): void {
    const e = this.m.elems[index]!;
    const parts = [`  (elem ${defHeader(this.elemRef, index)}`];
    if (e.mode === 'declarative') parts.push('declare');
    if (e.mode === 'active') {
      if (e.table !== 0) parts.push(`(table ${this.tableRef(e.table)})`);
      parts.push(this.offsetExpr(e.offsetExpr ?? []));
    }
    const onlyFuncRefs = e.type === 0x70 && e.init.every((x) => x.length === 2 && x[0]!.op === 0xd2);
    if (onlyFuncRefs) {
      // Function-index form (what `func $a $b` means); table 0 active segments may omit `func`,
      // but keeping it is always valid.
      parts.push('func', ...e.init.map((x) => this.funcRef(x[0]!.index!)));
    } else {
      parts.push(valTypeName(e.type), ...e.init.map((x) => `(item ${x.filter((i) => i.op !== OP_END).map((i) => this.instr(i)).join(' ')})`));
    }
    this.lines.push(parts.join(' ') + ')');
  }
}

/** Print a module as WAT, with a map from instruction offsets to their printed positions. */
export function printModule(m: Module): PrintedModule {
  return new Printer(m).print();
}

/** One function's text as printModule prints it: its lines (without newlines), map and extent. */
export interface PrintedFunctionText {
  lines: string[];
  map: PrintedLocation[];
  extent: PrintedFunction;
}

/**
 * Where printModule puts every defined function, computed without printing anything: a debugger
 * showing a large module can print only the functions it is asked about (see functionPrinter).
 * The count mirrors Printer.print/func: `(module`, a line per type and per import, then per
 * function a header, a line of locals if any, a line per instruction (the final `end` is the
 * closing `)`), and a closing line if the body lacks its final end.
 */
export function functionLayout(m: Module): PrintedFunction[] {
  const base = importCounts(m).funcs;
  let line = 1 + m.types.length + m.imports.length;
  return m.funcs.map((f, i) => {
    const body = f.body;
    const closesItself = body.length > 0 && body[body.length - 1]!.op === OP_END;
    const count = 1 + (f.locals.length > 0 ? 1 : 0) + (closesItself ? body.length : body.length + 1);
    const extent = { funcIndex: base + i, startLine: line, endLine: line + count - 1 };
    line += count;
    return extent;
  });
}

/**
 * A printer of single functions, each exactly as printModule prints it at the given start line
 * (from functionLayout). Build it once per module (names are indexed once); each call prints
 * one function.
 */
export function functionPrinter(m: Module): (funcIndex: number, startLine: number) => PrintedFunctionText {
  const printer = new Printer(m);
  return (funcIndex, startLine) => printer.printFunction(funcIndex, startLine);
}

/**
 * A formatter for single instructions, e.g. for a disassembly view: the same text as printModule
 * (names from the name section, local names when the function index is given). Build it once
 * per module; each call is then cheap.
 */
export function instructionPrinter(m: Module): (instr: Instr, funcIndex?: number) => string {
  const printer = new Printer(m);
  const localRefs = new Map<number, (i: number) => string>();
  return (instr, funcIndex) => {
    if (funcIndex === undefined) return printer.instr(instr);
    let localRef = localRefs.get(funcIndex);
    if (!localRef) {
      const names = printer.localNames(funcIndex);
      localRef = (i) => (names.has(i) ? '$' + names.get(i)! : String(i));
      localRefs.set(funcIndex, localRef);
    }
    return printer.instr(instr, localRef);
  };
}
