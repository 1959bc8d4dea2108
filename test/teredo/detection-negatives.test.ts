import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { teredoDatagram } from '../../src/synth/teredo-datagram.js';
import { hexBytes } from '../../src/synth/teredo-hex.js';
import { bubble, echo } from '../../src/synth/teredo-payload.js';
import { TeredoDissector } from '../../src/teredo/dissector.js';
import { realDatagram, ZEEK_UDP_IN_UDP } from './support/real-payloads.js';

const ip4 = (text: string): number => parseIpv4(text)!;
const CLIENT = parseIpv6('2001:0:4137:9e50:8000:f12a:b9c8:2815')!;
const NATIVE = parseIpv6('2001:4860:0:2001::68')!;
const HOSTS = { srcIp: ip4('192.168.2.16'), dstIp: ip4('192.168.2.1') };

/** DNS query and answer for ipv6.google.com, from wireshark-teredo.pcap frames 21 and 22. */
const DNS_QUERY = hexBytes('426301000001000000000000046970763606676f6f676c6503636f6d00001c0001');
const DNS_ANSWER = hexBytes(
  '426381800001000200070007046970763606676f6f676c6503636f6d00001c0001046970763606676f6f676c6503636f6d0000050001000021cf00090469707636016cc026c03c001c00010000012c001020014860000020010000000000000068',
);
/** A QUIC v1 Initial header start (long header, version 1, 8-byte DCID) padded like a real Initial. */
const QUIC_INITIAL = (() => {
  const bytes = new Uint8Array(1200);
  bytes.set(hexBytes('c300000001088394c8f03e5157080000449e'), 0);
  return bytes;
})();

function run(payload: Uint8Array, ports: { srcPort: number; dstPort: number }) {
  const reasons: string[] = [];
  const dissector = new TeredoDissector({ onMalformed: (_frame, reason) => reasons.push(reason) });
  const packet = dissector.dissect(teredoDatagram(payload, { ...HOSTS, ...ports }));
  return { packet, reasons, stats: dissector.stats };
}

describe('ordinary UDP is not Teredo', () => {
  it('DNS on port 53 is ignored silently', () => {
    for (const payload of [DNS_QUERY, DNS_ANSWER]) {
      const { packet, reasons, stats } = run(payload, { srcPort: 1030, dstPort: 53 });
      expect(packet).toBeNull();
      expect(reasons).toEqual([]);
      expect(stats).toMatchObject({ examined: 1, teredo: 0, malformed: 0 });
    }
  });

  it('DNS on port 3544 is not Teredo but is reported as malformed Teredo', () => {
    const { packet, reasons, stats } = run(DNS_QUERY, { srcPort: 3544, dstPort: 53 });
    expect(packet).toBeNull();
    expect(stats.malformed).toBe(1);
    expect(reasons).toEqual(['neither a Teredo element nor IPv6 (first bytes 0x4263)']);
    // A DNS ID that starts with 00 01 looks like an auth element until its lengths are checked.
    const lookalike = DNS_ANSWER.slice();
    lookalike[0] = 0;
    lookalike[1] = 1;
    const second = run(lookalike, { srcPort: 53, dstPort: 3544 });
    expect(second.packet).toBeNull();
    expect(second.reasons).toHaveLength(1);
  });

  it('QUIC Initial and short-header packets (first byte 0x4X–0x7X) are ignored', () => {
    expect(run(QUIC_INITIAL, { srcPort: 50000, dstPort: 443 }).packet).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0x40, max: 0x7f }), fc.uint8Array({ minLength: 20, maxLength: 1400 }), (first, rest) => {
        const payload = new Uint8Array(rest.length + 1);
        payload[0] = first;
        payload.set(rest, 1);
        const { packet, reasons } = run(payload, { srcPort: 443, dstPort: 50000 });
        expect(packet).toBeNull();
        expect(reasons).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes are never Teredo, on any port, and never throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(53, 443, 3544, 3797, 32900, 65535),
        fc.integer({ min: 0, max: 65535 }),
        (payload, portA, portB) => {
          const { packet } = run(payload, { srcPort: portA, dstPort: portB });
          expect(packet).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a payload starting 0x6X with an inconsistent Payload Length is null, and malformed only on 3544', () => {
    const packet = echo({ request: true, src: CLIENT, dst: NATIVE, identifier: 1, sequence: 1, data: new Uint8Array(4) });
    packet[5] = 81;
    const quiet = run(packet, { srcPort: 40000, dstPort: 50000 });
    expect(quiet.packet).toBeNull();
    expect(quiet.reasons).toEqual([]);
    expect(quiet.stats.malformed).toBe(0);
    const loud = run(packet, { srcPort: 40000, dstPort: 3544 });
    expect(loud.packet).toBeNull();
    expect(loud.reasons).toEqual(['ipv6 payload length 81 exceeds the 12 bytes left']);
  });

  it('a valid-looking IPv6 packet without a Teredo address needs port or endpoint evidence', () => {
    const plain = bubble({ src: NATIVE, dst: parseIpv6('2001:db8::1')! });
    expect(run(plain, { srcPort: 40000, dstPort: 50000 }).packet).toBeNull();
    expect(run(plain, { srcPort: 40000, dstPort: 3544 }).packet?.kind).toBe('bubble');
  });

  it('rejects an unknown Next Header without port evidence', () => {
    const weird = bubble({ src: CLIENT, dst: NATIVE });
    weird[6] = 253;
    expect(run(weird, { srcPort: 40000, dstPort: 50000 }).packet).toBeNull();
    expect(run(weird, { srcPort: 40000, dstPort: 3544 }).packet?.data?.protocol).toBe(253);
  });

  it("Zeek's udp-in-udp false Teredo yields nothing, and on port 3544 it is reported", () => {
    const quiet = run(hexBytes(ZEEK_UDP_IN_UDP.hex), { srcPort: 25977, dstPort: 25964 });
    expect(quiet.packet).toBeNull();
    expect(quiet.reasons).toEqual([]);
    const reasons: string[] = [];
    const dissector = new TeredoDissector({ onMalformed: (_f, reason) => reasons.push(reason) });
    expect(dissector.dissect(realDatagram(ZEEK_UDP_IN_UDP, { dstPort: 3544 }))).toBeNull();
    expect(reasons).toEqual(['inner ::38:5f55:6265:726b -> 2090:9090:9090:9090:9090:9000:: is neither Teredo-addressed nor a Teredo message']);
  });

  it('survives datagrams whose payload window runs past the buffer', () => {
    const d = teredoDatagram(bubble({ src: CLIENT, dst: NATIVE }), { ...HOSTS, srcPort: 1, dstPort: 3544 });
    d.payloadLength += 100;
    expect(new TeredoDissector().dissect(d)?.kind).toBe('bubble');
    d.payloadOffset = d.buffer.length + 5;
    expect(new TeredoDissector().dissect(d)).toBeNull();
  });
});
