import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the benchmark finds the project, whatever the working directory (this file runs from dist/bench/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Generated captures and results (gitignored). */
export const BENCH_DIRECTORY = join(PROJECT_ROOT, '.bench');
export const CLI_PATH = join(PROJECT_ROOT, 'bin', 'teredoscope.js');
/** Compiled benchmark modules (the child-process probes live next to run-bench.js). */
export const BENCH_DIST = join(PROJECT_ROOT, 'dist', 'bench');
