import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PcapngWriter, type PcapngInterface } from '../../src/capture/pcapng-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { writeCaptureFile } from '../../src/capture/capture-file.js';
import { encapsulate, type LinkEncapsulation } from '../../src/synth/frame-builder.js';
import { parseNdjson, runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-formats-'));

interface IpFrame {
  seconds: number;
  nanos: number;
  ip: Uint8Array;
}

let frames: IpFrame[] = [];
let baseline: unknown[] = [];

/** dissect --json of a file, without the file name and with times cut to microseconds (the coarser precision). */
async function dissectNormalized(path: string): Promise<unknown[]> {
  const run = await runCli(['dissect', '--json', '--quiet', path]);
  expect(run.code, run.stderr).toBe(0);
  return parseNdjson(run.stdout).map(({ file: _file, time, ...rest }) => ({ ...rest, time: String(time).replace(/^(.*\.\d{6})\d*Z$/, '$1Z') }));
}

function collect(): { chunks: Uint8Array[]; sink: (chunk: Uint8Array) => void; bytes: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  return { chunks, sink: (chunk) => chunks.push(Uint8Array.from(chunk)), bytes: () => Buffer.concat(chunks) };
}

async function writePcap(name: string, link: LinkEncapsulation, options: { nanosecond?: boolean; bigEndian?: boolean } = {}): Promise<string> {
  const out = collect();
  const writer = new PcapWriter(out.sink, { linkType: link.linkType, ...options });
  for (const f of frames) writer.write({ seconds: f.seconds, nanos: f.nanos, data: encapsulate(f.ip, link) });
  const path = join(dir, name);
  await writeCaptureFile(path, out.bytes());
  return path;
}

async function writePcapng(name: string, interfaces: PcapngInterface[], links: LinkEncapsulation[], options: { bigEndian?: boolean; gzip?: boolean } = {}): Promise<string> {
  const out = collect();
  const writer = new PcapngWriter(out.sink, { bigEndian: options.bigEndian, interfaces });
  frames.forEach((f, i) => {
    const interfaceId = i % interfaces.length;
    writer.write({ seconds: f.seconds, nanos: f.nanos, data: encapsulate(f.ip, links[interfaceId]), interfaceId });
  });
  const path = join(dir, name);
  await writeCaptureFile(path, out.bytes(), { gzip: options.gzip });
  return path;
}

beforeAll(async () => {
  const collected: IpFrame[] = [];
  await readCapture(SAMPLE, (record) => {
    // Every frame of the sample is Ethernet II + IPv4 (checked by the length below).
    const bytes = record.buffer.subarray(record.offset, record.offset + record.capturedLength);
    expect((bytes[12] << 8) | bytes[13]).toBe(0x0800);
    collected.push({ seconds: record.seconds, nanos: record.nanos, ip: Uint8Array.from(bytes.subarray(14)) });
  });
  frames = collected;
  baseline = await dissectNormalized(SAMPLE);
  expect(baseline).toHaveLength(29);
});

describe('the same packets in every container give identical dissect --json output', () => {
  const ethernet: LinkEncapsulation = { linkType: 1 };
  const cases: Array<[string, () => Promise<string>]> = [
    ['µs pcap', () => writePcap('us.pcap', ethernet)],
    ['ns pcap', () => writePcap('ns.pcap', ethernet, { nanosecond: true })],
    ['big-endian pcap', () => writePcap('be.pcap', ethernet, { bigEndian: true })],
    ['big-endian ns pcap', () => writePcap('be-ns.pcap', ethernet, { bigEndian: true, nanosecond: true })],
    ['SLL', () => writePcap('sll.pcap', { linkType: 113 })],
    ['SLL2', () => writePcap('sll2.pcap', { linkType: 276 })],
    ['VLAN-tagged Ethernet (802.1ad + 802.1Q)', () => writePcap('vlan.pcap', { linkType: 1, vlanTags: [{ tpid: 0x88a8, id: 100 }, { tpid: 0x8100, id: 7 }] })],
    ['raw IP (101)', () => writePcap('raw101.pcap', { linkType: 101 })],
    ['raw IPv4 (228)', () => writePcap('raw228.pcap', { linkType: 228 })],
    ['BSD NULL', () => writePcap('null.pcap', { linkType: 0 })],
    ['BSD LOOP', () => writePcap('loop.pcap', { linkType: 108 })],
    [
      'pcapng, two interfaces, nanosecond if_tsresol',
      () => writePcapng('two.pcapng', [{ linkType: 1, tsresol: 9 }, { linkType: 276, tsresol: 9 }], [ethernet, { linkType: 276 }]),
    ],
    ['big-endian pcapng', () => writePcapng('be.pcapng', [{ linkType: 1 }], [ethernet], { bigEndian: true })],
    ['gzip pcapng', () => writePcapng('gz.pcapng.gz', [{ linkType: 1, tsresol: 9 }, { linkType: 101 }], [ethernet, { linkType: 101 }], { gzip: true })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      expect(await dissectNormalized(await make())).toEqual(baseline);
    });
  }
});
