import type { Writable } from 'node:stream';

/** The width to fit when writing to a terminal; null when the output is a pipe or file (no fitting). */
export function terminalColumns(stream: Writable): number | null {
  const tty = stream as Writable & { isTTY?: boolean; columns?: number };
  if (tty.isTTY !== true || tty.columns === undefined || tty.columns < 1) return null;
  return tty.columns;
}
