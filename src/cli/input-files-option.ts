import type { Argv } from 'yargs';
import { all } from './option-values.js';
import { restoreStdinArgument } from './stdin-argument.js';
import { UsageError } from './usage-error.js';

/**
 * Captures are named as arguments or, tshark's habit, with `-r FILE` (repeatable); both may be
 * mixed and are read in the order given (`-r` files after the others).
 */
export function withInputFiles<T>(y: Argv<T>): Argv<T> {
  return y
    .positional('file', { type: 'string', array: true, describe: 'capture files or directories; - reads standard input' })
    .option('r', { alias: 'read-file', type: 'string', describe: 'a capture to read, as in tshark (repeatable; same as naming it)' });
}

export function inputFiles(args: { file?: unknown; r?: unknown }): string[] {
  const files = [...all(args.file), ...all(args.r)].map(restoreStdinArgument);
  if (files.length === 0) throw new UsageError('no capture given: name a file, a directory, or - for standard input');
  return files;
}
