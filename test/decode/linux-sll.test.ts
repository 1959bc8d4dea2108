import { describe, expect, it } from 'vitest';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { decodeLinuxSll } from '../../src/decode/linux-sll.js';
import { ETHERTYPE_IPV4, NEXT_MALFORMED, NEXT_UNKNOWN } from '../../src/decode/next-layer.js';
import { encapsulate } from '../../src/synth/frame-builder.js';
import { decodeOne, framed, ipv6Packet, payloadOf, teredoLikeSpec } from './support/frames.js';

describe('Linux cooked capture v1 (113)', () => {
  it('decodes UDP/IPv4 after the 16-byte header', () => {
    const spec = teredoLikeSpec();
    const { datagram, decoder } = decodeOne(framed(spec, { linkType: 113 }), 113);
    expect(datagram!.payloadOffset).toBe(16 + 28);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
    expect(decoder.stats).toMatchObject({ ipv4: 1, udp: 1 });
  });

  it('counts IPv6', () => {
    const { datagram, decoder } = decodeOne(encapsulate(ipv6Packet(), { linkType: 113 }), 113);
    expect(datagram).toBeNull();
    expect(decoder.stats.ipv6).toBe(1);
  });

  it('follows a VLAN tag left in the protocol field', () => {
    const inner = framed(teredoLikeSpec(), { linkType: 113 });
    const frame = new Uint8Array(inner.length + 4);
    frame.set(inner.subarray(0, 14));
    frame.set([0x81, 0x00, 0x00, 0x2a, 0x08, 0x00], 14);
    frame.set(inner.subarray(16), 20);
    expect(decodeOne(frame, 113).datagram).not.toBeNull();
  });

  it('does not read netlink or pseudo-protocols as ethertypes', () => {
    const frame = framed(teredoLikeSpec(), { linkType: 113 });
    const cursor = new LayerCursor();
    const netlink = frame.slice();
    netlink[2] = 0x03;
    netlink[3] = 0x38; // ARPHRD_NETLINK 824
    cursor.reset(netlink, 0, netlink.length, false);
    expect(decodeLinuxSll(cursor)).toBe(NEXT_UNKNOWN);
    const llc = frame.slice();
    llc[14] = 0x00;
    llc[15] = 0x04; // ETH_P_802_2
    cursor.reset(llc, 0, llc.length, false);
    expect(decodeLinuxSll(cursor)).toBe(NEXT_UNKNOWN);
    cursor.reset(frame, 0, frame.length, false);
    expect(decodeLinuxSll(cursor)).toBe(ETHERTYPE_IPV4);
    cursor.reset(frame, 0, 15, false);
    expect(decodeLinuxSll(cursor)).toBe(NEXT_MALFORMED);
  });
});
