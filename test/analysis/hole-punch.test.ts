import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { formatIpv6 } from '../../src/decode/ip-address.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { packet, ra, rs, teredo } from './support/packet-factory.js';
import { CLIENT, HOST, MAPPED, ME, P, RELAY, RELAY_LL, S } from './support/sample-network.js';

function analyze(packets: TeredoPacket[], end?: TeredoPacket): AnalysisResult {
  const analyzer = new TeredoAnalyzer();
  for (const p of packets) analyzer.add(p);
  if (end !== undefined) analyzer.add(end);
  return analyzer.finish();
}

const qualification = (): TeredoPacket[] => [rs(6, 5.61, CLIENT, P, 'cd5669400b22df88', true), ra(7, 5.73, S, CLIENT, 'cd5669400b22df88', MAPPED, P, true)];
const test = (frame: number, t: number): TeredoPacket => packet({ frame, t, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: HOST });
const relayBubble = (frame: number, t: number): TeredoPacket => packet({ frame, t, from: `${P}:3544`, to: CLIENT, kind: 'bubble', src: RELAY_LL, dst: ME, origin: RELAY });
const clientBubble = (frame: number, t: number): TeredoPacket => packet({ frame, t, from: CLIENT, to: RELAY, kind: 'bubble', src: ME, dst: RELAY_LL });
const reply = (frame: number, t: number): TeredoPacket => packet({ frame, t, from: RELAY, to: CLIENT, kind: 'echo-reply', src: HOST, dst: ME });
const data = (frame: number, t: number): TeredoPacket => packet({ frame, t, from: CLIENT, to: RELAY, kind: 'data', src: ME, dst: HOST });

describe('relay discovery and hole punching', () => {
  it('follows test → relay bubble via the server → client bubble → delivery (wireshark-teredo frames 30–33)', () => {
    const result = analyze([
      ...qualification(),
      packet({ frame: 29, t: 14.2373, from: CLIENT, to: RELAY, kind: 'bubble', src: ME, dst: HOST }),
      test(30, 14.23737),
      relayBubble(31, 14.539526),
      clientBubble(32, 14.539713),
      reply(33, 14.700985),
      data(34, 14.72),
    ]);
    const client = result.clients.get(0);
    expect(client.teredoAddress).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815');
    expect(client.relays).toEqual([{ endpoint: { address: 0x53aa0126, port: 32900 }, ipv6: RELAY_LL }]);
    expect(client.holePunches).toHaveLength(1);
    expect(client.holePunches[0]).toMatchObject({ peer: HOST, path: 'relay', outcome: 'success', missingStep: null, frames: [30, 31, 32, 33] });
    expect(client.holePunches[0].latencyMs).toBeCloseTo(463.615, 3);
    expect(result.findings).toEqual([]);
  });

  it('missing relay: tests retried after their timeout are rounds the client gave up on, each a failure (issue 12, defect 2)', () => {
    const result = analyze([...qualification(), test(10, 20), test(11, 22), test(12, 24)], rs(13, 40, CLIENT, P, '0000000000000009', true));
    const client = result.clients.get(0);
    expect(client.holePunches.map((p) => [p.outcome, p.missingStep, p.relay, p.frames])).toEqual([
      ['failed', 'relay-bubble', null, [10]],
      ['failed', 'relay-bubble', null, [11]],
      ['failed', 'relay-bubble', null, [12]],
    ]);
    expect(result.findings.map((f) => [f.kind, f.severity, f.frames])).toEqual([
      ['missing-relay', 'error', [10]],
      ['missing-relay', 'error', [11]],
      ['missing-relay', 'error', [12]],
    ]);
    expect(result.findings[0].message).toContain('try 1, abandoned when the client retried at frame 11');
  });

  it('failed twice, third try cut off by the end of the capture: two failures and one pending round', () => {
    const result = analyze([...qualification(), test(10, 20), test(11, 22), test(12, 24)], rs(13, 25, CLIENT, P, '0000000000000009', true));
    expect(result.clients.get(0).holePunches.map((p) => p.outcome)).toEqual(['failed', 'failed', 'pending']);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['missing-relay@10', 'missing-relay@11']);
  });

  it('copies of a test closer together than a retry timeout are one round', () => {
    const result = analyze([...qualification(), test(10, 20), test(11, 20.5), relayBubble(12, 20.6), clientBubble(13, 20.7), reply(14, 20.8)]);
    expect(result.clients.get(0).holePunches.map((p) => [p.outcome, p.frames.join(',')])).toEqual([['success', '10,11,12,13,14']]);
  });

  it('relay never delivers after the client punched', () => {
    const result = analyze([...qualification(), test(10, 20), relayBubble(11, 20.2), clientBubble(12, 20.3), clientBubble(13, 22.3)], rs(14, 40, CLIENT, P, '0000000000000009', true));
    expect(result.clients.get(0).holePunches[0]).toMatchObject({ outcome: 'failed', missingStep: 'relay-delivery' });
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['hole-punch-failed@10,11,12,13']);
  });

  it('the client never answers the relay bubble', () => {
    const result = analyze([...qualification(), test(10, 20), relayBubble(11, 20.2)], rs(14, 40, CLIENT, P, '0000000000000009', true));
    expect(result.clients.get(0).holePunches[0]).toMatchObject({ outcome: 'failed', missingStep: 'client-bubble' });
    expect(result.findings.map((f) => f.kind)).toEqual(['hole-punch-failed']);
  });

  it('an attempt cut off by the end of the capture is pending, not failed', () => {
    const result = analyze([...qualification(), test(10, 20), relayBubble(11, 20.2), clientBubble(12, 20.3)]);
    expect(result.clients.get(0).holePunches[0]).toMatchObject({ outcome: 'pending', missingStep: null });
    expect(result.findings).toEqual([]);
  });

  it('a host that is its own relay (6to4 source from its own IPv4) is host-specific', () => {
    const host = '2002:c000:221::1';
    const result = analyze([
      ...qualification(),
      packet({ frame: 10, t: 20, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: host }),
      packet({ frame: 11, t: 20.1, from: '192.0.2.33:40000', to: CLIENT, kind: 'echo-reply', src: host, dst: ME }),
    ]);
    expect(result.clients.get(0).holePunches[0]).toMatchObject({ outcome: 'success', path: 'host-specific', frames: [10, 11] });
  });
});

describe('client-to-client', () => {
  const PEER_MAPPED = '203.0.113.20:50000';
  const PEER = teredo('94.245.121.253', PEER_MAPPED);

  it('direct + indirect bubbles, then a packet straight from the peer', () => {
    const result = analyze([
      ...qualification(),
      packet({ frame: 10, t: 20, from: CLIENT, to: PEER_MAPPED, kind: 'bubble', src: ME, dst: PEER }),
      packet({ frame: 11, t: 20, from: CLIENT, to: '94.245.121.253:3544', kind: 'bubble', src: ME, dst: PEER }),
      packet({ frame: 12, t: 20.2, from: PEER_MAPPED, to: CLIENT, kind: 'bubble', src: PEER, dst: ME }),
      packet({ frame: 13, t: 20.3, from: CLIENT, to: PEER_MAPPED, kind: 'data', src: ME, dst: PEER }),
    ]);
    const client = result.clients.get(0);
    expect(result.clients.size).toBe(1);
    expect(client.holePunches).toEqual([{ peer: formatIpv6(PEER), path: 'direct', relay: null, outcome: 'success', missingStep: null, latencyMs: 200, frames: [10, 11, 12] }]);
    expect(result.findings).toEqual([]);
  });

  it('bubbles never answered by the peer', () => {
    const result = analyze(
      [
        ...qualification(),
        packet({ frame: 10, t: 20, from: CLIENT, to: PEER_MAPPED, kind: 'bubble', src: ME, dst: PEER }),
        packet({ frame: 11, t: 20, from: CLIENT, to: '94.245.121.253:3544', kind: 'bubble', src: ME, dst: PEER }),
        packet({ frame: 12, t: 22, from: CLIENT, to: PEER_MAPPED, kind: 'bubble', src: ME, dst: PEER }),
      ],
      rs(13, 40, CLIENT, P, '0000000000000009', true),
    );
    // The direct bubble again at 22 s is a second round: the client gave up on the first.
    expect(result.clients.get(0).holePunches.map((p) => [p.outcome, p.missingStep])).toEqual([
      ['failed', 'peer-reply'],
      ['failed', 'peer-reply'],
    ]);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['hole-punch-failed@10,11', 'hole-punch-failed@12']);
  });
});

describe('source address checks', () => {
  it('outside the NAT: a Teredo source not embedding the outer socket is an address mismatch', () => {
    const m = '198.51.100.7:40000';
    const me = teredo(P, m);
    const result = analyze([
      rs(1, 0, m, P, '0000000000000001'),
      ra(2, 0.1, P, m, '0000000000000001', m),
      packet({ frame: 3, t: 1, from: m, to: RELAY, kind: 'data', src: me, dst: HOST }),
      packet({ frame: 4, t: 2, from: '198.51.100.7:40999', to: RELAY, kind: 'data', src: me, dst: HOST }),
    ]);
    expect(result.clients.size).toBe(1);
    expect(result.clients.get(0).endpoints).toHaveLength(2);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['address-mismatch@4']);
  });

  it('inside the NAT: compared with the mapping the RA reported', () => {
    const me = teredo(P, MAPPED, true);
    const stale = teredo(P, '70.55.215.234:4000', true);
    const result = analyze([
      ...qualification(),
      packet({ frame: 8, t: 6, from: CLIENT, to: RELAY, kind: 'data', src: me, dst: HOST }),
      packet({ frame: 9, t: 7, from: CLIENT, to: RELAY, kind: 'data', src: stale, dst: HOST }),
    ]);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['address-mismatch@9']);
  });
});
