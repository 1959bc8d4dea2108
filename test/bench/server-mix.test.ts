import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nonPublicSpace } from '../../src/analysis/double-nat.js';
import { writeBenchCapture } from '../../src/bench/bench-capture.js';
import { parseBenchOptions } from '../../src/bench/bench-options.js';
import { NetworkPlan } from '../../src/bench/network-plan.js';
import { Prng } from '../../src/bench/prng.js';
import type { ServerMixTally } from '../../src/bench/server-mix.js';
import type { MixTally } from '../../src/bench/traffic-generator.js';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';

/**
 * The server- and relay-vantage workloads of the benchmark: what the capture holds is what the
 * mix says (the server's two addresses only, or the relays' only), read back by the pipeline with
 * the generated counts. Not timed.
 */

const dir = mkdtempSync(join(tmpdir(), 'teredoscope-server-mix-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function packetsOf(file: string): Promise<{ packets: TeredoPacket[]; frames: number; malformed: number }> {
  const packets: TeredoPacket[] = [];
  const result = await streamTeredoPackets(file, (packet) => packets.push({ ...packet, outer: { ...packet.outer } }));
  expect(result.error).toBeNull();
  return { packets, frames: result.frames, malformed: result.dissect.malformed + result.decode.malformed };
}

describe('server-vantage mix', () => {
  it("holds only Teredo control packets to or from the server's two addresses, in the mix it says", async () => {
    const info = writeBenchCapture({ mix: 'server-1k', packets: 20_000, format: 'pcap', seed: 5 }, join(dir, 'server.pcap'));
    const tally = info.tally as ServerMixTally;
    const { packets, frames, malformed } = await packetsOf(info.file);
    expect(frames).toBe(20_000);
    expect(malformed).toBe(0);
    expect(packets).toHaveLength(20_000);
    expect(tally.byClass['teredo-control']).toBe(20_000);

    const server = new NetworkPlan(new Prng(5)).servers[0];
    const serverSide = (ip: number, port: number): boolean => (ip === server.primary || ip === server.secondary) && port === 3544;
    for (const p of packets) expect(serverSide(p.outer.srcIp, p.outer.srcPort) || serverSide(p.outer.dstIp, p.outer.dstPort)).toBe(true);

    const kinds = new Map<string, number>();
    for (const p of packets) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
    expect(kinds.get('router-solicitation')).toBeGreaterThan(8_000);
    expect(kinds.get('router-advertisement')).toBeGreaterThan(7_000);
    // Forwarded bubbles: the relay's to the server, and the server's to the client with an origin indication.
    const forwarded = packets.filter((p) => p.kind === 'bubble' && p.origin !== null && serverSide(p.outer.srcIp, p.outer.srcPort));
    expect(forwarded).toHaveLength(tally.clients.forwardedBubbles);
    expect(tally.clients.forwardedBubbles).toBeGreaterThan(0);
    // Secondary-address RSs: Windows' qualification probes.
    expect(packets.some((p) => p.kind === 'router-solicitation' && p.outer.dstIp === server.secondary)).toBe(true);
    // Every procedure and NAT type is present, and some clients share one NAT address.
    for (const count of [...Object.values(tally.clients.byNat), ...Object.values(tally.clients.byProcedure)]) expect(count).toBeGreaterThan(0);
    expect(tally.clients.sharedNat).toBeGreaterThan(0);
    // Every mapped address an RA reports is public, the shared NAT's too: the mix has no double NAT.
    const mapped = packets.filter((p) => p.kind === 'router-advertisement' && p.origin !== null).map((p) => p.origin!.address);
    expect(mapped.length).toBeGreaterThan(7_000);
    expect(mapped.filter((address) => nonPublicSpace(address) !== null)).toEqual([]);
    // Far more distinct clients than are live at once would need hours; at least the live ones start.
    expect(tally.clients.clients).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps about the number of live clients it was given, refreshing each every 30 s', () => {
    const small = writeBenchCapture({ mix: 'server-1k', packets: 30_000, format: 'pcap', seed: 2 }, join(dir, 'small.pcap')).tally as ServerMixTally;
    const large = writeBenchCapture({ mix: 'server-10k', packets: 30_000, format: 'pcap', seed: 2 }, join(dir, 'large.pcap')).tally as ServerMixTally;
    // Ten times the clients send ten times the refreshes per second: the same packets last a tenth as long.
    const ratio = small.durationSeconds / large.durationSeconds;
    expect(ratio).toBeGreaterThan(6);
    expect(ratio).toBeLessThan(14);
    // 1,000 live clients refresh about 1000 / 30 times a second.
    expect(small.clients.refreshes / small.durationSeconds).toBeGreaterThan(20);
    expect(small.clients.refreshes / small.durationSeconds).toBeLessThan(45);
  });
});

describe('relay-vantage mix', () => {
  it("holds only frames to or from the relays, no background", async () => {
    const info = writeBenchCapture({ mix: 'relay', packets: 5_000, format: 'pcap', seed: 3 }, join(dir, 'relay.pcap'));
    const tally = info.tally as MixTally;
    expect(tally.byClass.background).toBe(0);
    const relays = new Set(new NetworkPlan(new Prng(3)).relays.map((relay) => relay.ip));
    const { packets, frames } = await packetsOf(info.file);
    expect(frames).toBe(5_000);
    expect(packets).toHaveLength(5_000);
    for (const p of packets) expect(relays.has(p.outer.srcIp) || relays.has(p.outer.dstIp)).toBe(true);
    expect(packets.some((p) => p.kind === 'bubble')).toBe(true);
  });
});

describe('bench options', () => {
  it('runs every mix by default, fewer packets and one run with --quick, and refuses an unknown mix', () => {
    const full = parseBenchOptions([]);
    expect(full.mixes).toEqual(['data-heavy', 'server-1k', 'server-10k', 'server-50k', 'relay']);
    expect(full.runs).toBe(3);
    expect(full.packetsFor['data-heavy']).toBe(2_000_000);
    const quick = parseBenchOptions(['--quick', '--mixes', 'server-50k']);
    expect(quick.mixes).toEqual(['server-50k']);
    expect(quick.runs).toBe(1);
    expect(quick.packetsFor['server-50k']).toBe(200_000);
    expect(parseBenchOptions(['--packets', '300k']).packetsFor.relay).toBe(300_000);
    expect(() => parseBenchOptions(['--mixes', 'server-2k'])).toThrow(/unknown mix/);
  });
});
