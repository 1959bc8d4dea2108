// Verdicts on real Miredo 1.2.6 captures taken at every vantage point of one exchange (issue 12):
// inside and outside the client's NAT, at the relay, at the server. fixtures/real/miredo/README.md
// lists the frames (scenarios "vantages" and "c2c-server"); record.sh recorded them.
import { describe, expect, it } from 'vitest';
import type { ClientSummary } from '../../src/analysis/client-summary.js';
import { formatEndpointKey } from '../../src/analysis/endpoint.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';
import { formatIpv6 } from '../../src/decode/ip-address.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { packet, ra, rs, teredo } from './support/packet-factory.js';
import { CLIENT, MAPPED, P } from './support/sample-network.js';
import { analyzeCapture } from './support/analyze-capture.js';

const DIR = 'fixtures/real/miredo/';
const RELAY = '198.51.100.20:3545';
/** The sample network's client address without the cone flag (Miredo's clients never claim cone). */
const ME_PLAIN = teredo(P, MAPPED);

const socket = (e: { address: number; port: number }): string => formatEndpointKey(e.address * 65536 + e.port);
const punches = (client: ClientSummary): string[] =>
  client.holePunches.map((p) => `${p.path}:${p.outcome}:${p.missingStep ?? '-'}:${p.relay === null ? '-' : socket(p.relay.endpoint)}@${p.frames.join(',')}`);

async function clientsOf(name: string): Promise<{ clients: ClientSummary[]; errors: string[] }> {
  const { analysis } = await analyzeCapture(`${DIR}${name}`);
  return {
    clients: [...analysis.clients],
    errors: analysis.findings.filter((f) => f.severity === 'error').map((f) => `${f.kind}@${f.frames.join(',')}`),
  };
}

describe('relay scenario (vantages): the same hole punch seen from five capture points', () => {
  it('inside and outside the NAT: the punch through the relay succeeds', async () => {
    for (const name of ['miredo-vantages-inside.pcap', 'miredo-vantages-outside.pcap']) {
      const { clients, errors } = await clientsOf(name);
      expect(clients).toHaveLength(1);
      expect(clients[0].holePunches.map((p) => [p.path, p.outcome])).toEqual([['relay', 'success']]);
      expect(errors).toEqual([]);
    }
  });

  it('at the server: the relay is no client (defect 3), and the steps past the server are unobservable, not failed (defect 9)', async () => {
    const { clients, errors } = await clientsOf('miredo-vantages-server.pcap');
    expect(clients.map((c) => c.id)).toEqual(['203.0.113.1:37887']);
    // 5: connectivity test, 8: the relay's bubble to the server, 9: the server forwarding it.
    expect(punches(clients[0])).toEqual([`relay:unobservable:client-bubble:${RELAY}@5,8,9`]);
    expect(clients[0].relays.map((r) => socket(r.endpoint))).toEqual([RELAY]);
    expect(errors).toEqual([]);
  });

  it('at the relay: the client appears at the socket its address embeds and its punch succeeds (defect 3)', async () => {
    const { clients, errors } = await clientsOf('miredo-vantages-relay.pcap');
    expect(clients.map((c) => c.id)).toEqual(['203.0.113.1:37887']);
    expect(clients[0].teredoAddress).toBe('2001:0:c000:20a:18b6:6c00:34ff:8efe');
    // 4: relay bubble to the server, 7: client bubble to the relay, 8: the relay delivers the echo reply.
    expect(punches(clients[0])).toEqual([`relay:success:-:${RELAY}@4,7,8`]);
    expect(errors).toEqual([]);
  });
});

describe('client-to-client seen at the server (c2c-server)', () => {
  it('the peer that bubbles from fe80:: is a peer, not a relay (defect 4), and the direct leg is unobservable (defect 9)', async () => {
    const { clients, errors } = await clientsOf('miredo-c2c-server-server.pcap');
    expect(clients.map((c) => c.id)).toEqual(['203.0.113.1:33358', '203.0.113.2:54889']);
    for (const client of clients) expect(client.relays).toEqual([]);
    // 10: client 1's indirect bubble to the server, 11: the server forwarding it to client 2.
    expect(punches(clients[0])).toEqual(['direct:unobservable:peer-reply:-@10']);
    expect(punches(clients[1])).toEqual(['direct:unobservable:client-bubble:-@11']);
    expect(errors).toEqual([]);
  });

  it('inside NAT 1 the same exchange is a direct success', async () => {
    const { clients, errors } = await clientsOf('miredo-c2c-server-inside.pcap');
    expect(clients).toHaveLength(1);
    expect(clients[0].holePunches.map((p) => [p.path, p.outcome])).toEqual([['direct', 'success']]);
    expect(errors).toEqual([]);
  });
});

describe('a peer that bubbles from a link-local address (Miredo), inside the NAT of the client it reaches', () => {
  // Client 2 (inside its NAT) is reached by client 1: client 1's fe80:: bubble forwarded by the
  // server, client 2's direct bubble, then client 1's echo request straight from its Teredo address.
  const PEER_SOCKET = '203.0.113.1:53901';
  const PEER = teredo(P, PEER_SOCKET);
  const packets = (): TeredoPacket[] => [
    rs(1, 0, CLIENT, P, '0102030405060708'),
    ra(2, 0.1, P, CLIENT, '0102030405060708', MAPPED),
    packet({ frame: 3, t: 2, from: `${P}:3544`, to: CLIENT, kind: 'bubble', src: 'fe80::8879:18e8:aaa7:d097', dst: ME_PLAIN, origin: PEER_SOCKET }),
    packet({ frame: 4, t: 2.001, from: CLIENT, to: PEER_SOCKET, kind: 'bubble', src: 'fe80::3cfb:19be:1:2', dst: PEER }),
    packet({ frame: 5, t: 2.002, from: PEER_SOCKET, to: CLIENT, kind: 'echo-request', src: PEER, dst: ME_PLAIN }),
    packet({ frame: 6, t: 20, from: CLIENT, to: PEER_SOCKET, kind: 'echo-reply', src: ME_PLAIN, dst: PEER }),
  ];

  it('is a peer: its forwarded bubble and its Teredo-sourced packet make one successful direct punch (defect 4)', () => {
    const analyzer = new TeredoAnalyzer();
    for (const p of packets()) analyzer.add(p);
    const result = analyzer.finish();
    expect(result.clients.size).toBe(1);
    const client = result.clients.get(0);
    expect(client.relays).toEqual([]);
    expect(client.holePunches.map((p) => [p.path, p.outcome, p.peer, p.frames.join(',')])).toEqual([['direct', 'success', formatIpv6(PEER), '3,4,5']]);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('no relay serves the host (no-relay): Miredo tests again for each echo queued after a round gave up', () => {
  it('inside, outside and at the server: two abandoned rounds are missing-relay errors, the last Teredo packet is a pending third (defect 2)', async () => {
    // Tests at frames 5, 8, 9 (1.4 s, 7.5 s, 13.7 s); after 9 only ARP: the analysis cannot know the round ran out.
    for (const name of ['miredo-no-relay-inside.pcap', 'miredo-no-relay-outside.pcap', 'miredo-no-relay-server.pcap']) {
      const { clients, errors } = await clientsOf(name);
      expect(clients).toHaveLength(1);
      expect(clients[0].holePunches.map((p) => `${p.outcome}:${p.missingStep ?? '-'}@${p.frames.join(',')}`)).toEqual(['failed:relay-bubble@5', 'failed:relay-bubble@8', 'pending:-@9']);
      expect(errors).toEqual(['missing-relay@5', 'missing-relay@8']);
    }
  });
});

describe('outside a restricted NAT, a peer that answers from a socket the client never addressed (defect 5)', () => {
  it('c2c-mixed: the symmetric peer answers from another port; outside, that is no success, as inside (where the NAT dropped it)', async () => {
    const inside = await clientsOf('miredo-c2c-mixed-inside.pcap');
    const outside = await clientsOf('miredo-c2c-mixed-outside.pcap');
    // Outside frame 10 comes from 203.0.113.2:46558; client 1 bubbled to 203.0.113.2:22867 (frame 8).
    expect(outside.clients[0].holePunches.map((p) => p.outcome)).toEqual(inside.clients[0].holePunches.map((p) => p.outcome));
    expect(outside.clients[0].holePunches.map((p) => p.outcome)).not.toContain('success');
  });

  const C = '198.51.100.7:40000';
  const PEER_SOCKET = '203.0.113.2:22867';
  const PEER = teredo(P, PEER_SOCKET);
  const ME_OUT = teredo(P, C);
  const start = (): TeredoPacket[] => [
    rs(1, 0, C, P, '0102030405060708'),
    ra(2, 0.1, P, C, '0102030405060708', C),
    packet({ frame: 3, t: 1, from: C, to: PEER_SOCKET, kind: 'bubble', src: 'fe80::1', dst: PEER }),
    packet({ frame: 4, t: 1.001, from: '203.0.113.2:46558', to: C, kind: 'bubble', src: PEER, dst: 'fe80::1' }),
  ];
  const run = (packets: TeredoPacket[]) => {
    const analyzer = new TeredoAnalyzer();
    for (const p of packets) analyzer.add(p);
    return analyzer.finish();
  };

  it('fails with a message naming the unaddressed socket when the client never sends data', () => {
    const result = run([...start(), rs(5, 30, C, P, '1112131415161718')]);
    expect(result.clients.get(0).holePunches.map((p) => [p.outcome, p.missingStep])).toEqual([['failed', 'peer-reply']]);
    const finding = result.findings.find((f) => f.kind === 'hole-punch-failed');
    expect(finding?.message).toContain('answered from 203.0.113.2:46558 (frame 4), a socket the client never sent to');
  });

  it('succeeds once the client sends data to the peer (it got the bubble)', () => {
    const result = run([...start(), packet({ frame: 5, t: 1.01, from: C, to: PEER_SOCKET, kind: 'echo-request', src: ME_OUT, dst: PEER })]);
    expect(result.clients.get(0).holePunches.map((p) => [p.outcome, p.frames.join(',')])).toEqual([['success', '3,4,5']]);
  });
});

describe('qualification declared only when it completed (defect 8)', () => {
  it('ra-filtered: outside the NAT and at the server the RAs are seen, yet the client keeps soliciting: not qualified, ra-filtered', async () => {
    for (const name of ['miredo-ra-filtered-outside.pcap', 'miredo-ra-filtered-server.pcap']) {
      const { clients, errors } = await clientsOf(name);
      expect(clients.map((c) => [c.id, c.qualified, c.natType, c.findings.join(',')])).toEqual([['203.0.113.1:35036', false, 'unknown', 'ra-filtered']]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^ra-filtered@/);
    }
  });

  it('ra-filtered inside the NAT: nothing came back, the client is offline', async () => {
    const { clients } = await clientsOf('miredo-ra-filtered-inside.pcap');
    expect(clients.map((c) => [c.qualified, c.natType])).toEqual([[false, 'offline']]);
  });

  const S2 = '65.55.158.81';
  const probe = (extra: TeredoPacket[]): ReturnType<TeredoAnalyzer['finish']> => {
    const analyzer = new TeredoAnalyzer();
    for (const p of [rs(1, 0, CLIENT, P, '0000000000000001'), ra(2, 0.1, P, CLIENT, '0000000000000001', MAPPED), ...extra]) analyzer.add(p);
    return analyzer.finish();
  };

  it('an unanswered probe to the secondary address: not qualified; after three, secondary-unanswered', () => {
    const once = probe([rs(3, 0.2, CLIENT, S2, '0000000000000002')]);
    expect(once.clients.get(0).qualified).toBe(false);
    expect(once.findings).toEqual([]);
    const thrice = probe([rs(3, 0.2, CLIENT, S2, '0000000000000002'), rs(4, 4.2, CLIENT, S2, '0000000000000003'), rs(5, 8.2, CLIENT, S2, '0000000000000004')]);
    expect(thrice.clients.get(0).qualified).toBe(false);
    expect(thrice.findings.map((f) => `${f.kind}:${f.severity}@${f.frames.join(',')}`)).toEqual(['secondary-unanswered:error@3,4,5']);
  });

  it('the secondary address answering completes the qualification', () => {
    const answered = probe([rs(3, 0.2, CLIENT, S2, '0000000000000002'), ra(4, 0.3, S2, CLIENT, '0000000000000002', MAPPED, P)]);
    expect(answered.clients.get(0)).toMatchObject({ qualified: true, natType: 'restricted' });
  });
});

describe('counts are of events, the frame list a sample that says so (defect 12)', () => {
  it('100 unanswered RSs: "100 Router Solicitations", 16 frames listed', () => {
    const analyzer = new TeredoAnalyzer();
    for (let i = 0; i < 100; i++) analyzer.add(rs(i + 1, i * 4, CLIENT, P, (i + 1).toString(16).padStart(16, '0')));
    const result = analyzer.finish();
    const offline = result.findings.find((f) => f.kind === 'offline')!;
    expect(offline.frames).toHaveLength(16);
    expect(offline.message).toMatch(/^100 Router Solicitations/);
    expect(offline.message).toContain('the first 16 of their frames are listed');
  });

  it('a packet with two anomalies is one malformed packet', () => {
    const analyzer = new TeredoAnalyzer();
    const anomalies = [
      { kind: 'bad-icmpv6' as const, message: 'ICMPv6 checksum 0x0000, expected 0x1234' },
      { kind: 'trailing-bytes' as const, message: '3 bytes after the IPv6 packet are not RFC 6081 trailers' },
    ];
    analyzer.add(rs(1, 0, CLIENT, P, '0000000000000001'));
    analyzer.add(ra(2, 0.1, P, CLIENT, '0000000000000001', MAPPED));
    analyzer.add(packet({ frame: 3, t: 1, from: CLIENT, to: '83.170.1.38:32900', kind: 'data', src: ME_PLAIN, dst: '2001:db8::1', anomalies }));
    const finding = analyzer.finish().findings.find((f) => f.kind === 'malformed-teredo')!;
    expect(finding.frames).toEqual([3]);
    expect(finding.message).toMatch(/^1 packet of this client is malformed/);
  });
});

describe('symmetric NAT proven by two mappings in use at once (defect 7)', () => {
  // miredo-symmetric-outside.pcap cut after frame 17 (before the refresh RS of frame 22 that sends
  // from the first mapping again): frame 7 reaches 203.0.113.1:30806 (the server's forwarded relay
  // bubble), frame 10 answers it from 203.0.113.1:16092 within a millisecond.
  it('a packet delivered through the mapped socket and answered from another port: symmetric, not spoofing', async () => {
    const analyzer = new TeredoAnalyzer();
    await streamTeredoPackets(`${DIR}miredo-symmetric-outside.pcap`, (p) => {
      if (p.frame <= 17) analyzer.add(p);
    });
    const result = analyzer.finish();
    expect(result.clients.get(0).natType).toBe('symmetric');
    const symmetric = result.findings.find((f) => f.kind === 'symmetric-nat')!;
    expect(symmetric.frames).toEqual([4, 7, 10]);
    expect(symmetric.message).toContain('both mappings were in use at once');
    const mismatch = result.findings.find((f) => f.kind === 'address-mismatch')!;
    expect(mismatch.message).not.toMatch(/spoofing/);
  });
});

describe('time running backwards (defect 11)', () => {
  const run = (packets: TeredoPacket[]) => {
    const analyzer = new TeredoAnalyzer();
    for (const p of packets) analyzer.add(p);
    return analyzer.finish();
  };

  it('an RA stamped before its RS gives no negative round trip', () => {
    const result = run([rs(1, 10, CLIENT, P, '0000000000000001'), ra(2, 9.995, P, CLIENT, '0000000000000001', MAPPED)]);
    const client = result.clients.get(0);
    expect(client.qualified).toBe(true);
    expect(client.rsRaRoundTripMs === null || client.rsRaRoundTripMs >= 0).toBe(true);
  });

  it('a capture whose clock jumps back days: the duration spans from the earliest packet, and a clock-jump warning says where', () => {
    const day = 86400;
    const result = run([rs(1, 3 * day, CLIENT, P, '0000000000000001'), ra(2, 3 * day + 0.1, P, CLIENT, '0000000000000001', MAPPED), rs(3, 0, CLIENT, P, '0000000000000002'), ra(4, 0.1, P, CLIENT, '0000000000000002', MAPPED)]);
    const capture = result.captures[0];
    expect(capture.lastTime!.seconds - capture.firstTime!.seconds).toBeGreaterThanOrEqual(3 * day - 1);
    const jump = result.findings.find((f) => f.kind === 'clock-jump');
    expect(jump?.severity).toBe('warning');
    expect(jump?.frames).toEqual([3, 4]);
    expect(jump?.message).toContain('3.0 days at frame 3');
  });
});

describe('NAT rebinding seen outside the NAT (defect 6): the refresh RS on the new mapping continues the client', () => {
  it('rebinding outside: one client with both sockets and a probable mapping-changed naming both mappings', async () => {
    const { analysis } = await analyzeCapture(`${DIR}miredo-rebinding-outside.pcap`);
    const clients = [...analysis.clients];
    expect(clients.map((c) => [c.id, c.endpoints.map(socket), c.teredoAddress])).toEqual([
      ['203.0.113.1:56089', ['203.0.113.1:56089', '203.0.113.9:56089'], '2001:0:c000:20a:309a:24e6:34ff:8ef6'],
    ]);
    expect(clients[0].holePunches.map((p) => `${p.outcome}@${p.frames.join(',')}`)).toEqual(['success@5,7,10,11', 'success@26,27,30,31']);
    // 4: the first RA (203.0.113.1:56089), 15: the old socket's last packet, 24/25: refresh RS/RA from 203.0.113.9.
    expect(analysis.findings.map((f) => `${f.kind}:${f.severity}@${f.frames.join(',')}`)).toEqual(['mapping-changed:warning@4,15,24,25']);
    const message = analysis.findings[0].message;
    expect(message).toContain('203.0.113.1:56089');
    expect(message).toContain('203.0.113.9:56089');
    // New nonce, another public address, new random flag bits: only the timing links them.
    expect(message).toMatch(/probabl/i);
  });

  it('no link without the refresh timing: an RS from a new address long after the last one is a new client', async () => {
    const nonce = '0123456789abcdef';
    const first = '203.0.113.1:56089';
    const second = '203.0.113.9:40001';
    const packets: TeredoPacket[] = [rs(1, 0, first, P, nonce), ra(2, 0.01, P, first, nonce, first)];
    // 100 s later: no refresh is due then (15–45 s), so a new client, not a rebinding.
    packets.push(rs(3, 100, second, P, 'fedcba9876543210'), ra(4, 100.01, P, second, 'fedcba9876543210', second));
    const analyzer = new TeredoAnalyzer();
    for (const p of packets) analyzer.add(p);
    const result = analyzer.finish();
    expect([...result.clients].map((c) => c.id)).toEqual([first, second]);
    expect(result.findings.map((f) => f.kind)).toEqual([]);
  });

  it('the same public IPv4 on a new port links a client whose silence the capture shows; at a server (no other leg) timing links nothing', () => {
    const first = '203.0.113.1:56089';
    const second = '203.0.113.1:40001';
    const exchange = (withData: boolean): TeredoPacket[] => [
      rs(1, 0, first, P, '0000000000000001'),
      ra(2, 0.01, P, first, '0000000000000001', first),
      ...(withData ? [packet({ frame: 3, t: 2, from: first, to: '198.51.100.20:3545', kind: 'data', src: teredo(P, first), dst: '2001:db8:6::80' })] : []),
      rs(4, 30, second, P, '0000000000000002'),
      ra(5, 30.01, P, second, '0000000000000002', second),
    ];
    const outside = new TeredoAnalyzer();
    for (const p of exchange(true)) outside.add(p);
    const linked = outside.finish();
    expect([...linked.clients].map((c) => c.id)).toEqual([first]);
    expect(linked.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['mapping-changed@2,3,4,5']);
    expect(linked.findings[0].message).toContain('same public IPv4 203.0.113.1');
    expect(linked.findings[0].message).not.toMatch(/probabl/i);

    const server = new TeredoAnalyzer();
    for (const p of exchange(false)) server.add(p);
    expect([...server.finish().clients].map((c) => c.id)).toEqual([first, second]);
  });

  it('a reused nonce links an RS from another address at refresh time without "probable"', async () => {
    const nonce = '0123456789abcdef';
    const first = '203.0.113.1:56089';
    const second = '203.0.113.9:40001';
    const analyzer = new TeredoAnalyzer();
    for (const p of [rs(1, 0, first, P, nonce), ra(2, 0.01, P, first, nonce, first), rs(3, 30, second, P, nonce), ra(4, 30.01, P, second, nonce, second)]) analyzer.add(p);
    const result = analyzer.finish();
    expect([...result.clients].map((c) => c.id)).toEqual([first]);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual(['mapping-changed@2,3,4']);
    expect(result.findings[0].message).toContain('reuses the nonce');
    expect(result.findings[0].message).not.toMatch(/probabl/i);
  });

  it("at a server, a reused nonce links the client however many silent clients qualified before it (an index, not a scan of the oldest)", () => {
    const nonce = '0123456789abcdef';
    const first = '203.0.113.1:56089';
    const second = '203.0.113.9:40001';
    const analyzer = new TeredoAnalyzer();
    let frame = 1;
    // 300 clients qualify first; at 31 s all are silent, and 256 of them are less recently active than the rebound client.
    for (let i = 0; i < 300; i++) {
      const other = `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}:40000`;
      const own = (0x1000 + i).toString(16).padStart(16, '0');
      analyzer.add(rs(frame++, i * 0.001, other, P, own));
      analyzer.add(ra(frame++, 0.0005 + i * 0.001, P, other, own, other));
    }
    const raFrame = frame + 1;
    analyzer.add(rs(frame++, 1, first, P, nonce));
    analyzer.add(ra(frame++, 1.01, P, first, nonce, first));
    const rsFrame = frame;
    analyzer.add(rs(frame++, 31, second, P, nonce));
    analyzer.add(ra(frame++, 31.01, P, second, nonce, second));
    const result = analyzer.finish();
    expect(result.clients.size).toBe(301);
    expect(result.findings.map((f) => `${f.kind}@${f.frames.join(',')}`)).toEqual([`mapping-changed@${raFrame},${rsFrame},${rsFrame + 1}`]);
  });
});
