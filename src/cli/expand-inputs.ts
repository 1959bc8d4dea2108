import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { looksLikeCapture } from '../capture/capture-sniff.js';
import { fileNameFromBytes, fileSystemPath } from '../capture/file-name.js';
import { MAX_FILES_OPEN_WHILE_ORDERING } from '../capture/input-limits.js';
import { mapLimited } from './map-limited.js';
import { UsageError } from './usage-error.js';

/** Rotated files in the order their numbers run (ring_2 before ring_10); one collator for every comparison. */
const NAME_ORDER = new Intl.Collator('en', { numeric: true });

/** Names of skipped files that the one warning line lists; the rest are counted. */
const SKIPPED_NAMED = 5;

/**
 * Capture arguments as files. A directory stands for the captures directly inside it (rotated
 * files, in name order; hidden files skipped; symbolic links followed); its other files (a README,
 * a script) are skipped with one warning line per directory. Anything else is passed through
 * untouched so that the reader reports it ("cannot open: no such file"), as are named files that
 * are not captures. Names keep their bytes that are not UTF-8 (see src/capture/file-name.ts).
 * Standard input ('-') can be named once: a second read of it would be an empty capture.
 */
export async function expandInputs(args: readonly string[], warn: (message: string) => void = () => undefined): Promise<string[]> {
  if (args.filter((arg) => arg === '-').length > 1) throw new UsageError("standard input ('-') can be named only once");
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push(arg);
      continue;
    }
    const info = await stat(fileSystemPath(arg)).catch(() => null);
    if (info === null || !info.isDirectory()) {
      files.push(arg);
      continue;
    }
    const listed = await directoryCaptures(arg);
    if (listed === null) {
      // Unreadable directory: the reader names the problem for it.
      files.push(arg);
      continue;
    }
    files.push(...listed.captures);
    if (listed.skipped.length > 0) warn(skippedText(arg, listed.skipped));
  }
  return files;
}

async function directoryCaptures(directory: string): Promise<{ captures: string[]; skipped: string[] } | null> {
  const entries = await readdir(fileSystemPath(directory), { withFileTypes: true, encoding: 'buffer' }).catch(() => null);
  if (entries === null) return null;
  const names = entries
    .map((entry) => ({ entry, name: fileNameFromBytes(entry.name) }))
    .filter(({ entry, name }) => !name.startsWith('.') && (entry.isFile() || entry.isSymbolicLink()))
    .sort((a, b) => NAME_ORDER.compare(a.name, b.name));
  // Subdirectories, sockets and devices are not part of a ring of captures; links are followed.
  const verdicts = await mapLimited(names, MAX_FILES_OPEN_WHILE_ORDERING, async ({ entry, name }) => {
    const path = join(directory, name);
    const regular = entry.isFile() || (await stat(fileSystemPath(path)).catch(() => null))?.isFile() === true;
    return regular && (await looksLikeCapture(path));
  });
  const captures: string[] = [];
  const skipped: string[] = [];
  for (const [index, { name }] of names.entries()) {
    if (verdicts[index]) captures.push(join(directory, name));
    else skipped.push(name);
  }
  return { captures, skipped };
}

function skippedText(directory: string, skipped: readonly string[]): string {
  const named = skipped.slice(0, SKIPPED_NAMED).join(', ');
  const more = skipped.length > SKIPPED_NAMED ? `, and ${skipped.length - SKIPPED_NAMED} more` : '';
  const count = skipped.length === 1 ? '1 file that is not a capture' : `${skipped.length} files that are not captures`;
  return `${directory}: skipped ${count} (${named}${more})`;
}
