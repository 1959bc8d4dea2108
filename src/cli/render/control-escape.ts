// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on many terminals), the Unicode
// bidirectional overrides that can reorder what a reader sees, and the lone surrogates
// U+DC80..U+DCFF that stand for the bytes of a file name that are not UTF-8 (src/capture/file-name.ts).
// eslint-disable-next-line no-control-regex -- matching these characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u{dc80}-\u{dcff}]/gu;

/**
 * Text from a file name or a packet, made safe for a terminal or Markdown: every control
 * character becomes a visible escape (`\x1b`, `\n`, `\u202e`), as tshark and git print them.
 */
export function escapeControl(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, escapeOne);
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0) ?? 0;
  // A byte of a file name that is not UTF-8, shown as the byte it is.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
