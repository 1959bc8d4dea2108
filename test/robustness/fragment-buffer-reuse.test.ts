import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';
import { buildIpv4Udp, encapsulate, fragmentIpv4 } from '../../src/synth/frame-builder.js';

/*
 * Regression: the reassembler kept fragment payloads with `bytes.slice()`, which on a Node Buffer
 * (what the file reader hands out) is a view, not a copy. The reader recycles its read buffers, so
 * a fragment buffered while later chunks were read was overwritten before its train completed.
 */

const directory = mkdtempSync(join(tmpdir(), 'teredoscope-robustness-fragments-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + 3) & 0xff);

function captureWithDistantFragments(): Uint8Array {
  const packet = buildIpv4Udp({ srcIp: 0x01020304, dstIp: 0x05060708, srcPort: 1000, dstPort: 2000, payload, id: 77 });
  const fragments = fragmentIpv4(packet, 1480).map((fragment) => encapsulate(fragment, { linkType: 1 }));
  const filler = encapsulate(buildIpv4Udp({ srcIp: 9, dstIp: 10, srcPort: 1, dstPort: 2, payload: new Uint8Array(1400).fill(0xee) }), { linkType: 1 });
  return captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    const write = (data: Uint8Array): void => writer.write({ seconds: 1, nanos: 0, data });
    // The first fragment lands in a chunk after the first (which the reader copies anyway), and
    // more than two 1 MiB chunks of other traffic pass before the train completes.
    for (let i = 0; i < 1000; i++) write(filler);
    write(fragments[0]);
    for (let i = 0; i < 3000; i++) write(filler);
    for (const fragment of fragments.slice(1)) write(fragment);
  });
}

describe('fragments buffered across reader chunks', () => {
  it('are reassembled from their own bytes, not from a recycled read buffer', async () => {
    const path = join(directory, 'distant-fragments.pcap');
    await writeCaptureFile(path, captureWithDistantFragments());
    const decoder = new PacketDecoder();
    const rebuilt: Uint8Array[] = [];
    await readCapture(path, (record) => {
      const datagram = decoder.decode(record);
      if (datagram !== null && datagram.fragmentFrames.length > 0) {
        rebuilt.push(datagram.buffer.slice(datagram.payloadOffset, datagram.payloadOffset + datagram.payloadLength));
      }
    });
    expect(decoder.stats).toMatchObject({ fragments: 3, reassembled: 1, malformed: 0 });
    expect(rebuilt).toHaveLength(1);
    expect(Buffer.from(rebuilt[0]).equals(Buffer.from(payload))).toBe(true);
  });
});
