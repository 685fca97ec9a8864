import { analyzeDocument } from './analysis/document.js';
const src = `(module
  (func $add (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func $bad (result i32)
    i32.const 1
    f32.const 2
    i32.add)
  (global $g (mut i32) (f32.const 0))
)`;
const d = analyzeDocument(src, 'wat');
console.log(JSON.stringify(d.diagnostics, null, 0));
console.log(d.units[0]!.stacks.funcs.map(f=>JSON.stringify(f.entries)));
