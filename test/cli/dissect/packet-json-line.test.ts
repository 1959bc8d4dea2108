import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packetJsonLine } from '../../../src/cli/dissect/packet-json-line.js';
import { packetToJson } from '../../../src/cli/dissect/packet-json.js';
import { streamTeredoPackets } from '../../../src/cli/teredo-stream.js';
import { sampleWithMalformed } from '../../support/capture-with-malformed.js';

function captures(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.pcap(ng)?(\.gz)?$/.test(name))
    .map((name) => `${dir}/${name}`);
}

/** The template path must give, byte for byte, what stringifying the packet's object gives. */
describe('packetJsonLine', () => {
  const files = [...captures('fixtures/real'), ...captures('fixtures/real/miredo'), ...captures('fixtures/synthetic/scenarios')];

  it.each(files)('%s: every line equals JSON.stringify(packetToJson(…))', async (file) => {
    // A name with characters JSON escapes, to check the file field too.
    const name = `dir "quoted"\\${file}\u2028`;
    const fileJson = JSON.stringify(name);
    let templated = 0;
    await streamTeredoPackets(file, (packet) => {
      const line = packetJsonLine(packet, name, fileJson);
      expect(line).toBe(JSON.stringify(packetToJson(packet, name)));
      if (packet.kind === 'data' || packet.kind === 'bubble') templated++;
    });
    if (file.includes('wireshark-teredo')) expect(templated).toBeGreaterThan(10);
  });

  it('the sample with malformed datagrams between its packets', async () => {
    const file = await sampleWithMalformed();
    let lines = 0;
    await streamTeredoPackets(file, (packet) => {
      expect(packetJsonLine(packet, file, JSON.stringify(file))).toBe(JSON.stringify(packetToJson(packet, file)));
      lines++;
    });
    expect(lines).toBe(29);
  });
});
