import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { fileSystemPath } from './file-name.js';
import { BLOCK_SECTION_HEADER } from './pcapng-blocks.js';
import { isPcapMagic } from './pcap-parser-state.js';

/** Bytes looked at: enough for a gzip header with an embedded file name, and at most ~1 MB inflated. */
const SNIFF_BYTES = 1024;

/**
 * Whether a file starts like a capture the reader knows (pcap or pcapng magic, possibly inside
 * gzip), judged from its first bytes only. Used to skip the other files of a directory (a README,
 * a script); a file named on the command line is read whatever it holds, so it fails loudly.
 */
export async function looksLikeCapture(path: string): Promise<boolean> {
  let head: Uint8Array;
  try {
    const handle = await open(fileSystemPath(path), 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) head = gunzippedHead(head);
  if (head.length < 4) return false;
  const magic = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  return isPcapMagic(magic) || magic === BLOCK_SECTION_HEADER;
}

/** The first bytes inflated from the start of a gzip file (a partial input is fine). */
function gunzippedHead(compressed: Uint8Array): Uint8Array {
  try {
    return gunzipSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0);
  }
}
