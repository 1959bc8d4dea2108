/** Hex text ↔ bytes for tests that quote packet bytes from real captures. */

/** Bytes of a hex string; whitespace and ':' separators are ignored. Throws on anything else. */
export function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new RangeError(`not an even-length hex string: ${text.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of bytes, no separators (as tshark prints byte fields). */
export function bytesHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
