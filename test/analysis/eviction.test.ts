import { describe, expect, it } from 'vitest';
import { frameReference } from '../../src/analysis/frame-reference.js';
import { NumberIndex } from '../../src/analysis/number-index.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { ip6, packet, ra, rs, teredo } from './support/packet-factory.js';

const P = '65.55.158.80';
const S = '65.55.158.81';

describe('idle clients are closed out and still reported', () => {
  it('keeps only recently active clients live, yet reports every one', () => {
    const analyzer = new TeredoAnalyzer({ idleTimeoutSeconds: 10 });
    let frame = 1;
    let maxLive = 0;
    for (let i = 0; i < 200; i++) {
      const c = `198.51.${100 + (i >> 8)}.${i & 0xff}:4${String(i).padStart(4, '0')}`;
      const nonce = i.toString(16).padStart(16, '0');
      analyzer.add(rs(frame++, i, c, P, nonce, true));
      analyzer.add(ra(frame++, i + 0.1, S, c, nonce, c, P, true));
      maxLive = Math.max(maxLive, analyzer.liveClients);
    }
    expect(maxLive).toBeLessThanOrEqual(13);
    const result = analyzer.finish();
    expect(result.clients.size).toBe(200);
    expect([...result.clients].every((c) => c.natType === 'cone' && c.qualified && c.packets === 2)).toBe(true);
    expect(result.clients.get(0).id).toBe('198.51.100.0:40000');
    expect(result.clients.get(199).id).toBe('198.51.100.199:40199');
  });

  it('a client that returns after eviction continues its own summary (and its mapping history)', () => {
    const analyzer = new TeredoAnalyzer({ idleTimeoutSeconds: 10 });
    const c = '192.168.1.10:40000';
    analyzer.add(rs(1, 0, c, P, '0000000000000001', true));
    analyzer.add(ra(2, 0.1, S, c, '0000000000000001', '203.0.113.7:40000', P, true));
    analyzer.add(rs(3, 50, '192.168.1.99:1', P, '0000000000000002', true));
    expect(analyzer.liveClients).toBe(1);
    analyzer.add(rs(4, 100, c, P, '0000000000000003', true));
    analyzer.add(ra(5, 100.1, S, c, '0000000000000003', '203.0.113.7:40001', P, true));
    const result = analyzer.finish();
    expect(result.clients.size).toBe(2);
    const client = result.clients.get(0);
    expect(client).toMatchObject({ id: c, packets: 4, firstFrame: 1, lastFrame: 5, natType: 'cone', qualified: true, findings: ['mapping-changed'] });
    expect(result.findings.map((f) => [f.kind, f.frames])).toEqual([['mapping-changed', [2, 5]]]);
  });

  it('a revived client keeps the Teredo address of its first life, and a new address replaces it', () => {
    // The address lives in the client's summary-store row from the moment it is learned, not in
    // the live state: closing out and reviving must neither lose it nor keep a stale one.
    const analyzer = new TeredoAnalyzer({ idleTimeoutSeconds: 10 });
    const c = '192.168.1.10:40000';
    const first = teredo(P, '203.0.113.7:40000');
    const second = teredo(P, '203.0.113.7:40001');
    const host = ip6('2001:db8::1');
    analyzer.add(rs(1, 0, c, P, '0000000000000001', true));
    analyzer.add(ra(2, 0.1, S, c, '0000000000000001', '203.0.113.7:40000', P, true));
    analyzer.add(packet({ frame: 3, t: 1, from: c, to: '192.0.2.55:3544', kind: 'data', src: first, dst: host }));
    // Another client keeps time moving: the first is closed out after 10 s of silence.
    analyzer.add(rs(4, 50, '192.168.1.99:1', P, '0000000000000002', true));
    analyzer.add(rs(5, 60, c, P, '0000000000000003', true));
    const revived = analyzer.finish().clients.get(0);
    expect(revived).toMatchObject({ id: c, packets: 4, teredoAddress: '2001:0:4137:9e50:0:63bf:34ff:8ef8' });

    const moved = new TeredoAnalyzer({ idleTimeoutSeconds: 10 });
    moved.add(rs(1, 0, c, P, '0000000000000001', true));
    moved.add(ra(2, 0.1, S, c, '0000000000000001', '203.0.113.7:40000', P, true));
    moved.add(packet({ frame: 3, t: 1, from: c, to: '192.0.2.55:3544', kind: 'data', src: first, dst: host }));
    moved.add(rs(4, 50, '192.168.1.99:1', P, '0000000000000002', true));
    moved.add(rs(5, 60, c, P, '0000000000000003', true));
    moved.add(ra(6, 60.1, S, c, '0000000000000003', '203.0.113.7:40001', P, true));
    moved.add(packet({ frame: 7, t: 61, from: c, to: '192.0.2.55:3544', kind: 'data', src: second, dst: host }));
    expect(moved.finish().clients.get(0).teredoAddress).toBe('2001:0:4137:9e50:0:63be:34ff:8ef8');
  });

  it('caps the live clients: clients quiet for long are closed silently, active ones with a client-limit finding', () => {
    const quiet = new TeredoAnalyzer({ maxLiveClients: 5 });
    const busy = new TeredoAnalyzer({ maxLiveClients: 5 });
    let frame = 1;
    let maxLive = 0;
    for (let i = 0; i < 40; i++) {
      const c = `198.51.100.${i + 1}:40000`;
      const nonce = (i + 1).toString(16).padStart(16, '0');
      // 60 s apart: the oldest live client has been quiet for far longer than any exchange lasts.
      quiet.add(rs(frame, i * 60, c, P, nonce, true));
      quiet.add(ra(frame + 1, i * 60 + 0.1, S, c, nonce, c, P, true));
      // 1 s apart: the clients closed by the cap were active a few seconds earlier.
      busy.add(rs(frame, i, c, P, nonce, true));
      busy.add(ra(frame + 1, i + 0.1, S, c, nonce, c, P, true));
      frame += 2;
      maxLive = Math.max(maxLive, quiet.liveClients, busy.liveClients);
    }
    expect(maxLive).toBe(5);
    const quietResult = quiet.finish();
    const busyResult = busy.finish();
    for (const result of [quietResult, busyResult]) {
      expect(result.clients.size).toBe(40);
      expect([...result.clients].every((c) => c.natType === 'cone' && c.qualified && c.packets === 2)).toBe(true);
    }
    expect(quietResult.findings.filter((f) => f.kind === 'client-limit')).toEqual([]);
    const limit = busyResult.findings.filter((f) => f.kind === 'client-limit');
    expect(limit).toHaveLength(1);
    expect(limit[0]).toMatchObject({ severity: 'warning', client: null });
    // Clients 1..35 were closed by the cap; the frames are their RAs (each client's last packet).
    expect(limit[0].frames).toEqual(Array.from({ length: 35 }, (_, i) => 2 * i + 2));
    expect(limit[0].message).toContain('more than 5 clients were active at once: 35 clients were closed out while still active');
  });

  it('caps the findings per kind and counts the rest', () => {
    const analyzer = new TeredoAnalyzer({ maxFindingsPerKind: 3 });
    let frame = 1;
    for (let i = 0; i < 5; i++) {
      const c = `10.0.0.${i + 1}:5000`;
      for (let k = 0; k < 3; k++) analyzer.add(rs(frame++, k * 4, c, P, `${i}${k}`.padStart(16, '0')));
    }
    const result = analyzer.finish();
    // The clients are fed one after another, each from time 0: the clock runs back (one clock-jump warning).
    expect(result.findings.filter((f) => f.kind === 'offline')).toHaveLength(3);
    expect(result.findings.map((f) => f.kind).filter((k) => k !== 'offline')).toEqual(['clock-jump']);
    expect(result.findingsOmitted).toEqual({ offline: 2 });
    expect([...result.clients].every((c) => c.findings.includes('offline'))).toBe(true);
  });

  it('refuses packets after finish()', () => {
    const analyzer = new TeredoAnalyzer();
    analyzer.finish();
    expect(() => analyzer.add(rs(1, 0, '10.0.0.1:1', P, '00'.repeat(8)))).toThrow(/finish/);
  });
});

describe('several captures in one analysis', () => {
  it('is one timeline: a client continues in the next capture, frames keep their capture', () => {
    const analyzer = new TeredoAnalyzer();
    const c = '192.168.1.10:40000';
    analyzer.add(rs(frameReference(0, 1), 0, c, P, '0000000000000001', true));
    analyzer.add(ra(frameReference(1, 1), 0.1, S, c, '0000000000000001', '203.0.113.7:40000', P, true));
    analyzer.noteTruncated(frameReference(1, 1), 'cut in the middle of a record');
    const result = analyzer.finish();
    expect([...result.clients].map((x) => [x.capture, x.id, x.natType, x.firstFrame, x.lastFrame])).toEqual([[0, c, 'cone', 1, frameReference(1, 1)]]);
    expect(result.findings.map((f) => [f.capture, f.kind, f.frames, f.displayFilter])).toEqual([[1, 'truncated-capture', [frameReference(1, 1)], 'frame.number == 1']]);
    expect(result.captures.map((x) => [x.teredoPackets, x.truncated])).toEqual([
      [1, false],
      [1, true],
    ]);
  });

  it('turns dissector malformations into capture-wide findings grouped by reason', () => {
    const analyzer = new TeredoAnalyzer();
    analyzer.noteMalformed(4, 'IPv6 payload length exceeds the datagram');
    analyzer.noteMalformed(9, 'IPv6 payload length exceeds the datagram');
    analyzer.noteMalformed(12, 'authentication header cut short');
    const result = analyzer.finish();
    expect(result.findings.map((f) => [f.kind, f.severity, f.client, f.frames])).toEqual([
      ['malformed-teredo', 'warning', null, [4, 9]],
      ['malformed-teredo', 'warning', null, [12]],
    ]);
    expect(result.captures[0].malformed).toBe(3);
  });
});

describe('NumberIndex', () => {
  it('behaves like a Map for 48-bit keys through growth and deletions', () => {
    const index = new NumberIndex(4);
    const reference = new Map<number, number>();
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 20000; i++) {
      const key = (random() % 5000) * 65536 + (random() % 7);
      if (random() % 4 === 0) {
        expect(index.delete(key)).toBe(reference.delete(key));
      } else {
        index.set(key, i);
        reference.set(key, i);
      }
    }
    expect(index.size).toBe(reference.size);
    for (const [key, value] of reference) expect(index.get(key)).toBe(value);
    for (let k = 0; k < 2000; k++) {
      const key = (5000 + k) * 65536;
      expect(index.get(key)).toBeUndefined();
    }
  });
});
