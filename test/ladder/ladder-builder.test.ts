import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScenario } from '../../src/synth/scenarios/write-scenario.js';
import { stepText } from '../../src/ladder/ladder-step.js';
import { laddersOf, stepLines } from './support/ladders-of.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const MIREDO = 'fixtures/real/miredo';
const scratch = mkdtempSync(join(tmpdir(), 'teredoscope-ladder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function scenarioLadders(name: string): Promise<Awaited<ReturnType<typeof laddersOf>>> {
  const file = join(scratch, `${name}.pcap`);
  await writeScenario(name, file);
  return laddersOf(file);
}

describe('the ladder of wireshark-teredo.pcap', () => {
  it('names frames 6, 7, 30, 31, 32, 33 in order, between the right parties', async () => {
    const { ladders } = await laddersOf(SAMPLE);
    expect(ladders).toHaveLength(1);
    const [ladder] = ladders;
    expect(ladder.client).toBe('192.168.2.16:3797');
    expect(ladder.parties.map((p) => `${p.role} ${p.address}`)).toEqual([
      'client 192.168.2.16:3797',
      'server-primary 65.55.158.80',
      'server-secondary 65.55.158.81',
      'relay 83.170.1.38:32900',
    ]);
    expect(ladder.parties[0].detail).toBe('NAT 70.55.215.234:3797');
    expect(ladder.parties[3].detail).toBe('fe80::708d:fe83:4114:a512');
    expect(stepLines(ladder)).toEqual([
      '6 client→primary RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88',
      '7 secondary→client RA from secondary 65.55.158.81 + origin 70.55.215.234:3797, nonce cd5669400b22df88',
      '29 client→relay client bubble to relay 83.170.1.38:32900',
      '30 client→primary connectivity test: echo request to 2001:4860:0:2001::68 via server',
      '31 primary→client relay bubble via server, origin 83.170.1.38:32900',
      '32 client→relay client bubble to relay 83.170.1.38:32900',
      '33 relay→client relay delivery: echo reply from 2001:4860:0:2001::68',
      '34 client→relay 22 data packets (TCP)',
    ]);
    const run = ladder.steps[7];
    expect(run).toMatchObject({ frame: 34, lastFrame: 57, count: 22, bothWays: true, phase: 'data' });
    expect(ladder.steps.map((s) => s.phase).slice(0, 7)).toEqual(['qualification', 'qualification', 'hole punch', 'hole punch', 'hole punch', 'hole punch', 'hole punch']);
    expect(ladder.steps[0].time).toBe(0);
    expect(ladder.steps[1].time).toBeCloseTo(0.122, 3);
    expect(stepText(ladder.steps[0])).toBe('qualification: RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88');
  });

  it('keeps at most maxStepsPerClient steps and counts the rest', async () => {
    const { ladders } = await laddersOf(SAMPLE, { maxStepsPerClient: 3 });
    expect(ladders[0].steps.map((s) => s.frame)).toEqual([6, 7, 29]);
    expect(ladders[0].omittedSteps).toBe(5);
  });

  it('draws only the first maxClients clients', async () => {
    const { ladders } = await laddersOf(`${MIREDO}/miredo-rebinding-outside.pcap`, { maxClients: 1 });
    expect(ladders.map((l) => l.client)).toEqual(['203.0.113.1:56089']);
  });
});

describe('ladders of the Miredo captures', () => {
  it('port-preserving: the same steps inside and outside the NAT', async () => {
    const inside = (await laddersOf(`${MIREDO}/miredo-port-preserving-inside.pcap`)).ladders[0];
    const outside = (await laddersOf(`${MIREDO}/miredo-port-preserving-outside.pcap`)).ladders[0];
    const labels = (l: typeof inside): string[] => l.steps.map((s) => `${l.parties[s.from].role}→${l.parties[s.to].role} ${s.label}`);
    expect(labels(inside)).toEqual(labels(outside));
    expect(stepLines(inside)).toEqual([
      '3 client→primary RS to primary 192.0.2.10, nonce ba9a02ea5983fe42',
      '4 primary→client RA from primary 192.0.2.10 + origin 203.0.113.1:33459, nonce ba9a02ea5983fe42',
      '5 client→primary connectivity test: echo request to 2001:db8:6::80 via server',
      '6 primary→client relay bubble via server, origin 198.51.100.20:3545',
      '7 client→relay client bubble to relay 198.51.100.20:3545',
      '8 relay→client relay delivery: echo reply from 2001:db8:6::80',
      '9 client→relay 6 data packets (ICMPv6 echo)',
    ]);
    expect(outside.steps.map((s) => s.frame)).toEqual([3, 4, 5, 7, 10, 11, 12]);
  });

  it('offline: three RSs, each unanswered', async () => {
    const { ladders } = await laddersOf(`${MIREDO}/miredo-offline-inside.pcap`);
    expect(ladders[0].steps.map((s) => [s.frame, s.failure])).toEqual([
      [3, 'unanswered'],
      [4, 'unanswered'],
      [5, 'unanswered'],
    ]);
  });

  it('rebinding and symmetric: refreshes are maintenance; a packet from another mapping says where it left from', async () => {
    const rebinding = (await laddersOf(`${MIREDO}/miredo-rebinding-inside.pcap`)).ladders[0];
    expect(rebinding.steps.filter((s) => s.phase === 'maintenance').map((s) => s.frame)).toEqual([15, 16]);
    expect(rebinding.steps.find((s) => s.frame === 16)?.label).toContain('origin 203.0.113.9:56089');
    const symmetric = (await laddersOf(`${MIREDO}/miredo-symmetric-outside.pcap`)).ladders[0];
    expect(symmetric.steps.find((s) => s.frame === 10)?.label).toBe('client bubble to relay 198.51.100.20:3545 (sent from 203.0.113.1:16092)');
  });

  it('client to client: the peer gets a column with its Teredo address', async () => {
    const { ladders } = await laddersOf(`${MIREDO}/miredo-client-to-client-inside.pcap`);
    const ladder = ladders[0];
    expect(ladder.parties.map((p) => p.role)).toEqual(['client', 'server-primary', 'peer']);
    expect(ladder.parties[2]).toMatchObject({ address: '203.0.113.2:58945', detail: '2001:0:c000:20a:3cfb:19be:34ff:8efd' });
    expect(stepLines(ladder).slice(2, 5)).toEqual([
      '5 client→peer client bubble to peer 203.0.113.2:58945',
      '6 client→primary indirect bubble via primary 192.0.2.10 for 2001:0:c000:20a:3cfb:19be:34ff:8efd',
      '7 peer→client bubble from peer 203.0.113.2:58945',
    ]);
  });
});

describe('failures on synthetic scenarios', () => {
  it('restricted NAT seen inside: the cone probes are unobservable; refreshes are maintenance', async () => {
    const { ladders } = await scenarioLadders('restricted-inside');
    const steps = ladders[0].steps;
    expect(steps.slice(0, 3).map((s) => s.failure)).toEqual(['unobservable', 'unobservable', 'unobservable']);
    expect(steps.slice(3).every((s) => s.failure === null)).toBe(true);
    expect(steps.map((s) => s.phase)).toEqual([...Array<string>(7).fill('qualification'), 'maintenance', 'maintenance']);
  });

  it('restricted NAT seen outside: the RAs to the cone probes are lost (the client asked again)', async () => {
    const { ladders } = await scenarioLadders('restricted-outside');
    const lost = ladders[0].steps.filter((s) => s.failure === 'lost');
    expect(lost.map((s) => s.frame)).toEqual([2, 4, 6]);
    expect(lost.every((s) => s.label.startsWith('RA from secondary'))).toBe(true);
  });

  it('failed punch: the tests are unanswered and the missing relay delivery of each round is a step of its own', async () => {
    const { ladders } = await scenarioLadders('failed-punch-inside');
    const ladder = ladders[0];
    const missing = ladder.steps.filter((s) => s.frame === null);
    // Three rounds (tests 5, 8, 11), each abandoned or cut off without a delivery.
    expect(missing).toHaveLength(3);
    for (const step of missing) {
      expect(step).toMatchObject({ failure: 'unanswered', phase: 'hole punch' });
      expect(ladder.parties[step.from].role).toBe('relay');
      expect(ladder.parties[step.to].role).toBe('client');
    }
    // Each right after the client's bubble of its round.
    expect(missing.map((step) => ladder.steps[ladder.steps.indexOf(step) - 1].frame)).toEqual([7, 10, 13]);
    expect(ladder.steps.filter((s) => s.failure === 'unanswered' && s.frame !== null).map((s) => s.frame)).toEqual([5, 8, 11]);
  });

  it('missing relay: no relay bubble ever came through the server', async () => {
    const { ladders } = await scenarioLadders('missing-relay-outside');
    const missing = ladders[0].steps.find((s) => s.frame === null);
    expect(missing?.failure).toBe('lost');
    expect(ladders[0].parties[missing?.from ?? 0].role).toBe('server-primary');
  });

  it('nonce mismatch: the stale RA is named as answering no RS', async () => {
    const { ladders } = await scenarioLadders('nonce-mismatch-inside');
    expect(stepLines(ladders[0])[1]).toMatch(/^2 secondary→client RA .*\(no RS with this nonce\)$/);
  });
});
