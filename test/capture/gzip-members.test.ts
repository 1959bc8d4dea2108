import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hostileScratch, teredoPcap } from '../support/hostile-captures.js';
import { readAll } from './support/read-all.js';

/*
 * Issue 16, class 2: bytes after a gzip member must not cost the packets decompressed before them.
 * Each case reads with the default chunk size (the whole small file is one read, where zlib's own
 * Gunzip dropped everything) and with tiny chunks.
 */

const { path } = hostileScratch('gzip');
const CHUNK_SIZES = [undefined, 7, 1000];

async function readGzip(name: string, bytes: Uint8Array, chunkSizes = CHUNK_SIZES): Promise<Awaited<ReturnType<typeof readAll>>[]> {
  const file = path(name);
  writeFileSync(file, bytes);
  const outcomes = [];
  for (const chunkSize of chunkSizes) outcomes.push(await readAll(file, { chunkSize }));
  return outcomes;
}

describe('gzip input with bytes after its member', () => {
  const member = gzipSync(teredoPcap(3));

  it('trailing text: every packet, then damage at the offset where the member ended', async () => {
    for (const { records, error } of await readGzip('text.pcap.gz', Buffer.concat([member, Buffer.from('hello\n')]))) {
      expect(records.map((r) => r.frame)).toEqual([1, 2, 3]);
      expect(error?.kind).toBe('damaged');
      expect(error?.exitCode).toBe(4);
      expect(error?.framesRead).toBe(3);
      expect(error?.message).toBe(`corrupt gzip data after frame 3 (byte offset ${member.length}: what follows the last gzip member is not gzip data)`);
    }
  });

  it('a corrupt second member: every packet of the first, then damage naming the second', async () => {
    const corrupt = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9]);
    for (const { records, error } of await readGzip('second.pcap.gz', Buffer.concat([member, corrupt]))) {
      expect(records).toHaveLength(3);
      expect(error?.kind).toBe('damaged');
      expect(error?.message).toMatch(new RegExp(`^corrupt gzip data after frame 3 \\(gzip member at byte offset ${member.length}: `));
    }
  });

  it('a second member cut in its header: every packet, then a truncation', async () => {
    for (const { records, error } of await readGzip('cut.pcap.gz', Buffer.concat([member, member.subarray(0, 5)]))) {
      expect(records).toHaveLength(3);
      expect(error?.kind).toBe('truncated');
      expect(error?.message).toBe('truncated after frame 3: gzip data cut short');
    }
  });

  it('60,000 packets followed by garbage: all 60,000 are delivered', async () => {
    const big = gzipSync(teredoPcap(60_000));
    for (const { records, error } of await readGzip('big.pcap.gz', Buffer.concat([big, Buffer.from('garbage at the end')]), [undefined, 1000])) {
      expect(records).toHaveLength(60_000);
      expect(error?.message).toBe(`corrupt gzip data after frame 60000 (byte offset ${big.length}: what follows the last gzip member is not gzip data)`);
    }
  });

  it('trailing zero bytes are padding, and several members are one stream (as gzip reads them)', async () => {
    const [first, second] = [teredoPcap(4), teredoPcap(4, 1_800_000_000).subarray(24)];
    const bytes = Buffer.concat([gzipSync(first), gzipSync(second), Buffer.alloc(100)]);
    for (const { records, error, summary } of await readGzip('members.pcap.gz', bytes)) {
      expect(error).toBeNull();
      expect(records).toHaveLength(8);
      expect(summary?.compressed).toBe(true);
    }
  });
});
