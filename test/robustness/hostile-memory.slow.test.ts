import { writeFileSync } from 'node:fs';
import { constants, createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { MAX_ENDPOINTS_PER_CLIENT, MAX_INTERFACES_PER_SECTION } from '../../src/capture/input-limits.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { MAX_FINDING_FRAMES } from '../../src/analysis/finding.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import { bubble } from '../../src/synth/teredo-payload.js';
import { encodeTeredoAddress } from '../../src/teredo/teredo-address.js';
import { ADVERTISEMENT, dissectFrames, hostileScratch, interfaceBlock, outputLines, repeated, SOLICITATION } from '../support/hostile-captures.js';
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
  }, 180_000);
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
  }, 180_000);
});

describe('one client claimed from 300,000 sockets (class 3)', () => {
  it('keeps 64 endpoints and one finding with the count, in bounded memory and a small report', async () => {
    const server = parseIpv4('198.51.100.80')!;
    const relay = parseIpv4('203.0.113.38')!;
    // The Teredo address the RA of SOLICITATION/ADVERTISEMENT gives the client (mapped 203.0.113.7:40000).
    const claimed = encodeTeredoAddress({ server, cone: true, mappedIp: parseIpv4('203.0.113.7')!, mappedPort: 40000 });
    const payload = bubble({ src: claimed, dst: parseIpv6('2001:db8::68')! });
    const flood = 300_000;
    const capture = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1 });
      writer.write({ seconds: 1_700_000_000, nanos: 0, data: SOLICITATION });
      writer.write({ seconds: 1_700_000_000, nanos: 500_000_000, data: ADVERTISEMENT });
      for (let i = 0; i < flood; i++) {
        // Inside sockets like the client's (192.0.2.16:40000), never its own: hosts .17 to .216.
        const srcIp = parseIpv4(`192.0.2.${17 + (i % 200)}`)!;
        const udp = buildIpv4Udp({ srcIp, srcPort: 20000 + Math.floor(i / 200), dstIp: relay, dstPort: 32900, payload });
        writer.write({ seconds: 1_700_000_001 + Math.floor(i / 1000), nanos: (i % 1000) * 1_000_000, data: encapsulate(udp, { linkType: 1 }) });
      }
    });
    const file = path('endpoint-flood.pcap');
    writeFileSync(file, capture);

    let json = '';
    const run = await runCli(['analyze', '-q', '--format', 'json', file], { onStdout: (chunk) => (json += chunk.toString('utf8')) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Before: one client with 299,928 endpoints, a 23 MB report.
    expect(json.length).toBeLessThan(1024 * 1024);
    const report = JSON.parse(json) as { clients: { endpoints: unknown[] }[]; findings: { kind: string; message: string }[] };
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0].endpoints).toHaveLength(MAX_ENDPOINTS_PER_CLIENT);
    expect(report.findings.map((f) => f.message)).toContain(
      `${flood - (MAX_ENDPOINTS_PER_CLIENT - 1)} packets (the first ${MAX_FINDING_FRAMES} of their frames are listed) came from further sockets claiming to be this client, past the 64 endpoints kept per client: a flood or spoofing (those sockets are not listed)`,
    );
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  }, 180_000);
});
