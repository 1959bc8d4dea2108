import { describe, expect, it } from 'vitest';
import { TeredoDissector } from '../../src/teredo/dissector.js';
import { clonePacket } from '../../src/teredo/packet-copy.js';
import { formatIpv6 } from '../../src/decode/ip-address.js';
import { realDatagram, WIRESHARK_BUBBLE_TO_RELAY, WIRESHARK_RA, WIRESHARK_RS } from './support/real-payloads.js';

describe('packet ownership', () => {
  it('dissectInPlace hands out one reused packet, rewritten by each call', () => {
    const dissector = new TeredoDissector();
    const rs = dissector.dissectInPlace(realDatagram(WIRESHARK_RS, { frame: 1 }));
    expect(rs).not.toBeNull();
    const rsSource = formatIpv6(rs!.ipv6.src);
    const rsKind = rs!.kind;
    const bubble = dissector.dissectInPlace(realDatagram(WIRESHARK_BUBBLE_TO_RELAY, { frame: 2 }));
    expect(bubble).toBe(rs);
    expect(bubble!.frame).toBe(2);
    expect(bubble!.kind).toBe('bubble');
    expect(rsKind).toBe('router-solicitation');
    expect(formatIpv6(bubble!.ipv6.src)).not.toBe(rsSource);
  });

  it('dissect returns packets that later calls leave alone, equal to the in-place result', () => {
    const owned = new TeredoDissector();
    const inPlace = new TeredoDissector();
    const inputs = [WIRESHARK_RS, WIRESHARK_RA, WIRESHARK_BUBBLE_TO_RELAY];
    const kept = inputs.map((payload, i) => owned.dissect(realDatagram(payload, { frame: i + 1 })));
    const snapshots = inputs.map((payload, i) => clonePacket(inPlace.dissectInPlace(realDatagram(payload, { frame: i + 1 }))!));
    expect(new Set(kept).size).toBe(3);
    expect(kept).toEqual(snapshots);
    expect(kept.map((p) => p?.kind)).toEqual(['router-solicitation', 'router-advertisement', 'bubble']);
    expect(kept[0]!.ipv6.src).not.toBe(kept[1]!.ipv6.src);
  });

  it('clonePacket copies every part the dissector rewrites in place', () => {
    const dissector = new TeredoDissector();
    const reused = dissector.dissectInPlace(realDatagram(WIRESHARK_RS, { frame: 1 }))!;
    const copy = clonePacket(reused);
    for (const part of ['time', 'outer', 'ipv6'] as const) expect(copy[part]).not.toBe(reused[part]);
    expect(copy.ipv6.src).not.toBe(reused.ipv6.src);
    expect(copy.ipv6.dst).not.toBe(reused.ipv6.dst);
    const before = JSON.stringify({ ...copy, ipv6: { ...copy.ipv6, src: [...copy.ipv6.src], dst: [...copy.ipv6.dst] } });
    dissector.dissectInPlace(realDatagram(WIRESHARK_BUBBLE_TO_RELAY, { frame: 9 }));
    const after = JSON.stringify({ ...copy, ipv6: { ...copy.ipv6, src: [...copy.ipv6.src], dst: [...copy.ipv6.dst] } });
    expect(after).toBe(before);
  });
});
