import { writeFileSync } from 'node:fs';
import { constants, createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { MAX_INTERFACES_PER_SECTION } from '../../src/capture/input-limits.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { dissectFrames, hostileScratch, interfaceBlock, outputLines, repeated, SOLICITATION } from '../support/hostile-captures.js';
import { runCli } from './support/measured-cli.js';

/*
 * Issue 16, class 1, through the CLI with peak RSS measured: a small gzip file declaring millions
 * of pcapng interfaces. Before the bound every Interface Description Block was kept (about 75 bytes
 * each), so these few hundred kB drove the process to hundreds of MB (tens of millions: past 5 GB,
 * and V8 aborted). The file is generated here, never committed.
 */

const { path } = hostileScratch('memory');
/** The CLI's baseline is about 60 MB. */
const RSS_LIMIT_MB = 150;

/** gzip of `pieces`, streamed so that the uncompressed flood never exists in memory at once. */
async function gzipPieces(pieces: Iterable<Uint8Array>): Promise<Buffer> {
  const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  for (const piece of pieces) if (!gzip.write(piece)) await new Promise((resolve) => gzip.once('drain', resolve));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

describe('a gzip file declaring millions of interfaces', () => {
  it('stops at the interface limit with exit 4, after its 3 packets, in bounded memory', async () => {
    const start = captureToBuffer((sink) => {
      const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] });
      for (let i = 0; i < 3; i++) writer.write({ seconds: 1_700_000_000 + i, nanos: 0, data: SOLICITATION });
    });
    const megabyteOfInterfaces = repeated(interfaceBlock(1), 52_428); // 1 MiB, minus 16 bytes
    const pieces = function* (): Generator<Uint8Array> {
      yield start;
      for (let i = 0; i < 100; i++) yield megabyteOfInterfaces; // 5.2 million IDBs, 100 MB inflated
    };
    const file = path('interfaces.pcapng.gz');
    const compressed = await gzipPieces(pieces());
    expect(compressed.length).toBeLessThan(3 * 1024 * 1024);
    writeFileSync(file, compressed);

    const run = await runCli(['dissect', '-q', file]);
    expect(dissectFrames(run.stdout)).toEqual([1, 2, 3]);
    const offending = start.length + (MAX_INTERFACES_PER_SECTION - 1) * 20;
    expect(outputLines(run.stderr)).toEqual([
      `teredoscope: ${file}: block at byte offset ${offending}: the section declares more than 65536 interfaces (the limit)`,
    ]);
    expect(run.status).toBe(4);
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});

describe('decode with a large standard input (class 7)', () => {
  it('streams 256 MiB of lines in bounded memory and decodes the addresses among them', async () => {
    const address = '2001:0:4137:9e50:8000:f12a:b9c8:2815';
    const megabyte = Buffer.from(`${address}\n${`# ${'x'.repeat(1021)}\n`.repeat(1023)}`.padEnd(1024 * 1024 - 1, '#') + '\n');
    const pieces = function* (): Generator<Uint8Array> {
      for (let i = 0; i < 256; i++) yield megabyte;
    };
    let addresses = 0;
    const run = await runCli(['decode', '--json'], {
      stdin: pieces(),
      onStdout: (chunk) => (addresses += chunk.toString('latin1').split('\n').length - 1),
    });
    expect(run.stderr).toBe('');
    expect(addresses).toBe(256);
    expect(run.status).toBe(0);
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  });
});
