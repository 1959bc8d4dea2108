import type { Readable } from 'node:stream';

/** All lines of a small text input (addresses for `decode`); bounded so a runaway pipe cannot exhaust memory. */
export async function readLines(input: Readable, maxBytes = 16 * 1024 * 1024): Promise<string[]> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > maxBytes) throw new Error(`standard input is larger than ${maxBytes} bytes`);
  }
  return text.split(/\r?\n/);
}
