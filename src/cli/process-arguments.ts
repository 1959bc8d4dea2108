import { readFileSync } from 'node:fs';
import { fileNameFromBytes } from '../capture/file-name.js';

/**
 * The command-line arguments (process.argv without node and the script), with any byte that is not
 * UTF-8 kept as in src/capture/file-name.ts instead of Node's U+FFFD, so that a file named in
 * another encoding still opens. Node gives no access to argv's bytes; Linux does, in
 * /proc/self/cmdline, whose last entries are these arguments. Elsewhere, or if the two disagree,
 * process.argv is used as it is.
 */
export function processArguments(argv: readonly string[] = process.argv): string[] {
  const given = argv.slice(2);
  if (!given.some((arg) => arg.includes('\ufffd'))) return given;
  let raw: Buffer[];
  try {
    raw = splitNul(readFileSync('/proc/self/cmdline'));
  } catch {
    return given;
  }
  if (raw.length < given.length) return given;
  const tail = raw.slice(raw.length - given.length);
  // Each raw argument must be the one Node decoded (lossily) into the same place.
  if (!tail.every((bytes, index) => bytes.toString('utf8') === given[index])) return given;
  return tail.map(fileNameFromBytes);
}

function splitNul(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(0); at >= 0; at = bytes.indexOf(0, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + 1;
  }
  if (from < bytes.length) parts.push(bytes.subarray(from));
  return parts;
}
