import { describe, expect, it } from 'vitest';
import { frameNamer, frameReference, referenceCapture, referenceFrame } from '../../src/analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { formatEndpoint } from '../../src/analysis/endpoint.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { packet, ra, rs, teredo } from './support/packet-factory.js';
import { CLIENT, HOST, MAPPED, ME, P, RELAY, RELAY_LL, S } from './support/sample-network.js';

/** Several captures analysed as one timeline: packets in time order, frames as frame references. */

const ref = frameReference;

function analyze(packets: TeredoPacket[], names: string[] = []): ReturnType<TeredoAnalyzer['finish']> {
  const analyzer = new TeredoAnalyzer({ captureNames: names });
  for (const p of packets) analyzer.add(p);
  return analyzer.finish();
}

const socketsOf = (endpoints: { address: number; port: number }[]): string[] => endpoints.map((e) => formatEndpoint(e.address, e.port));

describe('frame references', () => {
  it('pack a capture and a frame into one number and back; capture 0 is the frame itself', () => {
    expect(ref(0, 31)).toBe(31);
    for (const [capture, frame] of [[0, 1], [1, 1], [7, 4_294_967_295], [2 ** 21 - 1, 123_456]]) {
      const r = ref(capture, frame);
      expect([referenceCapture(r), referenceFrame(r)]).toEqual([capture, frame]);
    }
    // Ascending references are ascending frames within each capture, captures in index order.
    const sorted = [ref(1, 2), ref(0, 40), ref(1, 1), ref(0, 3)].sort((a, b) => a - b);
    expect(sorted.map((r) => [referenceCapture(r), referenceFrame(r)])).toEqual([[0, 3], [0, 40], [1, 1], [1, 2]]);
  });

  it('name frames in messages: bare for one capture, file:frame for several', () => {
    expect(frameNamer()(ref(0, 12))).toBe('12');
    expect(frameNamer()(ref(1, 12))).toBe('12 (capture 2)');
    expect(frameNamer(['only.pcap'])(ref(0, 12))).toBe('12');
    expect(frameNamer(['a.pcap', 'b.pcap'])(ref(1, 12))).toBe('b.pcap:12');
  });
});

describe('one client across rotated captures', () => {
  it('pairs an RS in one capture with its RA in the next by nonce, and follows the hole punch on', () => {
    const result = analyze([
      rs(ref(0, 6), 5.61, CLIENT, P, 'cd5669400b22df88', true),
      ra(ref(1, 1), 5.73, S, CLIENT, 'cd5669400b22df88', MAPPED, P, true),
      packet({ frame: ref(1, 2), t: 14.23737, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: HOST }),
      packet({ frame: ref(1, 3), t: 14.539526, from: `${P}:3544`, to: CLIENT, kind: 'bubble', src: RELAY_LL, dst: ME, origin: RELAY }),
      packet({ frame: ref(2, 1), t: 14.539713, from: CLIENT, to: RELAY, kind: 'bubble', src: ME, dst: RELAY_LL }),
      packet({ frame: ref(2, 2), t: 14.700985, from: RELAY, to: CLIENT, kind: 'echo-reply', src: HOST, dst: ME }),
    ]);
    expect(result.clients.size).toBe(1);
    const client = result.clients.get(0);
    expect(client).toMatchObject({ natType: 'cone', qualified: true, capture: 0, firstFrame: 6, lastFrame: ref(2, 2), packets: 6 });
    expect(client.rsRaRoundTripMs).toBeCloseTo(120, 3);
    expect(client.holePunches).toEqual([expect.objectContaining({ outcome: 'success', frames: [ref(1, 2), ref(1, 3), ref(2, 1), ref(2, 2)] })]);
    expect(result.findings).toEqual([]);
    expect(result.captures.map((c) => c.teredoPackets)).toEqual([1, 3, 2]);
  });

  it('keeps a client idle-evicted at the end of one capture as the same client in the next', () => {
    const analyzer = new TeredoAnalyzer({ idleTimeoutSeconds: 10 });
    analyzer.add(rs(ref(0, 1), 0, CLIENT, P, '0000000000000001', true));
    analyzer.add(ra(ref(0, 2), 0.1, S, CLIENT, '0000000000000001', MAPPED, P, true));
    // Another client's traffic much later closes the first one out…
    analyzer.add(rs(ref(1, 1), 100, '192.168.2.99:5000', P, '0000000000000002', true));
    expect(analyzer.liveClients).toBe(1);
    // …which comes back in the next capture: revived, not duplicated.
    analyzer.add(rs(ref(1, 2), 130, CLIENT, P, '0000000000000003', true));
    const result = analyzer.finish();
    expect([...result.clients].map((c) => [c.id, c.capture, c.firstFrame, c.lastFrame, c.packets])).toEqual([
      [CLIENT, 0, 1, ref(1, 2), 3],
      ['192.168.2.99:5000', 1, ref(1, 1), ref(1, 1), 1],
    ]);
  });

  it('reports a finding spanning captures with frames of both, its filter for the first, and file names in messages', () => {
    const result = analyze(
      [
        rs(ref(0, 1), 0, CLIENT, P, '0000000000000001', true),
        ra(ref(0, 2), 0.1, S, CLIENT, '0000000000000001', MAPPED, P, true),
        rs(ref(1, 1), 30, CLIENT, P, '0000000000000002', true),
        ra(ref(1, 2), 30.1, S, CLIENT, '0000000000000002', '70.55.215.234:4000', P, true),
      ],
      ['ring_1.pcap', 'ring_2.pcap'],
    );
    const finding = result.findings.find((f) => f.kind === 'mapping-changed');
    expect(finding).toMatchObject({ capture: 0, frames: [ref(0, 2), ref(1, 2)], displayFilter: 'frame.number == 2' });
    expect(finding?.message).toContain('(frame ring_1.pcap:2)');
  });

  it('proves a symmetric NAT when the later packet sits in a capture with a lower index', () => {
    // Outside the NAT; capture 1 holds the earlier packets, capture 0 the later ones.
    const m = '198.51.100.7:40000';
    const me = teredo(P, m);
    const result = analyze([
      rs(ref(1, 1), 0, m, P, '0000000000000001'),
      ra(ref(1, 2), 0.1, P, m, '0000000000000001', m),
      packet({ frame: ref(1, 3), t: 1, from: '198.51.100.7:40999', to: RELAY, kind: 'data', src: me, dst: HOST }),
      packet({ frame: ref(0, 1), t: 2, from: m, to: RELAY, kind: 'data', src: me, dst: HOST }),
    ]);
    expect(result.clients.get(0).natType).toBe('symmetric');
    expect(result.findings.find((f) => f.kind === 'symmetric-nat')?.frames).toEqual([ref(0, 1), ref(1, 2), ref(1, 3)]);
  });
});

describe('captures inside and outside the same NAT', () => {
  it('gives one client per vantage point and never joins a socket seen outside to the client seen inside', () => {
    const inside = '192.168.1.10:40000';
    const outside = '203.0.113.7:40000';
    const me = teredo(P, outside);
    const result = analyze([
      rs(ref(0, 1), 0, inside, P, '0000000000000001'),
      rs(ref(1, 1), 0.001, outside, P, '0000000000000001'),
      ra(ref(1, 2), 0.1, P, outside, '0000000000000001', outside),
      ra(ref(0, 2), 0.101, P, inside, '0000000000000001', outside),
      packet({ frame: ref(0, 3), t: 1, from: inside, to: RELAY, kind: 'data', src: me, dst: HOST }),
      // The NAT gave the flow to the relay another port (symmetric): only the Teredo address links it.
      packet({ frame: ref(1, 3), t: 1.001, from: '203.0.113.7:50000', to: RELAY, kind: 'data', src: me, dst: HOST }),
    ]);
    const clients = [...result.clients].map((c) => ({ id: c.id, vantage: c.vantage, endpoints: socketsOf(c.endpoints), capture: c.capture, lastFrame: c.lastFrame, packets: c.packets }));
    expect(clients).toEqual([
      { id: inside, vantage: 'inside', endpoints: [inside], capture: 0, lastFrame: ref(0, 3), packets: 3 },
      { id: outside, vantage: 'outside', endpoints: [outside, '203.0.113.7:50000'], capture: 1, lastFrame: ref(1, 3), packets: 3 },
    ]);
    expect(result.clients.get(0).teredoAddress).toBe('2001:0:4137:9e50:0:63bf:34ff:8ef8');
    // Outside, the address only ever left from the other port: the address-mismatch evidence is the outside client's.
    expect(result.findings.map((f) => [f.kind, f.client, f.frames])).toEqual([['address-mismatch', outside, [ref(1, 3)]]]);
  });
});
