import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { parseIpv4 } from '../../src/decode/ip-address.js';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';

/**
 * The Wireshark sample with a datagram to UDP 3544 that is not Teredo after every fifth frame:
 * a capture whose dissection interleaves packets with malformed-datagram reports.
 */
export async function sampleWithMalformed(): Promise<string> {
  const frames: { seconds: number; nanos: number; data: Uint8Array }[] = [];
  await readCapture('fixtures/real/wireshark-teredo.pcap', (r) => {
    frames.push({ seconds: r.seconds, nanos: r.nanos, data: Uint8Array.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)) });
  });
  const junk = encapsulate(
    buildIpv4Udp({ srcIp: parseIpv4('192.0.2.1')!, dstIp: parseIpv4('65.55.158.80')!, srcPort: 5000, dstPort: 3544, payload: new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x05]) }),
    { linkType: 1 },
  );
  const bytes = captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    frames.forEach((frame, index) => {
      writer.write(frame);
      if (index % 5 === 4) writer.write({ seconds: frame.seconds, nanos: frame.nanos, data: junk });
    });
  });
  const path = join(mkdtempSync(join(tmpdir(), 'teredoscope-malformed-')), 'sample-with-malformed.pcap');
  await writeCaptureFile(path, bytes);
  return path;
}
