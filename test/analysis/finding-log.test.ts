import { describe, expect, it } from 'vitest';
import { FindingLog, type FindingInput } from '../../src/analysis/finding-log.js';

function finding(frame: number): FindingInput {
  return { kind: 'offline', severity: 'warning', client: `client ${frame}`, frames: [frame], message: `no answer in frame ${frame}` };
}

/** A finding whose frames and message throw when read: adding it must not look at them. */
function untouchable(): FindingInput {
  const explode = (): never => {
    throw new Error('read a finding past the cap');
  };
  return {
    kind: 'offline',
    severity: 'warning',
    client: null,
    get frames(): readonly number[] {
      return explode();
    },
    get message(): string {
      return explode();
    },
  };
}

describe('FindingLog', () => {
  it('keeps maxPerKind findings of a kind and counts the rest once each', () => {
    const log = new FindingLog(2);
    for (let frame = 1; frame <= 5; frame++) log.add(finding(frame));
    expect(log.sorted().map((f) => f.frames)).toEqual([[1], [2]]);
    expect(log.omitted()).toEqual({ offline: 3 });
  });

  it('tells callers when a kind is full, so that they count instead of building the finding', () => {
    const log = new FindingLog(1);
    expect(log.accepts('offline')).toBe(true);
    log.add(finding(1));
    expect(log.accepts('offline')).toBe(false);
    expect(log.accepts('symmetric-nat')).toBe(true);
    log.omit('offline');
    log.omit('offline');
    expect(log.omitted()).toEqual({ offline: 2 });
    expect(log.sorted()).toHaveLength(1);
  });

  it('does not read a finding past the cap', () => {
    const log = new FindingLog(1);
    log.add(finding(1));
    expect(() => log.add(untouchable())).not.toThrow();
    expect(log.omitted()).toEqual({ offline: 1 });
  });
});
