/**
 * A fresh copy of bytes[start, end). Written out because `slice` on a Node Buffer (a Uint8Array
 * subclass the reader may hand over) returns a view into the reused capture buffer, not a copy.
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}
