import { describe, expect, it } from 'vitest';
import type { HolePunchSummary } from '../../src/analysis/client-summary.js';
import { NO_RECORD, SummaryExtrasArena, type PunchRecord } from '../../src/analysis/summary-extras.js';
import { parseIpv6 } from '../../src/decode/ip-address.js';

function bytes(text: string): Uint8Array {
  const address = parseIpv6(text);
  if (address === null) throw new Error(text);
  return address;
}

/** The i-th sample punch, as a tracker hands it over and as the summary should read it back. */
function punch(i: number, frames: number): { record: PunchRecord; summary: HolePunchSummary } {
  const peer = i % 3 === 0 ? null : `2001:db8::${(i + 1).toString(16)}`;
  const relayKey = i % 2 === 0 ? -1 : (0xc6336400 + i) * 65536 + 3545 + i;
  const relayIpv6 = relayKey < 0 || i % 4 === 1 ? null : `fe80::8000:f227:bec8:${(i + 0x61).toString(16)}`;
  const common = {
    path: (['relay', 'host-specific', 'direct'] as const)[i % 3],
    outcome: (['success', 'failed', 'pending'] as const)[i % 3],
    missingStep: i % 3 === 1 ? (['relay-bubble', 'client-bubble', 'relay-delivery', 'peer-reply'] as const)[i % 4] : null,
    latencyMs: i % 3 === 0 ? 463.615 + i : null,
    frames: Array.from({ length: frames }, (_, k) => 4_294_967_296 * (i % 3) + 30 + k),
  };
  return {
    record: { ...common, peer: peer === null ? null : bytes(peer), relayKey, relayIpv6: relayIpv6 === null ? null : bytes(relayIpv6) },
    summary: {
      ...common,
      peer,
      relay: relayKey < 0 ? null : { endpoint: { address: Math.floor(relayKey / 65536), port: relayKey % 65536 }, ipv6: relayIpv6 },
    },
  };
}

describe('packed relays and hole punches', () => {
  it('give back the relays of a chain oldest first, and find one by socket', () => {
    const arena = new SummaryExtrasArena();
    let head = NO_RECORD;
    head = arena.appendRelay(head, 0x53aa0126 * 65536 + 32900, bytes('fe80::708d:fe83:4114:a512'));
    head = arena.appendRelay(head, 0xffffffff * 65536 + 65535, null);
    const other = arena.appendRelay(NO_RECORD, 1 * 65536 + 2, null);
    expect(arena.relays(head)).toEqual([
      { endpoint: { address: 0x53aa0126, port: 32900 }, ipv6: 'fe80::708d:fe83:4114:a512' },
      { endpoint: { address: 0xffffffff, port: 65535 }, ipv6: null },
    ]);
    expect(arena.relays(other)).toEqual([{ endpoint: { address: 1, port: 2 }, ipv6: null }]);
    expect(arena.relays(NO_RECORD)).toEqual([]);

    const found = arena.findRelay(head, 0xffffffff * 65536 + 65535);
    expect(found).not.toBe(NO_RECORD);
    expect(arena.findRelay(head, 1 * 65536 + 2)).toBe(NO_RECORD);
    expect(arena.relayHasIpv6(found)).toBe(false);
    arena.setRelayIpv6(found, bytes('2001:db8::1'));
    expect(arena.relayHasIpv6(found)).toBe(true);
    expect(arena.relays(head)[1]).toEqual({ endpoint: { address: 0xffffffff, port: 65535 }, ipv6: '2001:db8::1' });
  });

  it('give back hole punches field for field, oldest first', () => {
    const arena = new SummaryExtrasArena();
    const samples = [punch(0, 4), punch(1, 1), punch(2, 0), punch(3, 64), punch(5, 7), punch(7, 2)];
    let head = NO_RECORD;
    for (const sample of samples) head = arena.appendPunch(head, sample.record);
    expect(arena.holePunches(head)).toEqual(samples.map((sample) => sample.summary));
  });

  it("keep a closed client's endpoints and chains, which a revived client goes on with", () => {
    const arena = new SummaryExtrasArena();
    const first = punch(1, 3);
    const relay = arena.appendRelay(NO_RECORD, 7 * 65536 + 8, null);
    const punchHead = arena.appendPunch(NO_RECORD, first.record);
    const endpoints = [1, 2, 281474976710655];
    const at = arena.writeExtras(endpoints, { relayHead: relay, relayCount: 1, punchHead, punchCount: 1 });
    expect(arena.readExtras(at)).toEqual({ endpoints, chains: { relayHead: relay, relayCount: 1, punchHead, punchCount: 1 } });

    const revived = arena.readExtras(at).chains;
    const second = punch(4, 2);
    const later = arena.appendPunch(revived.punchHead, second.record);
    const again = arena.writeExtras([], { ...revived, punchHead: later, punchCount: 2 });
    expect(arena.read(again)).toEqual({ endpoints: [], relays: [{ endpoint: { address: 7, port: 8 }, ipv6: null }], holePunches: [first.summary, second.summary] });
    expect(arena.read(at).holePunches).toEqual([first.summary]);
  });

  it('fill page after page, and give a record larger than a page one of its own', () => {
    const arena = new SummaryExtrasArena();
    const written: [number, number[], HolePunchSummary[]][] = [];
    for (let i = 0; i < 20_000; i++) {
      const sample = punch(i, 1 + (i % 9));
      const head = arena.appendPunch(NO_RECORD, sample.record);
      written.push([arena.writeExtras([i], { relayHead: NO_RECORD, relayCount: 0, punchHead: head, punchCount: 1 }), [i], [sample.summary]]);
    }
    const many = Array.from({ length: 200_000 }, (_, i) => i * 65536);
    written.push([arena.writeExtras(many, { relayHead: NO_RECORD, relayCount: 0, punchHead: NO_RECORD, punchCount: 0 }), many, []]);
    expect(written.filter(([at]) => at >= 2 ** 32).length).toBeGreaterThan(0);
    for (const [at, endpoints, holePunches] of written) expect(arena.read(at)).toEqual({ endpoints, relays: [], holePunches });
  });
});
