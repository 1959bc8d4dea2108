import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { CaptureSink } from './packet-to-write.js';

const gzipAsync = promisify(gzip);

/**
 * Runs `build` with a sink that collects what a writer produces and returns it as one array, e.g.
 * `captureToBuffer((sink) => { const w = new PcapWriter(sink, { linkType: 1 }); w.write(p); })`.
 */
export function captureToBuffer(build: (sink: CaptureSink) => void): Uint8Array {
  const chunks: Uint8Array[] = [];
  build((chunk) => chunks.push(chunk));
  return concatBytes(chunks);
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Writes capture bytes to a file, gzip-compressed when asked (the reader sniffs either). */
export async function writeCaptureFile(path: string, bytes: Uint8Array, options: { gzip?: boolean } = {}): Promise<void> {
  await writeFile(path, options.gzip === true ? await gzipAsync(bytes) : bytes);
}
