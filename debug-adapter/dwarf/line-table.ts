// The DWARF line table (.debug_line) of a module, decoded into spans of code with a source
// position, for the adapter's synchronous queries: which line an instruction is on, where a
// breakpoint on a line goes, which lines have code. Wasm DWARF addresses are offsets from the
// code section's payload; spans here are absolute module offsets. Lines and columns are 0-based
// (DWARF's are 1-based; its line 0 means "no source line" and yields no span).
import { isAbsolute as isPosixAbsolute, join as posixJoin, normalize as posixNormalize } from 'node:path/posix';
import { Cursor, readUnits, stringAt, type DwarfSection, type DwarfSections } from './dwarf-sections.js';

export interface LineSpan {
  /** Absolute byte offsets [start, end). */
  start: number;
  end: number;
  file: string;
  line: number;
  column: number;
  /** A recommended breakpoint position (DWARF is_stmt). */
  isStmt: boolean;
  /** The compiler marked this code as the first after the function's prologue (DWARF prologue_end). */
  prologueEnd?: true;
}

export interface LineTableOptions {
  /** Absolute offset of the code section payload (DWARF address 0). */
  codeSectionOffset: number;
  /** Whether an absolute offset is inside a function body; sequences elsewhere are dead code. */
  isCode: (offset: number) => boolean;
  /** Turns a DWARF path (absolute, or relative with no usable compilation directory) into a local path. */
  localPath: (buildPath: string) => string;
}

const DW_LNCT_path = 1, DW_LNCT_directory_index = 2;

interface Header {
  version: number;
  addressSize: number;
  minInstLength: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  standardLengths: number[];
  files: Map<number, string>;
  programStart: number;
  end: number;
}

function joinPath(dir: string | undefined, name: string): string {
  if (isAbsolutePath(name) || !dir) return name;
  return /^[a-zA-Z]:[\\/]/.test(dir) || dir.includes('\\') ? `${dir.replace(/[\\/]$/, '')}\\${name}` : posixJoin(dir, name);
}

function isAbsolutePath(p: string): boolean {
  return isPosixAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Entry formats of DWARF 5 directory/file tables: read one entry, keep path and directory index. */
function readEntries(c: Cursor, sections: DwarfSections, offsetSize: number): { path?: string; dir: number }[] {
  const formatCount = c.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  const out: { path?: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    const entry: { path?: string; dir: number } = { dir: 0 };
    for (const [type, form] of formats) {
      let value: number | string | undefined;
      switch (form) {
        case 0x08: value = c.cstring(); break;
        case 0x1f: value = stringAt(sections['.debug_line_str'], c.uN(offsetSize)); break;
        case 0x0e: value = stringAt(sections['.debug_str'], c.uN(offsetSize)); break;
        case 0x0b: value = c.u8(); break;
        case 0x05: value = c.u16(); break;
        case 0x06: value = c.u32(); break;
        case 0x07: value = c.u64(); break;
        case 0x0f: value = c.uleb(); break;
        case 0x1e: c.skip(16); break;
        case 0x09: c.skip(c.uleb()); break;
        default: c.fail(`unsupported form 0x${form.toString(16)} in a line table entry`);
      }
      if (type === DW_LNCT_path && typeof value === 'string') entry.path = value;
      else if (type === DW_LNCT_directory_index && typeof value === 'number') entry.dir = value;
    }
    out.push(entry);
  }
  return out;
}

function readHeader(c: Cursor, sections: DwarfSections, compDir: string | undefined): Header {
  const start = c.pos;
  const { length, offsetSize } = c.unitLength();
  const end = c.pos + length;
  if (end > c.length) c.fail('line program extends past the end of the section', start);
  const version = c.u16();
  if (version < 2 || version > 5) c.fail(`unsupported line table version ${version}`, start);
  let addressSize = 4;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8(); // segment selector size
  }
  const headerLength = c.uN(offsetSize);
  const programStart = c.pos + headerLength;
  const minInstLength = c.u8();
  if (version >= 4) c.u8(); // maximum operations per instruction (VLIW only)
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) c.fail('line_range is 0');
  const standardLengths = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());
  const files = new Map<number, string>();
  if (version >= 5) {
    const dirs = readEntries(c, sections, offsetSize).map((d) => d.path ?? '');
    // Directory 0 is the compilation directory itself.
    const base = (d: string) => (isAbsolutePath(d) ? d : joinPath(dirs[0] || compDir, d));
    readEntries(c, sections, offsetSize).forEach((f, i) => {
      if (f.path !== undefined) files.set(i, joinPath(f.dir === 0 ? (dirs[0] || compDir) : base(dirs[f.dir] ?? ''), f.path));
    });
  } else {
    const dirs: string[] = [];
    for (let d = c.cstring(); d !== ''; d = c.cstring()) dirs.push(d);
    let index = 1;
    for (let name = c.cstring(); name !== ''; name = c.cstring()) {
      const dir = c.uleb();
      c.uleb(); // modification time
      c.uleb(); // length
      const dirPath = dir === 0 ? compDir : joinPath(compDir, dirs[dir - 1] ?? '');
      files.set(index++, joinPath(dirPath, name));
    }
  }
  return { version, addressSize, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, standardLengths,
    files, programStart, end };
}

interface Row {
  address: number;
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  prologueEnd: boolean;
}

/** Runs one unit's line program, calling `sequence` with the rows of each address sequence. */
function runProgram(c: Cursor, h: Header, sequence: (rows: Row[], end: number) => void): void {
  c.pos = h.programStart;
  const fresh = (): Row => ({ address: 0, file: 1, line: 1, column: 0, isStmt: h.defaultIsStmt, prologueEnd: false });
  let reg = fresh();
  let rows: Row[] = [];
  const emit = () => {
    rows.push({ ...reg });
    reg.prologueEnd = false; // like basic_block, it applies to one row only
  };
  while (c.pos < h.end) {
    const op = c.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      reg.address += Math.floor(adjusted / h.lineRange) * h.minInstLength;
      reg.line += h.lineBase + (adjusted % h.lineRange);
      emit();
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        const next = c.pos + len;
        const sub = len > 0 ? c.u8() : 0;
        if (sub === 1) { // end_sequence
          sequence(rows, reg.address);
          rows = [];
          reg = fresh();
        } else if (sub === 2) { // set_address
          reg.address = c.uN(len - 1);
        }
        // define_file (3, pre-v5) and set_discriminator (4) do not affect positions.
        c.pos = next;
        break;
      }
      case 1: emit(); break; // copy
      case 2: reg.address += c.uleb() * h.minInstLength; break;
      case 3: reg.line += c.sleb(); break;
      case 4: reg.file = c.uleb(); break;
      case 5: reg.column = c.uleb(); break;
      case 6: reg.isStmt = !reg.isStmt; break;
      case 7: break; // basic_block
      case 8: reg.address += Math.floor((255 - h.opcodeBase) / h.lineRange) * h.minInstLength; break;
      case 9: reg.address += c.u16(); break;
      case 10: reg.prologueEnd = true; break;
      case 11: break; // epilogue_begin
      case 12: c.uleb(); break; // isa
      default:
        for (let i = 0; i < (h.standardLengths[op] ?? 0); i++) c.uleb();
    }
  }
}

export class LineTable {
  /** Sorted by start; spans do not overlap. */
  readonly spans: readonly LineSpan[];
  private readonly byFile = new Map<string, Map<number, LineSpan[]>>();

  constructor(spans: LineSpan[]) {
    this.spans = spans.sort((a, b) => a.start - b.start);
    for (const s of this.spans) {
      let lines = this.byFile.get(s.file);
      if (!lines) this.byFile.set(s.file, lines = new Map());
      let list = lines.get(s.line);
      if (!list) lines.set(s.line, list = []);
      list.push(s);
    }
  }

  /** Decodes every unit's line program. Throws DwarfFormatError on malformed input. */
  static read(sections: DwarfSections, options: LineTableOptions): LineTable {
    const line = sections['.debug_line'];
    if (!line) return new LineTable([]);
    const spans: LineSpan[] = [];
    const seen = new Set<number>();
    for (const unit of readUnits(sections)) {
      if (unit.stmtList === undefined || seen.has(unit.stmtList)) continue;
      seen.add(unit.stmtList);
      readUnitLines(line, sections, unit.stmtList, unit.compDir, options, spans);
    }
    return new LineTable(spans);
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  hasFile(file: string): boolean {
    return this.byFile.has(file);
  }

  /** The span containing `offset`, if that code has a source line. */
  at(offset: number): LineSpan | undefined {
    const list = this.spans;
    let lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (offset < s.start) hi = mid - 1;
      else if (offset >= s.end) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /**
   * Where the body of the function occupying [start, end) begins, past the prologue that sets up
   * its frame (parameters are not in their DWARF locations before it): the code the compiler
   * marked prologue_end, else, as gdb does, the first statement on a line after the function's
   * first line. Undefined when the function has no lines.
   */
  bodyStart(start: number, end: number): number | undefined {
    const list = this.spans;
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    const first = list[lo];
    if (!first || first.start >= end) return undefined;
    for (let i = lo; i < list.length && list[i]!.start < end; i++) if (list[i]!.prologueEnd) return list[i]!.start;
    for (let i = lo; i < list.length && list[i]!.start < end; i++) {
      const s = list[i]!;
      if (s.isStmt && (s.line !== first.line || s.file !== first.file)) return s.start;
    }
    return undefined;
  }

  /** Lines of `file` with code, ascending. */
  linesOf(file: string): number[] {
    return [...(this.byFile.get(file)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The code of one line, by offset. */
  spansOn(file: string, line: number): readonly LineSpan[] {
    return this.byFile.get(file)?.get(line) ?? [];
  }
}

function readUnitLines(section: DwarfSection, sections: DwarfSections, offset: number, compDir: string | undefined,
  options: LineTableOptions, out: LineSpan[]): void {
  const c = new Cursor(section, '.debug_line', offset);
  const header = readHeader(c, sections, compDir);
  const paths = new Map<number, string>();
  const pathOf = (file: number): string => {
    let p = paths.get(file);
    if (p === undefined) {
      const raw = header.files.get(file) ?? `<file ${file}>`;
      p = options.localPath(isAbsolutePath(raw) ? (raw.includes('\\') ? raw : posixNormalize(raw)) : raw);
      paths.set(file, p);
    }
    return p;
  };
  runProgram(c, header, (rows, end) => {
    const first = rows[0];
    // Code the linker dropped keeps its line rows at a tombstone address (0 or -1 in Wasm).
    if (!first || !options.isCode(first.address + options.codeSectionOffset)) return;
    // A prologue_end row without code of its own marks the code of the next row that has some.
    let prologueEnd = false;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const next = i + 1 < rows.length ? rows[i + 1]!.address : end;
      prologueEnd ||= r.prologueEnd;
      if (r.line === 0 || next <= r.address) continue;
      out.push({ start: r.address + options.codeSectionOffset, end: next + options.codeSectionOffset,
        file: pathOf(r.file), line: r.line - 1, column: Math.max(0, r.column - 1), isStmt: r.isStmt,
        ...(prologueEnd ? { prologueEnd: true } : {}) });
      prologueEnd = false;
    }
  });
}
