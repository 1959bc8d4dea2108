import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/reader.js';
import { formatIpv4 } from '../../src/decode/ip-address.js';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';

const FIXTURES = new URL('../../fixtures/real/', import.meta.url);
const EXPECTED = new URL('./expected/', import.meta.url);

/** Decodes a whole capture; one "frame src sport dst dport" line per datagram. */
async function decodeCapture(name: string): Promise<{ lines: string[]; decoder: PacketDecoder }> {
  const decoder = new PacketDecoder();
  const lines: string[] = [];
  await readCapture(new URL(`${name}.pcap`, FIXTURES).pathname, (record) => {
    const datagram = decoder.decode(record);
    if (datagram !== null) {
      lines.push([datagram.frame, formatIpv4(datagram.srcIp), datagram.srcPort, formatIpv4(datagram.dstIp), datagram.dstPort].join('\t'));
    }
  });
  return { lines, decoder };
}

/** tshark's view (see the command in each file's first line), innermost layer of each field. */
function tsharkLines(name: string): string[] {
  return readFileSync(new URL(`${name}.udp.tsv`, EXPECTED), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('real captures', () => {
  it('wireshark-teredo.pcap: every UDP/IPv4 datagram tshark sees, in all 78 frames', async () => {
    const { lines, decoder } = await decodeCapture('wireshark-teredo');
    const expected = tsharkLines('wireshark-teredo');
    expect(expected).toHaveLength(45);
    expect(lines).toEqual(expected);
    expect(lines.filter((line) => line.split('\t').some((field, i) => (i === 2 || i === 4) && field === '3797')).length).toBe(29);
    expect(decoder.stats).toMatchObject({ frames: 78, ipv4: 78, udp: 45, other: 33, malformed: 0, ipv6: 0, fragments: 0, tunnels: 0 });
  });

  it('zeek-gtp-teredo.pcap: all 10 frames come out as the inner UDP/IPv4 datagram of GTP-U', async () => {
    const { lines, decoder } = await decodeCapture('zeek-gtp-teredo');
    const expected = tsharkLines('zeek-gtp-teredo');
    expect(expected).toHaveLength(10);
    expect(lines).toEqual(expected);
    expect(decoder.stats).toMatchObject({ frames: 10, udp: 10, tunnels: 10, malformed: 0 });
  });

  it('zeek-teredo-udp-in-udp.pcap: UDP over IPv6 yields nothing and does not crash', async () => {
    const { lines, decoder } = await decodeCapture('zeek-teredo-udp-in-udp');
    expect(lines).toEqual([]);
    expect(tsharkLines('zeek-teredo-udp-in-udp')).toEqual([]);
    expect(decoder.stats).toMatchObject({ frames: 1, ipv6: 1, udp: 0, malformed: 0 });
  });

  it.each(['zeek-teredo-bubble-with-payload', 'snort-teredo-tcp'])('%s.pcap: the same datagrams as tshark', async (name) => {
    const { lines } = await decodeCapture(name);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines).toEqual(tsharkLines(name));
  });
});
