import { describe, expect, it } from 'vitest';
import type { HolePunchSummary } from '../../src/analysis/client-summary.js';
import { SummaryExtrasArena, type SummaryExtras } from '../../src/analysis/summary-extras.js';

function punch(i: number, frames: number): HolePunchSummary {
  return {
    peer: i % 3 === 0 ? null : `2001:db8::${(i + 1).toString(16)}`,
    path: (['relay', 'host-specific', 'direct'] as const)[i % 3],
    relay: i % 2 === 0 ? null : { endpoint: { address: 0xc6336400 + i, port: 3545 + i }, ipv6: i % 4 === 1 ? null : `fe80::8000:f227:bec8:${(i + 0x61).toString(16)}` },
    outcome: (['success', 'failed', 'pending'] as const)[i % 3],
    missingStep: i % 3 === 1 ? (['relay-bubble', 'client-bubble', 'relay-delivery', 'peer-reply'] as const)[i % 4] : null,
    latencyMs: i % 3 === 0 ? 463.615 + i : null,
    frames: Array.from({ length: frames }, (_, k) => 4_294_967_296 * (i % 3) + 30 + k),
  };
}

const SAMPLES: SummaryExtras[] = [
  { endpoints: [0xc0a80210 * 65536 + 3797], relays: null, holePunches: null },
  { endpoints: [], relays: [{ endpoint: { address: 0x53aa0126, port: 32900 }, ipv6: 'fe80::708d:fe83:4114:a512' }], holePunches: [] },
  { endpoints: [], relays: [], holePunches: [punch(0, 4), punch(1, 1), punch(2, 0), punch(3, 64), punch(5, 7)] },
  { endpoints: [1, 2, 281474976710655], relays: [{ endpoint: { address: 0xffffffff, port: 65535 }, ipv6: null }], holePunches: null },
];

describe('packed summary extras', () => {
  it('give back what was packed, field for field', () => {
    const arena = new SummaryExtrasArena();
    const locations = SAMPLES.map((extras) => arena.write(extras));
    expect(new Set(locations).size).toBe(SAMPLES.length);
    SAMPLES.forEach((extras, i) => expect(arena.read(locations[i])).toEqual(extras));
  });

  it('fill page after page, and give a record larger than a page one of its own', () => {
    const arena = new SummaryExtrasArena();
    const written: [number, SummaryExtras][] = [];
    for (let i = 0; i < 20_000; i++) {
      const extras: SummaryExtras = { endpoints: [i], relays: null, holePunches: [punch(i, 1 + (i % 9))] };
      written.push([arena.write(extras), extras]);
    }
    const huge: SummaryExtras = { endpoints: Array.from({ length: 200_000 }, (_, i) => i * 65536), relays: null, holePunches: null };
    written.push([arena.write(huge), huge]);
    written.push([arena.write(SAMPLES[2]), SAMPLES[2]]);
    expect(written.filter(([at]) => at >= 2 ** 32).length).toBeGreaterThan(0);
    for (const [at, extras] of written) expect(arena.read(at)).toEqual(extras);
  });

  it('unpacks fresh objects each time, so a revived client may change its own', () => {
    const arena = new SummaryExtrasArena();
    const at = arena.write(SAMPLES[2]);
    const first = arena.read(at);
    first.holePunches![0].frames.push(999);
    expect(arena.read(at)).toEqual(SAMPLES[2]);
  });
});
