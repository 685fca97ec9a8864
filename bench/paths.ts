// Where the benchmarks' own files are: the bench/ folder, whether this code runs from its sources
// (through tsx) or from the bundle `npm run bench` builds into dist/ (one level down from the root,
// like bench/).
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('../bench/', import.meta.url));
