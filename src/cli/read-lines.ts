import type { Readable } from 'node:stream';
import { MAX_DECODE_LINE_BYTES } from '../capture/input-limits.js';

/** One line of a text input: its text (without the line break), or only its number when too long. */
export interface InputLine {
  /** 1-based. */
  number: number;
  text: string;
  /** Longer than the bound: `text` is empty and the line's bytes were never held. */
  tooLong: boolean;
}

const NEWLINE = 0x0a;

/**
 * The lines of a text input (addresses for `decode`) as they arrive, so that any amount of input
 * is read in bounded memory: a line longer than `maxLineBytes` is reported as too long, never held.
 */
export async function* readLines(input: Readable, maxLineBytes = MAX_DECODE_LINE_BYTES): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let number = 0;
  const finish = (): InputLine => {
    number++;
    const line = tooLong ? '' : Buffer.concat(parts, held).toString('utf8').replace(/\r$/, '');
    const result = { number, text: line, tooLong };
    parts = [];
    held = 0;
    tooLong = false;
    return result;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    let from = 0;
    while (from < bytes.length) {
      const end = bytes.indexOf(NEWLINE, from);
      const stop = end < 0 ? bytes.length : end;
      if (!tooLong) {
        if (held + stop - from > maxLineBytes) {
          tooLong = true;
          parts = [];
          held = 0;
        } else {
          // A copy: the stream may reuse its chunk.
          parts.push(Buffer.from(bytes.subarray(from, stop)));
          held += stop - from;
        }
      }
      if (end < 0) break;
      yield finish();
      from = end + 1;
    }
  }
  if (held > 0 || tooLong) yield finish();
}
