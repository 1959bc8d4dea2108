import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Capture arguments as files: a directory stands for the regular files directly inside it (rotated
 * capture files, in name order; hidden files skipped). Anything else is passed through untouched so
 * that the reader reports it ("cannot open: no such file").
 */
export async function expandInputs(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push(arg);
      continue;
    }
    const info = await stat(arg).catch(() => null);
    if (info === null || !info.isDirectory()) {
      files.push(arg);
      continue;
    }
    const entries = await readdir(arg, { withFileTypes: true });
    const inside = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const name of inside) files.push(join(arg, name));
  }
  return files;
}
