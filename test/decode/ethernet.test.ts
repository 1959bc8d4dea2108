import { describe, expect, it } from 'vitest';
import { decodeEthernet, decodeVlanTag, isVlanTpid } from '../../src/decode/ethernet.js';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { ETHERTYPE_IPV4, NEXT_MALFORMED, NEXT_UNKNOWN } from '../../src/decode/next-layer.js';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import { CLIENT, decodeOne, framed, ipv6Packet, payloadOf, recordFor, SERVER, teredoLikeSpec } from './support/frames.js';

describe('Ethernet analyzer', () => {
  it('returns the ethertype and moves past the 14-byte header', () => {
    const frame = framed(teredoLikeSpec(), { linkType: 1 });
    const cursor = new LayerCursor();
    cursor.reset(frame, 0, frame.length, false);
    expect(decodeEthernet(cursor)).toBe(ETHERTYPE_IPV4);
    expect(cursor.offset).toBe(14);
  });

  it('reports a header shorter than 14 bytes as malformed', () => {
    const cursor = new LayerCursor();
    cursor.reset(new Uint8Array(13), 0, 13, false);
    expect(decodeEthernet(cursor)).toBe(NEXT_MALFORMED);
  });

  it('treats an 802.3 length field as a protocol it does not follow', () => {
    const frame = new Uint8Array(60);
    frame[12] = 0x00;
    frame[13] = 0x2e;
    const cursor = new LayerCursor();
    cursor.reset(frame, 0, frame.length, false);
    expect(decodeEthernet(cursor)).toBe(NEXT_UNKNOWN);
  });

  it('knows the three tag TPIDs', () => {
    expect([0x8100, 0x88a8, 0x9100].every(isVlanTpid)).toBe(true);
    expect(isVlanTpid(0x0800)).toBe(false);
    const cursor = new LayerCursor();
    cursor.reset(Uint8Array.of(0x00, 0x64, 0x08, 0x00), 0, 4, false);
    expect(decodeVlanTag(cursor)).toBe(ETHERTYPE_IPV4);
    cursor.reset(Uint8Array.of(0x00, 0x64, 0x08), 0, 3, false);
    expect(decodeVlanTag(cursor)).toBe(NEXT_MALFORMED);
  });
});

describe('PacketDecoder over Ethernet', () => {
  it('decodes an untagged UDP/IPv4 frame', () => {
    const spec = teredoLikeSpec();
    const { datagram, decoder } = decodeOne(framed(spec, { linkType: 1 }), 1);
    expect(datagram).not.toBeNull();
    expect(datagram!.srcIp).toBe(CLIENT);
    expect(datagram!.dstIp).toBe(SERVER);
    expect([datagram!.srcPort, datagram!.dstPort, datagram!.ttl]).toEqual([3797, 3544, 128]);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
    expect(datagram!.payloadOffset).toBe(14 + 20 + 8);
    expect(datagram!.fragmentFrames).toEqual([]);
    expect(datagram!.tunnelDepth).toBe(0);
    expect(decoder.stats).toMatchObject({ frames: 1, ipv4: 1, udp: 1, other: 0, malformed: 0 });
  });

  it.each([
    ['802.1Q', [{ tpid: 0x8100, id: 100 }]],
    ['802.1ad QinQ', [{ tpid: 0x88a8, id: 10 }, { tpid: 0x8100, id: 200 }]],
    ['legacy 0x9100 QinQ', [{ tpid: 0x9100, id: 7 }, { tpid: 0x8100, id: 8 }]],
    ['three stacked tags', [{ tpid: 0x88a8, id: 1 }, { tpid: 0x8100, id: 2 }, { tpid: 0x8100, id: 3 }]],
  ])('decodes through %s tags', (_name, vlanTags) => {
    const spec = teredoLikeSpec();
    const { datagram } = decodeOne(framed(spec, { linkType: 1, vlanTags }), 1);
    expect(datagram).not.toBeNull();
    expect(datagram!.payloadOffset).toBe(14 + 4 * vlanTags.length + 28);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });

  it('gives up on an absurd stack of tags as malformed', () => {
    const vlanTags = Array.from({ length: 9 }, (_, i) => ({ tpid: 0x8100, id: i }));
    const { datagram, decoder } = decodeOne(framed(teredoLikeSpec(), { linkType: 1, vlanTags }), 1);
    expect(datagram).toBeNull();
    expect(decoder.stats.malformed).toBe(1);
  });

  it('ignores Ethernet padding and FCS after the IP packet', () => {
    const spec = teredoLikeSpec({ payload: Uint8Array.of(1, 2) });
    const frame = framed(spec, { linkType: 1 });
    const padded = new Uint8Array(frame.length + 20).fill(0xee);
    padded.set(frame);
    const { datagram } = decodeOne(padded, 1);
    expect(payloadOf(datagram!)).toEqual(Uint8Array.of(1, 2));
  });

  it('counts IPv6 and returns null', () => {
    const { datagram, decoder } = decodeOne(encapsulate(ipv6Packet(), { linkType: 1 }), 1);
    expect(datagram).toBeNull();
    expect(decoder.stats).toMatchObject({ ipv6: 1, ipv4: 0, udp: 0 });
  });

  it('counts ARP and tagged ARP as other', () => {
    const arp = new Uint8Array(42);
    arp[12] = 0x08;
    arp[13] = 0x06;
    const tagged = new Uint8Array(46);
    tagged.set([0x81, 0x00, 0x00, 0x05, 0x08, 0x06], 12);
    const decoder = decodeOne(arp, 1).decoder;
    expect(decoder.decode(recordFor(tagged, 1, { frame: 2 }))).toBeNull();
    expect(decoder.stats.other).toBe(2);
  });

  it('reads the frame at the record offset inside a larger shared buffer', () => {
    const spec = teredoLikeSpec();
    const frame = encapsulate(buildIpv4Udp(spec), { linkType: 1 });
    const shared = new Uint8Array(frame.length + 100).fill(0xaa);
    shared.set(frame, 37);
    const { datagram } = decodeOne(shared, 1, { offset: 37, capturedLength: frame.length, originalLength: frame.length });
    expect(datagram!.buffer).toBe(shared);
    expect(datagram!.payloadOffset).toBe(37 + 42);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });
});

