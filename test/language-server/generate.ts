// Generated WAT for size and latency checks (tests and bench/lsp.ts share it).

/** A module of about `lines` lines: functions with locals, blocks, loops, calls and globals. */
export function generateModule(lines: number): string {
  const out = ['(module', '  (memory $mem 1)', '  (global $g (mut i32) (i32.const 0))'];
  let i = 0;
  while (out.length < lines - 1) {
    out.push(
      `  (func $f${i} (export "f${i}") (param $x i32) (param $y i32) (result i32)`,
      '    (local $acc i32)',
      '    block $exit',
      '      loop $again',
      '        local.get $acc',
      '        local.get $x',
      '        i32.add',
      '        local.set $acc',
      '        local.get $x',
      '        i32.const 1',
      '        i32.sub',
      '        local.tee $x',
      '        br_if $again',
      '      end',
      '    end',
      '    global.get $g',
      `    ${i > 0 ? `(call $f${i - 1} (local.get $acc) (local.get $y))` : 'local.get $acc'}`,
      '    i32.add)',
    );
    i++;
  }
  out.push(')', '');
  return out.join('\n');
}
