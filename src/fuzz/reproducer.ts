import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FuzzCase } from './fuzz-case.js';
import { describeOptions } from './fuzz-case.js';
import type { PipelineRunOptions } from './pipeline-check.js';

/** One failed case, as the runner reports it. */
export interface FuzzFailure {
  seed: number;
  index: number;
  kind: string;
  violations: string[];
  /** The input bytes, written for replay (null when the case could not even be generated). */
  inputFile: string | null;
  notesFile: string;
}

/**
 * Writes what is needed to reproduce a failure: the input bytes (`.bin`, a capture file that
 * `teredoscope dissect` and `--replay` read) and a note with the case, the options and what broke.
 */
export function writeReproducer(directory: string, seed: number, index: number, fuzzCase: FuzzCase | null, violations: string[]): FuzzFailure {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, `seed-${seed}-case-${index}`);
  let inputFile: string | null = null;
  if (fuzzCase !== null) {
    inputFile = `${base}.bin`;
    writeFileSync(inputFile, fuzzCase.input);
  }
  const lines = [
    `seed ${seed}, case ${index}${fuzzCase !== null ? ` (${fuzzCase.kind})` : ''}`,
    `regenerate: npm run fuzz -- --seed ${seed} --case ${index}`,
    ...(inputFile === null || fuzzCase === null ? [] : replayCommands(shortPath(inputFile), fuzzCase)),
    ...(fuzzCase !== null ? [`read with ${describeOptions(fuzzCase.options)}`, '', 'how the input was made:', ...fuzzCase.notes.map((note) => `  ${note}`)] : []),
    '',
    'what broke:',
    ...violations.map((violation) => `  ${violation.replaceAll('\n', '\n    ')}`),
    '',
  ];
  const notesFile = `${base}.txt`;
  writeFileSync(notesFile, lines.join('\n'));
  return { seed, index, kind: fuzzCase?.kind ?? 'generator', violations, inputFile, notesFile };
}

/** Replay commands for the bytes: the case's reading, and its second reading when it had one. */
function replayCommands(file: string, fuzzCase: FuzzCase): string[] {
  const command = (options: PipelineRunOptions): string =>
    `replay the bytes: npm run fuzz -- --replay ${file}` +
    (options.chunkSize !== undefined ? ` --chunk-size ${options.chunkSize}` : '') +
    (options.streamChunkSize !== undefined ? ` --stream-chunk-size ${options.streamChunkSize}` : '') +
    (options.gzip === true ? ' --gzip' : '');
  return [command(fuzzCase.options), ...(fuzzCase.compareWith !== null ? [command(fuzzCase.compareWith)] : [])];
}

/** Relative to the working directory when inside it (the commands are run from the project). */
function shortPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}
