import { describe, expect, it } from 'vitest';
import { LadderBuilder } from '../../src/ladder/ladder-builder.js';
import type { ReportClient } from '../../src/report/report.js';
import { packet, ra, rs, teredo } from '../analysis/support/packet-factory.js';
import { CLIENT, MAPPED, ME, P, S } from '../analysis/support/sample-network.js';

function client(overrides: Partial<ReportClient> = {}): ReportClient {
  return {
    id: CLIENT,
    endpoints: [{ address: '192.168.2.16', port: 3797 }],
    mapped: { address: '70.55.215.234', port: 3797 },
    teredoAddress: null,
    server: { primary: P, secondary: S },
    natType: 'cone',
    qualified: true,
    relays: [],
    holePunches: [],
    findings: [],
    capture: 0,
    vantage: 'inside',
    rsRaRoundTripMs: null,
    qualificationMs: null,
    refreshIntervalSeconds: null,
    packets: 0,
    firstFrame: 1,
    lastFrame: 1,
    state: 'qualified',
    portPreserving: true,
    console: 'Open',
    cause: null,
    ...overrides,
  };
}

describe('LadderBuilder bounds', () => {
  it('past the step limit a client talking to thousands of peers adds no column and counts each run once', () => {
    const builder = new LadderBuilder([client()], { maxStepsPerClient: 10 });
    builder.add(rs(1, 0, CLIENT, P, '0000000000000001', true));
    builder.add(ra(2, 0.1, S, CLIENT, '0000000000000001', MAPPED, P, true));
    let frame = 3;
    for (let peer = 0; peer < 5000; peer++) {
      const socket = `10.${(peer >> 8) & 255}.${peer & 255}.1:4000`;
      // Two data packets per peer: one run each.
      for (let i = 0; i < 2; i++) {
        builder.add(packet({ frame: frame++, t: 1 + frame / 1000, from: CLIENT, to: socket, kind: 'data', src: ME, dst: teredo(P, socket) }));
      }
    }
    const [ladder] = builder.finish();
    expect(ladder.steps).toHaveLength(10);
    expect(ladder.parties.length).toBeLessThanOrEqual(11);
    expect(ladder.steps.slice(2).every((step) => step.count === 2)).toBe(true);
    expect(ladder.omittedSteps).toBe(5000 - 8);
  });

  it('follows only the clients given, the first maxClients of them', () => {
    const other = client({ id: '192.168.2.17:3797', endpoints: [{ address: '192.168.2.17', port: 3797 }], mapped: null });
    const builder = new LadderBuilder([client(), other], { maxClients: 1 });
    builder.add(rs(1, 0, '192.168.2.17:3797', P, '00000000000000aa'));
    builder.add(rs(2, 1, CLIENT, P, '00000000000000bb'));
    expect(builder.omittedClients).toBe(1);
    const ladders = builder.finish();
    expect(ladders.map((l) => [l.client, l.steps.map((s) => s.frame)])).toEqual([[CLIENT, [2]]]);
  });
});
