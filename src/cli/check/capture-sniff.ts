import { open } from 'node:fs/promises';
import { isPcapMagic } from '../../capture/pcap-parser-state.js';
import { BLOCK_SECTION_HEADER } from '../../capture/pcapng-blocks.js';
import { expandInputs } from '../expand-inputs.js';

/**
 * The captures a `check` argument stands for: a file named on the command line is a trace
 * whatever it holds (a wrong one is reported as unreadable), while a directory stands for the
 * captures in it, so a README or a script kept beside the traces is skipped. `skipped` counts
 * those.
 */
export async function capturesOf(arg: string): Promise<{ files: string[]; skipped: string[] }> {
  const files = await expandInputs([arg]);
  if (files.length === 1 && files[0] === arg) return { files, skipped: [] };
  const kept: string[] = [];
  const skipped: string[] = [];
  for (const file of files) ((await looksLikeCapture(file)) ? kept : skipped).push(file);
  return { files: kept, skipped };
}

/** pcap (either byte order, µs or ns), pcapng, or gzip (which the reader opens). */
async function looksLikeCapture(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4) return false;
    const magic = head.readUInt32BE(0);
    return isPcapMagic(magic) || magic === BLOCK_SECTION_HEADER || (head[0] === 0x1f && head[1] === 0x8b);
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
