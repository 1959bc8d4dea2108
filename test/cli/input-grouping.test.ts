import { describe, expect, it } from 'vitest';
import { groupInputs, MAX_GAP_SECONDS, type CaptureSketch } from '../../src/cli/input-grouping.js';

const at = (seconds: number): { seconds: number; nanos: number; precision: number } => ({ seconds, nanos: 0, precision: 6 });

function sketch(file: string, first: number | null, last: number | null, parts: { addresses?: number[]; clients?: number[]; mapped?: number[] } = {}): CaptureSketch {
  return {
    file,
    first: first === null ? null : at(first),
    last: last === null ? null : at(last),
    addresses: new Set(parts.addresses ?? []),
    clientSockets: new Set(parts.clients ?? []),
    mappedSockets: new Set(parts.mapped ?? []),
  };
}

const CLIENT = 0xc0a8010a * 65536 + 40000; // 192.168.1.10:40000
const MAPPED = 0xcb007107 * 65536 + 40000; // 203.0.113.7:40000

describe('which inputs form one timeline', () => {
  it('rotated files: consecutive and sharing an address, in time order whatever the argument order', () => {
    const decision = groupInputs([sketch('b', 100, 200, { addresses: [1, 2] }), sketch('a', 0, 99, { addresses: [2, 3] })], 'auto');
    expect(decision).toEqual({ groups: [[1, 0]], reason: null });
  });

  it('a gap longer than MAX_GAP_SECONDS: apart, with the reason', () => {
    const decision = groupInputs([sketch('a', 0, 100, { addresses: [1] }), sketch('b', 101 + MAX_GAP_SECONDS, 2000, { addresses: [1] })], 'auto');
    expect(decision.groups).toEqual([[0], [1]]);
    expect(decision.reason).toBe('b starts 5 min after a ends');
  });

  it('consecutive files of different networks: apart', () => {
    expect(groupInputs([sketch('a', 0, 100, { addresses: [1] }), sketch('b', 100, 200, { addresses: [2] })], 'auto').groups).toEqual([[0], [1]]);
  });

  it('overlapping captures of one client from both sides of its NAT: one timeline', () => {
    const inside = sketch('inside', 0, 100, { addresses: [1], clients: [CLIENT], mapped: [MAPPED] });
    const outside = sketch('outside', 0.5, 100, { addresses: [1], clients: [MAPPED], mapped: [MAPPED] });
    expect(groupInputs([inside, outside], 'auto').groups).toEqual([[0, 1]]);
  });

  it('overlapping captures that both show one client socket: apart', () => {
    const decision = groupInputs([sketch('a', 0, 100, { addresses: [1], clients: [CLIENT] }), sketch('b', 0, 100, { addresses: [1], clients: [CLIENT] })], 'auto');
    expect(decision.groups).toEqual([[0], [1]]);
    expect(decision.reason).toMatch(/overlap in time and both show the same client socket/);
  });

  it('unreadable files join the first timeline (they add no packets); standard input is its own', () => {
    const decision = groupInputs([sketch('a', 0, 10, { addresses: [1] }), sketch('broken', null, null), sketch('-', null, null)], 'auto');
    expect(decision.groups).toEqual([[1, 2], [0]]);
    expect(decision.reason).toMatch(/standard input is analysed on its own/);
  });

  it('--merge and --per-file decide without looking', () => {
    const files = [sketch('b', 10, 20), sketch('a', 0, 5)];
    expect(groupInputs(files, 'merge')).toEqual({ groups: [[1, 0]], reason: null });
    expect(groupInputs(files, 'per-file')).toEqual({ groups: [[1], [0]], reason: null });
  });
});
