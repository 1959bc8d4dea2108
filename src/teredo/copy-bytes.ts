const NO_BYTES = new Uint8Array(0);

/** Up to this many bytes are copied one by one: cheaper than creating a view to copy from. */
const SMALL_COPY = 64;

/**
 * A fresh copy of bytes[start, end). Written out because `slice` on a Node Buffer (a Uint8Array
 * subclass the reader may hand over) returns a view into the reused capture buffer, not a copy.
 * Runs for the parts of control packets (nonces, ICMPv6 fields, trailers): short copies go byte by byte, since
 * Buffer#subarray builds its view through Buffer's species constructor and costs more than
 * copying 16 bytes (bytes past the end read as undefined and are stored as 0, as the clipped
 * subarray left them).
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const length = end - start;
  // Empty parts are the rule (an RS's authentication has no client id or value): one shared empty
  // array, which nobody can write into, instead of a buffer each.
  if (length === 0) return NO_BYTES;
  const out = new Uint8Array(length);
  if (length <= SMALL_COPY) {
    for (let i = 0; i < length; i++) out[i] = bytes[start + i];
  } else {
    out.set(bytes.subarray(start, end));
  }
  return out;
}
