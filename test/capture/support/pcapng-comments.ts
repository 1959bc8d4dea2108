import { readFileSync } from 'node:fs';

/**
 * The packet comments (opt_comment) of a pcapng file by Wireshark frame number, read block by
 * block independently of the project's reader, plus every block's raw bytes per frame.
 */
export function readPcapngComments(path: string): { comments: Map<number, string[]>; blocks: Map<number, Uint8Array> } {
  const bytes = new Uint8Array(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const comments = new Map<number, string[]>();
  const blocks = new Map<number, Uint8Array>();
  let littleEndian = true;
  let frame = 0;
  for (let at = 0; at + 12 <= bytes.length; ) {
    let type = view.getUint32(at, littleEndian);
    if (type === 0x0a0d0d0a) {
      littleEndian = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      type = 0x0a0d0d0a;
    }
    const length = view.getUint32(at + 4, littleEndian);
    if (type === 2 || type === 3 || type === 6 || type === 0xbad || type === 0x40000bad) {
      frame += 1;
      blocks.set(frame, bytes.subarray(at, at + length));
    }
    if (type === 2 || type === 6) {
      const captured = view.getUint32(at + 20, littleEndian);
      let option = at + 28 + ((captured + 3) & ~3);
      while (option + 4 <= at + length - 4) {
        const code = view.getUint16(option, littleEndian);
        const size = view.getUint16(option + 2, littleEndian);
        if (code === 0) break;
        if (code === 1) {
          const list = comments.get(frame) ?? [];
          list.push(new TextDecoder().decode(bytes.subarray(option + 4, option + 4 + size)));
          comments.set(frame, list);
        }
        option += 4 + ((size + 3) & ~3);
      }
    }
    at += length;
  }
  return { comments, blocks };
}
