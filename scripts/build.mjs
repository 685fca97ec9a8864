// Bundles every entry point that exists into dist/ with esbuild. One package, several bundles:
// the CLI (which also starts the debug adapter and the language server), the engine's worker,
// and the VS Code extension (CommonJS, as VS Code loads it).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
mkdirSync('dist', { recursive: true });

const esm = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: 'linked', logLevel: 'warning',
  // Bundled CommonJS dependencies call require(); give ESM bundles one.
  banner: { js: "import { createRequire as __wsCreateRequire } from 'node:module'; const require = __wsCreateRequire(import.meta.url);" } };

const entries = [
  { in: 'bin/wasmscope.ts', out: 'dist/wasmscope.js', opts: esm },
  { in: 'runtime/engine/worker.ts', out: 'dist/engine-worker.js', opts: esm },
  // The benchmarks measure the code as it ships: bundled by esbuild, as the CLI is.
  { in: 'bench/run.ts', out: 'dist/bench.js', opts: esm },
  { in: 'extension/extension.ts', out: 'dist/extension.cjs', opts: { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', external: ['vscode'], logLevel: 'warning' } },
];

await Promise.all(entries.filter((e) => existsSync(e.in)).map((e) => build({ entryPoints: [e.in], outfile: e.out, ...e.opts })));

// The DWARF symbol engine (@vscode/dwarf-debugging) is loaded at run time, not bundled: it finds its
// worker and its 58 MB backend beside its own files. A copy of its dist/ beside the bundle lets the
// packaged extension debug C/C++/Rust (debug-adapter/dwarf/symbol-engine.ts looks there). It is a
// CommonJS package inside our ESM package, hence its own package.json.
const dwarfSource = 'node_modules/@vscode/dwarf-debugging/dist';
if (existsSync(dwarfSource)) {
  const target = 'dist/dwarf-debugging';
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(dwarfSource)) {
    const from = join(dwarfSource, file), to = join(target, file);
    if (existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue;
    copyFileSync(from, to);
  }
  writeFileSync(join(target, 'package.json'), '{ "type": "commonjs" }\n');
}
