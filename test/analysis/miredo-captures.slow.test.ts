// Real Teredo exchanges recorded from Debian's Miredo 1.2.6 (client, relay, server) in network
// namespaces by fixtures/real/miredo/record.sh; each scenario seen inside and outside the NAT.
// fixtures/real/miredo/README.md lists the frames these expectations come from. Everything runs
// through the built CLI (`npm test` builds dist/ first), as a user would run it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4, parseIpv6 } from '../../src/decode/ip-address.js';
import { decodeTeredoAddress } from '../../src/teredo/teredo-address.js';
import { parseNdjson, runCli } from '../cli/support/run-cli.js';

const DIR = 'fixtures/real/miredo/';
const SERVER = { primary: '192.0.2.10', secondary: null };
const RELAY = { address: '198.51.100.20', port: 3545 };
const NATIVE_HOST = '2001:db8:6::80';

interface Endpoint {
  address: string;
  port: number;
}

interface JsonClient {
  id: string;
  endpoints: Endpoint[];
  mapped: Endpoint | null;
  teredoAddress: string | null;
  server: { primary: string; secondary: string | null };
  natType: string;
  qualified: boolean;
  relays: Array<Endpoint & { ipv6: string | null }>;
  holePunches: Array<{ peer: string; relay: Endpoint | null; outcome: string; frames: number[]; path: string; missingStep: string | null; latencyMs: number | null }>;
  findings: string[];
  vantage: string;
  refreshIntervalSeconds: number | null;
}

interface JsonReport {
  captures: Array<{ packets: number; teredoPackets: number; truncated: boolean }>;
  clients: JsonClient[];
  findings: Array<{ kind: string; severity: string; client: string | null; frames: number[]; message: string; displayFilter: string }>;
}

async function analyze(name: string): Promise<JsonReport> {
  const run = await runCli(['analyze', '--format', 'json', `${DIR}${name}`]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as JsonReport;
}

/** Frame → capture time in seconds, for every Teredo frame `dissect --json` finds. */
async function dissectTimes(name: string): Promise<Map<number, number>> {
  const run = await runCli(['dissect', '--json', '--quiet', `${DIR}${name}`]);
  expect(run.code).toBe(0);
  const times = new Map<number, number>();
  for (const packet of parseNdjson(run.stdout)) {
    const iso = String(packet.time);
    // Microsecond captures: keep the digits Date.parse would drop.
    const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '0';
    times.set(Number(packet.frame), Math.floor(Date.parse(iso) / 1000) + Number(`0.${fraction}`));
  }
  return times;
}

const findingSet = (report: JsonReport): string[] => report.findings.map((f) => `${f.kind}:${f.severity}@${f.frames.join(',')}`).sort();

/**
 * What must hold for any client of these captures, whatever the scenario: the Teredo address is
 * made of the server's prefix and the mapped socket (RFC 4380 §4), and each hole punch's latency is
 * the time from its first to its last frame.
 */
async function expectConsistent(name: string, client: JsonClient): Promise<void> {
  if (client.teredoAddress !== null && client.mapped !== null) {
    const bytes = parseIpv6(client.teredoAddress);
    expect(bytes).not.toBeNull();
    const decoded = decodeTeredoAddress(bytes!);
    expect(decoded).not.toBeNull();
    expect(formatIpv4(decoded!.server)).toBe(client.server.primary);
    expect({ address: formatIpv4(decoded!.mappedIp), port: decoded!.mappedPort }).toEqual(client.mapped);
    // Miredo follows RFC 5991: random flag bits, no cone claim.
    expect(decoded!.cone).toBe(false);
  }
  if (client.holePunches.length === 0) return;
  const times = await dissectTimes(name);
  for (const punch of client.holePunches.filter((p) => p.outcome === 'success')) {
    const first = times.get(punch.frames[0]);
    const last = times.get(punch.frames[punch.frames.length - 1]);
    expect(first).toBeDefined();
    expect(last).toBeDefined();
    expect(punch.latencyMs).toBeCloseTo((last! - first!) * 1000, 2);
  }
}

async function onlyClient(name: string): Promise<{ report: JsonReport; client: JsonClient }> {
  const report = await analyze(name);
  expect(report.clients).toHaveLength(1);
  await expectConsistent(name, report.clients[0]);
  return { report, client: report.clients[0] };
}

describe('Miredo behind a port-preserving NAT, pinging a native IPv6 host through a relay', () => {
  const punch = (frames: readonly number[]): object => ({ peer: NATIVE_HOST, relay: RELAY, outcome: 'success', path: 'relay', missingStep: null, frames });

  it.each([
    ['inside', 14, '192.168.1.10', [5, 6, 7, 8]],
    ['outside', 17, '203.0.113.1', [5, 7, 10, 11]],
  ] as const)('seen from %s the NAT: qualified, NAT type unknown (no probes), punch through 198.51.100.20:3545', async (vantage, packets, address, frames) => {
    const { report, client } = await onlyClient(`miredo-port-preserving-${vantage}.pcap`);
    expect(report.captures).toEqual([expect.objectContaining({ packets, teredoPackets: 12, truncated: false })]);
    expect(client).toMatchObject({
      id: `${address}:33459`,
      vantage,
      endpoints: [{ address, port: 33459 }],
      mapped: { address: '203.0.113.1', port: 33459 },
      teredoAddress: '2001:0:c000:20a:c60:7d4c:34ff:8efe',
      server: SERVER,
      // Miredo 1.2.6 sends one C = 0 RS to the primary address only: nothing tells the NAT type.
      natType: 'unknown',
      qualified: true,
      relays: [{ ...RELAY, ipv6: 'fe80::c4f8:3458:24ea:e484' }],
      holePunches: [punch(frames)],
      findings: [],
    });
    expect(client.holePunches[0].latencyMs).toBeGreaterThan(0);
    expect(findingSet(report)).toEqual([]);
  });

  it('the table for a person says the same', async () => {
    const run = await runCli(['analyze', `${DIR}miredo-port-preserving-outside.pcap`]);
    expect(run.code).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.includes('203.0.113.1:33459'));
    expect(row).toBeDefined();
    for (const cell of ['2001:0:c000:20a:c60:7d4c:34ff:8efe', '192.0.2.10', 'unknown', 'qualified', '198.51.100.20:3545', '1 / 0']) expect(row).toContain(cell);
    expect(run.stdout).toContain('No findings');
  });
});

describe('Miredo behind a symmetric NAT (MASQUERADE --random-fully)', () => {
  it('inside the NAT nothing shows the per-destination mapping: unknown, qualified, punch succeeds', async () => {
    const { report, client } = await onlyClient('miredo-symmetric-inside.pcap');
    expect(client).toMatchObject({
      id: '192.168.1.10:36934',
      endpoints: [{ address: '192.168.1.10', port: 36934 }],
      mapped: { address: '203.0.113.1', port: 30806 },
      teredoAddress: '2001:0:c000:20a:49e:87a9:34ff:8efe',
      natType: 'unknown',
      qualified: true,
      relays: [{ ...RELAY, ipv6: 'fe80::14a3:eea9:d401:c5e2' }],
    });
    expect(client.holePunches.map((p) => [p.outcome, p.frames])).toEqual([['success', [5, 6, 7, 8]]]);
    // RS at frames 3 and 17, 30 s apart: Miredo's refresh.
    expect(client.refreshIntervalSeconds).toBeCloseTo(30, 1);
    expect(findingSet(report)).toEqual([]);
  });

  it('outside the NAT the relay sees another port than the server: symmetric, still qualified', async () => {
    const { report, client } = await onlyClient('miredo-symmetric-outside.pcap');
    expect(client).toMatchObject({
      id: '203.0.113.1:30806',
      // 30806 toward the server (frames 3–7, 22–23), 16092 toward the relay (frames 10–17, 24–27).
      endpoints: [
        { address: '203.0.113.1', port: 30806 },
        { address: '203.0.113.1', port: 16092 },
      ],
      mapped: { address: '203.0.113.1', port: 30806 },
      teredoAddress: '2001:0:c000:20a:49e:87a9:34ff:8efe',
      server: SERVER,
      natType: 'symmetric',
      qualified: true,
      relays: [{ ...RELAY, ipv6: 'fe80::14a3:eea9:d401:c5e2' }],
      findings: ['symmetric-nat', 'address-mismatch'],
    });
    // Miredo's relay accepted the bubble from the other port, so the punch still worked.
    expect(client.holePunches.map((p) => [p.outcome, p.frames])).toEqual([['success', [5, 7, 10, 11]]]);
    // RA with the mapping (4), first packet from 16092 (10), the refresh RS from 30806 again (22).
    expect(findingSet(report)).toEqual(['address-mismatch:info@10,12,14,16,24,26', 'symmetric-nat:warning@4,7,10,22']);
    const symmetric = report.findings.find((f) => f.kind === 'symmetric-nat')!;
    expect(symmetric.client).toBe('203.0.113.1:30806');
    expect(symmetric.message).toContain('203.0.113.1:16092');
    expect(symmetric.displayFilter).toBe('frame.number == 4 || frame.number == 7 || frame.number == 10 || frame.number == 22');
  });
});

describe('NAT rebinding: the NAT changes its public address while Miredo is idle', () => {
  it('inside the NAT: one client, mapping-changed at the refresh RA, a new punch with the new address', async () => {
    const { report, client } = await onlyClient('miredo-rebinding-inside.pcap');
    expect(client).toMatchObject({
      id: '192.168.1.10:56089',
      endpoints: [{ address: '192.168.1.10', port: 56089 }],
      // The last mapping and the address built from it.
      mapped: { address: '203.0.113.9', port: 56089 },
      teredoAddress: '2001:0:c000:20a:309a:24e6:34ff:8ef6',
      natType: 'unknown',
      qualified: true,
      findings: ['mapping-changed'],
    });
    expect(client.holePunches.map((p) => [p.peer, p.outcome, p.frames])).toEqual([
      [NATIVE_HOST, 'success', [5, 6, 7, 8]],
      [NATIVE_HOST, 'success', [17, 18, 19, 20]],
    ]);
    expect(client.relays.map((r) => `${r.address}:${r.port}`)).toEqual(['198.51.100.20:3545']);
    expect(findingSet(report)).toEqual(['mapping-changed:warning@4,16']);
    expect(report.findings[0].message).toContain('203.0.113.1:56089');
    expect(report.findings[0].message).toContain('203.0.113.9:56089');
  });

  it('outside the NAT the refresh RS from the new address continues the client: one client, a probable mapping-changed (defect 6)', async () => {
    const { report, client } = await onlyClient('miredo-rebinding-outside.pcap');
    // The refresh RS (frame 24) comes from 203.0.113.9 with a fresh nonce and new random flag bits:
    // only the timing (30 s after the last RS, the old socket silent since frame 15) links it.
    expect([client.id, client.endpoints, client.mapped, client.teredoAddress, client.natType, client.qualified, client.holePunches.map((p) => p.frames)]).toEqual([
      '203.0.113.1:56089',
      [{ address: '203.0.113.1', port: 56089 }, { address: '203.0.113.9', port: 56089 }],
      { address: '203.0.113.9', port: 56089 },
      '2001:0:c000:20a:309a:24e6:34ff:8ef6',
      'unknown',
      true,
      [[5, 7, 10, 11], [26, 27, 30, 31]],
    ]);
    expect(findingSet(report)).toEqual(['mapping-changed:warning@4,15,24,25']);
    const message = report.findings[0].message;
    expect(message).toContain('203.0.113.1:56089');
    expect(message).toContain('203.0.113.9:56089');
    expect(message).toMatch(/probabl/i);
  });
});

describe('Teredo server unreachable (UDP 3544 dropped at the server)', () => {
  it.each(['inside', 'outside'] as const)('seen from %s the NAT: three unanswered RSs 4 s apart → offline', async (vantage) => {
    const { report, client } = await onlyClient(`miredo-offline-${vantage}.pcap`);
    expect(client).toMatchObject({
      id: `${vantage === 'inside' ? '192.168.1.10' : '203.0.113.1'}:48403`,
      mapped: null,
      teredoAddress: null,
      server: SERVER,
      natType: 'offline',
      qualified: false,
      relays: [],
      holePunches: [],
      findings: ['offline'],
    });
    expect(findingSet(report)).toEqual(['offline:error@3,4,5']);
  });
});

describe('client to client: Miredo behind one NAT pings another Miredo client behind a second NAT', () => {
  it.each([
    ['inside', '192.168.1.10', [5, 6, 7]],
    ['outside', '203.0.113.1', [8, 9, 10]],
  ] as const)('seen from %s the first NAT: direct bubble, indirect bubble via the server, the peer’s bubble back', async (vantage, address, frames) => {
    const { report, client } = await onlyClient(`miredo-client-to-client-${vantage}.pcap`);
    expect(client).toMatchObject({
      id: `${address}:53901`,
      mapped: { address: '203.0.113.1', port: 53901 },
      teredoAddress: '2001:0:c000:20a:18a9:2d72:34ff:8efe',
      natType: 'unknown',
      qualified: true,
      relays: [],
      findings: [],
    });
    // Miredo's bubbles to a peer come from a link-local address, not from its Teredo address.
    expect(client.holePunches).toEqual([
      expect.objectContaining({ peer: '2001:0:c000:20a:3cfb:19be:34ff:8efd', relay: null, path: 'direct', outcome: 'success', missingStep: null, frames }),
    ]);
    expect(findingSet(report)).toEqual([]);
  });
});

describe('dissect finds every Teredo frame tshark finds with its heuristic on', () => {
  const recorded = new Map(
    readFileSync(`${DIR}tshark-teredo-frames.tsv`, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [file, frames] = line.split('\t');
        return [file, frames.split(',').map(Number)] as const;
      }),
  );
  const tsharkInstalled = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

  function tsharkFrames(file: string): number[] {
    if (!tsharkInstalled) return recorded.get(file) ?? [];
    const run = spawnSync('tshark', ['-r', `${DIR}${file}`, '-o', 'teredo.heuristic_teredo:TRUE', '-Y', 'teredo', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    return run.stdout.split('\n').filter((line) => line !== '').map(Number);
  }

  it('every capture is listed', () => {
    expect([...recorded.keys()]).toHaveLength(30);
  });

  it.each([...recorded.keys()])('%s', async (file) => {
    const expected = tsharkFrames(file);
    expect(expected.length).toBeGreaterThan(0);
    expect([...(await dissectTimes(file)).keys()]).toEqual(expected);
  });
});
