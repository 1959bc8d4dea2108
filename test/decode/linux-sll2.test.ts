import { describe, expect, it } from 'vitest';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { decodeLinuxSll2 } from '../../src/decode/linux-sll2.js';
import { ETHERTYPE_IPV4, NEXT_MALFORMED, NEXT_UNKNOWN } from '../../src/decode/next-layer.js';
import { encapsulate } from '../../src/synth/frame-builder.js';
import { decodeOne, framed, ipv6Packet, payloadOf, teredoLikeSpec } from './support/frames.js';

describe('Linux cooked capture v2 (276)', () => {
  it('decodes UDP/IPv4 after the 20-byte header', () => {
    const spec = teredoLikeSpec();
    const { datagram } = decodeOne(framed(spec, { linkType: 276 }), 276);
    expect(datagram!.payloadOffset).toBe(20 + 28);
    expect(payloadOf(datagram!)).toEqual(spec.payload);
  });

  it('reads the protocol from the first two bytes, not where v1 has it', () => {
    const frame = framed(teredoLikeSpec(), { linkType: 276 });
    const cursor = new LayerCursor();
    cursor.reset(frame, 0, frame.length, false);
    expect(decodeLinuxSll2(cursor)).toBe(ETHERTYPE_IPV4);
    expect(cursor.offset).toBe(20);
    const arp = frame.slice();
    arp[0] = 0x08;
    arp[1] = 0x06;
    cursor.reset(arp, 0, arp.length, false);
    expect(decodeLinuxSll2(cursor)).toBe(0x0806);
    expect(decodeOne(arp, 276).decoder.stats.other).toBe(1);
    const netlink = frame.slice();
    netlink[8] = 0x03;
    netlink[9] = 0x38;
    cursor.reset(netlink, 0, netlink.length, false);
    expect(decodeLinuxSll2(cursor)).toBe(NEXT_UNKNOWN);
    cursor.reset(frame, 0, 19, false);
    expect(decodeLinuxSll2(cursor)).toBe(NEXT_MALFORMED);
  });

  it('counts IPv6', () => {
    expect(decodeOne(encapsulate(ipv6Packet(), { linkType: 276 }), 276).decoder.stats.ipv6).toBe(1);
  });
});
