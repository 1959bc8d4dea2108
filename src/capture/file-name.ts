/*
 * File names are bytes on Linux, and need not be UTF-8 (names from old systems, from other
 * encodings, or written to fool a tool). Node turns such bytes into U+FFFD when it makes a string,
 * and the name no longer opens. So names travel through the program as strings in which each byte
 * that is not part of valid UTF-8 is kept as a lone surrogate U+DC80..U+DCFF (Python's
 * "surrogateescape"), and become bytes again where they meet the file system (fileSystemPath).
 * Valid UTF-8 never yields a lone surrogate, so the mapping is exact both ways; escapeControl shows
 * those bytes as `\xNN`.
 */

const ESCAPE_BASE = 0xdc00;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name's bytes as a string, every byte that is not valid UTF-8 kept as U+DC80..U+DCFF. */
export function fileNameFromBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeEscaping(bytes);
  }
}

/** The path to hand to `fs` for a name made by fileNameFromBytes (a Buffer only when it must be). */
export function fileSystemPath(name: string): string | Buffer {
  if (!hasEscapedByte(name)) return name;
  const bytes: number[] = [];
  for (const character of name) {
    const code = character.codePointAt(0)!;
    if (code >= 0xdc80 && code <= 0xdcff) bytes.push(code - ESCAPE_BASE);
    else for (const byte of Buffer.from(character, 'utf8')) bytes.push(byte);
  }
  return Buffer.from(bytes);
}

const ESCAPED_BYTE = /[\u{dc80}-\u{dcff}]/u;

export function hasEscapedByte(name: string): boolean {
  return ESCAPED_BYTE.test(name);
}

function decodeEscaping(bytes: Uint8Array): string {
  let text = '';
  let at = 0;
  while (at < bytes.length) {
    const length = validSequenceLength(bytes, at);
    if (length === 0) {
      text += String.fromCharCode(ESCAPE_BASE + bytes[at]);
      at += 1;
    } else {
      text += strictUtf8.decode(bytes.subarray(at, at + length));
      at += length;
    }
  }
  return text;
}

/** Length of the well-formed UTF-8 sequence at `at` (RFC 3629 table), 0 when there is none. */
function validSequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first < 0x80) return 1;
  const continuation = (index: number, low = 0x80, high = 0xbf): boolean =>
    index < bytes.length && bytes[index] >= low && bytes[index] <= high;
  if (first >= 0xc2 && first <= 0xdf) return continuation(at + 1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const [low, high] = first === 0xe0 ? [0xa0, 0xbf] : first === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(at + 1, low, high) && continuation(at + 2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const [low, high] = first === 0xf0 ? [0x90, 0xbf] : first === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(at + 1, low, high) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
  }
  return 0;
}
