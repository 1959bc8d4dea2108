import { BLOCK_ENHANCED_PACKET, BLOCK_OBSOLETE_PACKET } from './pcapng-blocks.js';

const OPTION_END = 0;
const OPTION_COMMENT = 1;
/** Where the packet data starts in an enhanced or obsolete packet block. */
const TIMED_PACKET_DATA = 28;
/** Longest text an option can hold (its length field is 16 bits). */
export const MAX_COMMENT_BYTES = 0xffff;

/**
 * The enhanced or obsolete packet block `block` (whole, in the section's byte order) with one
 * opt_comment per entry of `comments` added after its existing options: everything else (data,
 * timestamp, interface, other options and comments) stays byte for byte. Null when the block
 * cannot carry options (simple packet block) or its options do not parse: the caller copies it as
 * it is. Comments longer than an option allows are cut at a character boundary.
 */
export function withPacketComments(block: Uint8Array, littleEndian: boolean, comments: readonly string[]): Uint8Array | null {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const type = view.getUint32(0, littleEndian);
  if (type !== BLOCK_ENHANCED_PACKET && type !== BLOCK_OBSOLETE_PACKET) return null;
  const length = view.getUint32(4, littleEndian);
  if (length !== block.length || length < TIMED_PACKET_DATA + 4) return null;
  const captured = view.getUint32(20, littleEndian);
  const optionsStart = TIMED_PACKET_DATA + ((captured + 3) & ~3);
  const optionsEnd = length - 4;
  if (optionsStart > optionsEnd) return null;
  const kept = keptOptionsEnd(view, optionsStart, optionsEnd, littleEndian);
  if (kept === null) return null;

  const encoded = comments.map(encodeComment);
  const added = encoded.reduce((sum, bytes) => sum + 4 + ((bytes.length + 3) & ~3), 0) + 4;
  const total = kept + added + 4;
  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  out.set(block.subarray(0, kept), 0);
  outView.setUint32(4, total, littleEndian);
  let at = kept;
  for (const bytes of encoded) {
    outView.setUint16(at, OPTION_COMMENT, littleEndian);
    outView.setUint16(at + 2, bytes.length, littleEndian);
    out.set(bytes, at + 4);
    at += 4 + ((bytes.length + 3) & ~3);
  }
  outView.setUint16(at, OPTION_END, littleEndian);
  outView.setUint16(at + 2, 0, littleEndian);
  outView.setUint32(total - 4, total, littleEndian);
  return out;
}

/**
 * Offset just past the last option before opt_endofopt (or the end of the options when a writer
 * left opt_endofopt out); null when an option runs past the block.
 */
function keptOptionsEnd(view: DataView, start: number, end: number, littleEndian: boolean): number | null {
  let at = start;
  while (end - at >= 4) {
    const code = view.getUint16(at, littleEndian);
    if (code === OPTION_END) return at;
    const next = at + 4 + ((view.getUint16(at + 2, littleEndian) + 3) & ~3);
    if (next > end) return null;
    at = next;
  }
  return at === end ? at : null;
}

function encodeComment(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_COMMENT_BYTES) return bytes;
  // Back off to the start of a UTF-8 sequence so that the cut text stays valid UTF-8.
  let cut = MAX_COMMENT_BYTES;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut);
}
