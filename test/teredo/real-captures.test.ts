// Golden tests: the whole pipeline (reader → decoder → Teredo dissector) on the real captures,
// field by field against tshark with its Teredo heuristic on. tshark runs at test time when it is
// installed; otherwise its output recorded in test/teredo/expected/*.tshark.tsv stands in.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/reader.js';
import { formatIpv4, formatIpv6 } from '../../src/decode/ip-address.js';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';
import { bytesHex } from '../../src/synth/teredo-hex.js';
import { TeredoDissector, type DissectStats } from '../../src/teredo/dissector.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';

const REAL = fileURLToPath(new URL('../../fixtures/real/', import.meta.url));
const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));
const TSHARK_FIELDS = [
  'frame.number',
  'teredo.auth.nonce',
  'teredo.orig.addr',
  'teredo.orig.port',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.nxt',
  'ipv6.plen',
  'ipv6.hlim',
  'icmpv6.type',
];

const tsharkInstalled = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

/** tshark's rows for a capture: live when tshark is installed, recorded otherwise. */
function tsharkRows(name: string): string[][] {
  if (tsharkInstalled) {
    const args = ['-r', `${REAL}${name}.pcap`, '-o', 'teredo.heuristic_teredo:TRUE', '-Y', 'teredo', '-T', 'fields'];
    for (const field of TSHARK_FIELDS) args.push('-e', field);
    const run = spawnSync('tshark', args, { encoding: 'utf8' });
    expect(run.status).toBe(0);
    return parseTsv(run.stdout);
  }
  return recordedRows(name);
}

function parseTsv(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}

function recordedRows(name: string): string[][] {
  return parseTsv(readFileSync(`${EXPECTED}${name}.tshark.tsv`, 'utf8'));
}

/** Our packet in tshark's columns. */
function row(packet: TeredoPacket): string[] {
  return [
    String(packet.frame),
    packet.auth ? bytesHex(packet.auth.nonce) : '',
    packet.origin ? formatIpv4(packet.origin.address) : '',
    packet.origin ? String(packet.origin.port) : '',
    formatIpv6(packet.ipv6.src),
    formatIpv6(packet.ipv6.dst),
    String(packet.ipv6.nextHeader),
    String(packet.ipv6.payloadLength),
    String(packet.ipv6.hopLimit),
    packet.icmp && packet.kind !== 'data' ? String(packet.icmp.type) : '',
  ];
}

interface Dissected {
  packets: TeredoPacket[];
  stats: DissectStats;
  malformed: [number, string][];
}

/** Reader → decoder → a fresh dissector, with default options only. */
async function dissectFile(name: string): Promise<Dissected> {
  const decoder = new PacketDecoder();
  const malformed: [number, string][] = [];
  const dissector = new TeredoDissector({ onMalformed: (frame, reason) => malformed.push([frame, reason]) });
  const packets: TeredoPacket[] = [];
  await readCapture(`${REAL}${name}.pcap`, (record) => {
    const datagram = decoder.decode(record);
    if (datagram === null) return;
    const packet = dissector.dissect(datagram);
    if (packet !== null) packets.push(packet);
  });
  return { packets, stats: dissector.stats, malformed };
}

function byFrame(packets: TeredoPacket[]): Map<number, TeredoPacket> {
  return new Map(packets.map((p) => [p.frame, p]));
}

describe('recorded tshark output', () => {
  const names = ['wireshark-teredo', 'zeek-teredo-bubble-with-payload', 'snort-teredo-tcp', 'zeek-gtp-teredo', 'zeek-teredo-udp-in-udp'];

  it('has the frame counts of the fixture README and, with tshark installed, matches it exactly', () => {
    const counts = names.map((name) => recordedRows(name).length);
    expect(counts).toEqual([29, 27, 8, 10, 1]);
    // tsharkRows() reads live tshark output when it can; the recordings must then agree with it.
    for (const name of names) {
      expect(tsharkRows(name)).toEqual(recordedRows(name));
    }
  });
});

describe('wireshark-teredo.pcap', () => {
  let result: Dissected;
  beforeAll(async () => {
    result = await dissectFile('wireshark-teredo');
  });

  it('finds the same 29 Teredo frames as tshark with its heuristic, field for field', () => {
    expect(result.packets.map(row)).toEqual(tsharkRows('wireshark-teredo'));
    expect(result.packets).toHaveLength(29);
    expect(result.malformed).toEqual([]);
  });

  it('gives each frame its kind and the reason it was detected', () => {
    const frames = byFrame(result.packets);
    const expected: [number, TeredoPacket['kind'], TeredoPacket['detection']][] = [
      [6, 'router-solicitation', 'port-3544'],
      [7, 'router-advertisement', 'port-3544'],
      [29, 'bubble', 'learned-endpoint'],
      [30, 'echo-request', 'port-3544'],
      [31, 'bubble', 'port-3544'],
      [32, 'bubble', 'learned-endpoint'],
      [33, 'echo-reply', 'learned-endpoint'],
    ];
    for (const [frame, kind, detection] of expected) expect(frames.get(frame)).toMatchObject({ kind, detection });
    const http = result.packets.filter((p) => p.frame >= 34);
    expect(http).toHaveLength(22);
    expect(http.every((p) => p.kind === 'data' && p.detection === 'learned-endpoint' && p.data?.protocol === 6)).toBe(true);
    expect(http.every((p) => p.data!.srcPort === 80 || p.data!.dstPort === 80)).toBe(true);
    expect(result.packets.every((p) => p.anomalies.length === 0)).toBe(true);
    expect(result.stats).toMatchObject({ teredo: 29, malformed: 0, byDetection: { 'port-3544': 4, 'learned-endpoint': 25, structure: 0 } });
  });

  it('frame 7: the RA from the secondary server address with nonce, origin and prefix', () => {
    const ra = byFrame(result.packets).get(7)!;
    expect(`${formatIpv4(ra.outer.srcIp)}:${ra.outer.srcPort}`).toBe('65.55.158.81:3544');
    expect(bytesHex(ra.auth!.nonce)).toBe('cd5669400b22df88');
    expect(ra.auth!.confirmation).toBe(0);
    expect(`${formatIpv4(ra.origin!.address)}:${ra.origin!.port}`).toBe('70.55.215.234:3797');
    const info = ra.icmp!.routerAdvertisement!;
    expect(info).toMatchObject({ routerLifetime: 0, retransTimer: 2000, mtu: null });
    expect(info.prefixes.map((p) => formatIpv6(p.prefix))).toEqual(['2001:0:4137:9e50::']);
  });

  it('frames 6, 30, 31: RS source link-layer option, echo data, relay origin', () => {
    const frames = byFrame(result.packets);
    expect(bytesHex(frames.get(6)!.icmp!.sourceLinkLayer!)).toBe('0000000000008000f12ab9c82815');
    expect(frames.get(30)!.icmp!.echo).toMatchObject({ identifier: 0xd373, sequence: 0xb69b });
    expect(formatIpv4(Number.parseInt(bytesHex(frames.get(30)!.icmp!.echo!.data), 16))).toBe('83.170.1.38');
    const relayed = frames.get(31)!;
    expect(`${formatIpv4(relayed.origin!.address)}:${relayed.origin!.port}`).toBe('83.170.1.38:32900');
    expect(relayed.auth).toBeNull();
  });
});

describe('zeek-teredo-bubble-with-payload.pcap', () => {
  let result: Dissected;
  beforeAll(async () => {
    result = await dissectFile('zeek-teredo-bubble-with-payload');
  });

  it('finds all 29 frames: tshark\'s 27 field for field, plus the two bubbles tshark misses', () => {
    expect(result.packets.map((p) => p.frame)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const tshark = tsharkRows('zeek-teredo-bubble-with-payload');
    expect(tshark.map((r) => r[0])).not.toContain('3');
    expect(result.packets.filter((p) => p.frame !== 3 && p.frame !== 6).map(row)).toEqual(tshark);
    const frames = byFrame(result.packets);
    expect(row(frames.get(3)!)).toEqual(['3', '', '', '', '2001:0:4137:9e50:8000:f12a:b9c8:2815', '2001:4860:0:2001::68', '59', '0', '21', '']);
    expect(row(frames.get(6)!)).toEqual(['6', '', '', '', '2001:0:4137:9e50:8000:f12a:b9c8:2815', 'fe80::708d:fe83:4114:a512', '59', '0', '0', '']);
  });

  // The fixture README names frames 3 and 6, but frame 5 (the server-relayed bubble) carries the same
  // 4 bytes "1234": Zeek's own baseline weird.log for this trace logs Teredo_bubble_with_payload at
  // the times of frames 3 and 5 (it logs a weird once per connection, so frame 6 is folded into 3).
  it('flags the three bubbles that carry 4 stray bytes: frames 3, 5 and 6', () => {
    const flagged = result.packets.filter((p) => p.anomalies.length > 0);
    expect(flagged.map((p) => [p.frame, p.kind, p.anomalies.map((a) => a.kind)])).toEqual([
      [3, 'bubble', ['bubble-with-payload']],
      [5, 'bubble', ['bubble-with-payload']],
      [6, 'bubble', ['bubble-with-payload']],
    ]);
    const frames = byFrame(result.packets);
    expect(frames.get(3)!.detection).toBe('learned-endpoint');
    expect(frames.get(6)!.detection).toBe('learned-endpoint');
    expect(frames.get(5)!.detection).toBe('port-3544');
    expect(result.malformed).toEqual([]);
  });
});

describe('snort-teredo-tcp.pcap', () => {
  it('dissects all 8 TCP packets on port 3544 and flags the non-global embedded IPv4', async () => {
    const result = await dissectFile('snort-teredo-tcp');
    expect(result.packets.map(row)).toEqual(tsharkRows('snort-teredo-tcp'));
    expect(result.packets).toHaveLength(8);
    for (const packet of result.packets) {
      expect(packet.detection).toBe('port-3544');
      expect(packet.kind).toBe('data');
      expect(packet.data!.protocol).toBe(6);
      expect(packet.anomalies.map((a) => a.kind)).toEqual(['non-global-embedded-ipv4']);
    }
    expect(result.packets[0].data).toMatchObject({ srcPort: 48620, dstPort: 8 });
  });
});

describe('zeek-gtp-teredo.pcap', () => {
  it('dissects the 10 Teredo packets inside GTP-U like tshark', async () => {
    const result = await dissectFile('zeek-gtp-teredo');
    expect(result.packets.map(row)).toEqual(tsharkRows('zeek-gtp-teredo'));
    expect(result.packets.every((p) => p.detection === 'port-3544')).toBe(true);
    const withTrailers = result.packets.filter((p) => p.trailers.length > 0).map((p) => p.frame);
    expect(withTrailers).toEqual([1, 3, 4, 5, 8, 9, 10]);
    expect(result.packets.every((p) => p.anomalies.length === 0)).toBe(true);
  });
});

describe('zeek-teredo-udp-in-udp.pcap', () => {
  it('yields nothing, although tshark\'s heuristic takes it for Teredo', async () => {
    expect(tsharkRows('zeek-teredo-udp-in-udp')).toHaveLength(1);
    const result = await dissectFile('zeek-teredo-udp-in-udp');
    expect(result.packets).toEqual([]);
    expect(result.stats.malformed).toBe(0);
  });
});
