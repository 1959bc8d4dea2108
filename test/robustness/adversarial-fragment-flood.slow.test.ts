import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { buildIpv4Udp, encapsulate, fragmentIpv4 } from '../../src/synth/frame-builder.js';
import { echo } from '../../src/synth/teredo-payload.js';
import { encodeTeredoAddress } from '../../src/teredo/teredo-address.js';
import { runCli } from './support/measured-cli.js';
import { lines, scratchDirectory } from './support/scratch-files.js';

/*
 * A fragment flood: 25 000 IPv4 fragment trains that never complete (first fragments of 1480
 * bytes to the Teredo port, 37 MB — more than the reassembler's 32 MiB budget and 4096 trains),
 * two trains of 3000 tiny fragments each (beyond the 2048 fragments a train may hold), and among
 * them 60 real Teredo echo requests cut in three fragments each, a megabyte or more of flood
 * apart, some out of order. The flood must cost bounded memory and time, and every one of the 60
 * must still be reassembled — from the file, whose read buffers are recycled meanwhile.
 */

const file = scratchDirectory('fragment-flood');
const FLOOD_TRAINS = 25_000;
const TINY_TRAINS = 2;
const TINY_FRAGMENTS = 3_000;
const COMPLETE = 60;
const RSS_LIMIT_MB = 250;
const TIME_LIMIT_S = 90;

const SERVER = parseIpv4('198.51.100.80')!;
const CLIENT = parseIpv4('192.0.2.16')!;
const NATIVE = parseIpv6('2001:db8::68')!;

interface Flood {
  bytes: Uint8Array;
  /** Frame numbers of the fragments of each complete datagram, in file order. */
  completeFrames: number[][];
}

function buildFlood(): Flood {
  const teredo = encodeTeredoAddress({ server: SERVER, cone: true, mappedIp: parseIpv4('203.0.113.7')!, mappedPort: 40000 });
  const data = Uint8Array.from({ length: 2600 }, (_, i) => (i * 13 + 7) & 0xff);
  const floodTemplate = encapsulate(fragmentIpv4(buildIpv4Udp({ srcIp: 0, dstIp: SERVER, srcPort: 40000, dstPort: 3544, payload: new Uint8Array(3000) }), 1480)[0], { linkType: 1 });
  const tinyTemplate = encapsulate(fragmentIpv4(buildIpv4Udp({ srcIp: CLIENT, dstIp: SERVER, srcPort: 1, dstPort: 3544, payload: new Uint8Array(64) }), 8)[1], { linkType: 1 });
  const floodFrame = (train: number): Uint8Array => {
    const frame = floodTemplate;
    new DataView(frame.buffer).setUint32(14 + 12, (0x0a000000 + train) >>> 0);
    new DataView(frame.buffer).setUint16(14 + 4, train & 0xffff);
    return frame;
  };
  const tinyFrame = (train: number, index: number): Uint8Array => {
    const frame = tinyTemplate;
    const view = new DataView(frame.buffer);
    view.setUint16(14 + 4, 0xf000 + train);
    // MF set, offsets going up 8 bytes at a time: the train never gets its last fragment.
    view.setUint16(14 + 6, 0x2000 | ((index + 1) & 0x1fff));
    return frame;
  };
  // Where each fragment of each complete datagram goes: before flood train number `at`.
  const placements = new Map<number, { datagram: number; fragment: Uint8Array }[]>();
  for (let datagram = 0; datagram < COMPLETE; datagram++) {
    const payload = echo({ request: true, src: teredo, dst: NATIVE, identifier: 7, sequence: datagram, data });
    const fragments = fragmentIpv4(buildIpv4Udp({ srcIp: CLIENT, dstIp: SERVER, srcPort: 40000, dstPort: 3544, payload, id: 0x8000 + datagram }), 1200);
    const order = datagram % 2 === 0 ? [0, 1, 2] : [2, 0, 1];
    order.forEach((which, step) => {
      const at = 200 + datagram * 380 + step * 1000;
      placements.set(at, [...(placements.get(at) ?? []), { datagram, fragment: encapsulate(fragments[which], { linkType: 1 }) }]);
    });
  }

  const completeFrames: number[][] = Array.from({ length: COMPLETE }, () => []);
  let frame = 0;
  const bytes = captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    const write = (data: Uint8Array, train: number): void => {
      frame++;
      writer.write({ seconds: 1_700_000_000 + Math.floor(train / 2000), nanos: (train % 2000) * 1000, data });
    };
    for (let train = 0; train < FLOOD_TRAINS; train++) {
      for (const { datagram, fragment } of placements.get(train) ?? []) {
        write(fragment, train);
        completeFrames[datagram].push(frame);
      }
      write(floodFrame(train), train);
      if (train % (FLOOD_TRAINS / TINY_TRAINS) === 0) {
        const tiny = train / (FLOOD_TRAINS / TINY_TRAINS);
        for (let index = 0; index < TINY_FRAGMENTS; index++) write(tinyFrame(tiny, index), train);
      }
    }
  });
  return { bytes, completeFrames };
}

describe('a fragment flood', () => {
  const flood = buildFlood();
  const path = file('flood.pcap');
  writeFileSync(path, flood.bytes);
  const totalFrames = FLOOD_TRAINS + TINY_TRAINS * TINY_FRAGMENTS + 3 * COMPLETE;

  it('costs bounded memory and time, and every complete datagram is still reassembled', async () => {
    expect(flood.bytes.length).toBeGreaterThan(36_000_000);
    const run = await runCli(['dissect', '--json', path]);
    expect(run.status).toBe(0);
    expect(lines(run.stderr)).toEqual([`teredoscope: ${path}: ${totalFrames} frames, ${COMPLETE} Teredo packets (pcap)`]);
    const packets = lines(run.stdout).map((line) => JSON.parse(line) as { frame: number; kind: string; fragmentFrames: number[]; icmp: { echo: { sequence: number; data: string } } });
    expect(packets.map((packet) => packet.kind)).toEqual(new Array(COMPLETE).fill('echo-request'));
    expect(packets.map((packet) => packet.fragmentFrames)).toEqual(flood.completeFrames);
    expect(packets.map((packet) => packet.frame)).toEqual(flood.completeFrames.map((frames) => frames[2]));
    expect(packets.map((packet) => packet.icmp.echo.sequence)).toEqual(Array.from({ length: COMPLETE }, (_, i) => i));
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  }, 180_000);

  it('analyze sees the 60 packets of the client, in bounded memory', async () => {
    const run = await runCli(['analyze', '--format', 'json', path]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { captures: { packets: number; teredoPackets: number }[] };
    expect(report.captures[0]).toMatchObject({ packets: totalFrames, teredoPackets: COMPLETE });
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  }, 180_000);
});
