import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const TEREDO_FRAMES = [6, 7, ...Array.from({ length: 21 }, (_, i) => 29 + i), 52, 53, 54, 55, 56, 57];

function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('teredoscope dissect on the sample capture', () => {
  it('finds all 29 Teredo frames with no option, one line each', async () => {
    const run = await runCli(['dissect', '--quiet', SAMPLE]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((line) => Number(line.split(/\s+/)[0]))).toEqual(TEREDO_FRAMES);
    expect(lines[0]).toContain('192.168.2.16:3797 > 65.55.158.80:3544');
    expect(lines[0]).toContain('nonce=cd5669400b22df88');
    expect(lines[0]).toContain('router-solicitation');
    expect(lines[1]).toContain('origin=70.55.215.234:3797');
    expect(run.stderr).toBe('');
  });

  it('writes the documented NDJSON fields (frame 7 as in the capture README)', async () => {
    const run = await runCli(['dissect', '--json', '--quiet', SAMPLE]);
    expect(run.code).toBe(0);
    const packets = parseNdjson(run.stdout);
    expect(packets).toHaveLength(29);
    const frame7 = packets.find((p) => p.frame === 7);
    expect(frame7).toMatchObject({
      frame: 7,
      time: '2008-05-16T15:50:52.324629Z',
      outer: { src: '65.55.158.81', srcPort: 3544, dst: '192.168.2.16', dstPort: 3797 },
      auth: { idLength: 0, authLength: 0, clientId: '', authValue: '', nonce: 'cd5669400b22df88', confirmation: 0 },
      origin: { address: '70.55.215.234', port: 3797 },
      ipv6: { src: 'fe80::8000:f227:bec8:61af', dst: 'fe80::8000:ffff:ffff:fffd', nextHeader: 58, hopLimit: 255 },
      kind: 'router-advertisement',
      trailers: [],
      anomalies: [],
    });
    const kinds = Object.fromEntries(packets.map((p) => [p.frame, p.kind]));
    expect(kinds).toMatchObject({ 6: 'router-solicitation', 29: 'bubble', 30: 'echo-request', 31: 'bubble', 32: 'bubble', 33: 'echo-reply', 34: 'data', 57: 'data' });
    expect(packets.find((p) => p.frame === 31)).toMatchObject({ origin: { address: '83.170.1.38', port: 32900 }, ipv6: { src: 'fe80::708d:fe83:4114:a512' } });
  });

  it.runIf(tsharkAvailable())('agrees with tshark field by field on every Teredo frame', async () => {
    const fields = ['frame.number', 'frame.time_epoch', 'ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'teredo.auth.nonce', 'teredo.orig.addr', 'teredo.orig.port', 'ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'ipv6.plen', 'ipv6.hlim'];
    const tshark = execFileSync('tshark', ['-r', SAMPLE, '-o', 'teredo.heuristic_teredo:TRUE', '-Y', 'teredo', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const expected = tshark.trim().split('\n').map((line) => line.split('\t'));
    const packets = parseNdjson((await runCli(['dissect', '--json', '--quiet', SAMPLE])).stdout) as Array<{
      frame: number;
      time: string;
      outer: { src: string; srcPort: number; dst: string; dstPort: number };
      auth: { nonce: string } | null;
      origin: { address: string; port: number } | null;
      ipv6: { src: string; dst: string; nextHeader: number; payloadLength: number; hopLimit: number };
    }>;
    expect(packets.map((p) => p.frame)).toEqual(expected.map((row) => Number(row[0])));
    packets.forEach((p, i) => {
      const [frame, epoch, ipSrc, sport, ipDst, dport, nonce, origAddr, origPort, v6src, v6dst, nxt, plen, hlim] = expected[i];
      const [seconds, fraction] = epoch.split('.');
      expect(p.time, `frame ${frame}`).toBe(`${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction.slice(0, 6)}Z`);
      expect([p.outer.src, String(p.outer.srcPort), p.outer.dst, String(p.outer.dstPort)], `frame ${frame}`).toEqual([ipSrc, sport, ipDst, dport].map((v) => v.split(',').pop()));
      expect(p.auth?.nonce ?? '', `frame ${frame}`).toBe(nonce);
      expect(p.origin === null ? ['', ''] : [p.origin.address, String(p.origin.port)], `frame ${frame}`).toEqual([origAddr, origPort]);
      expect([p.ipv6.src, p.ipv6.dst, String(p.ipv6.nextHeader), String(p.ipv6.payloadLength), String(p.ipv6.hopLimit)], `frame ${frame}`).toEqual([v6src, v6dst, nxt, plen, hlim]);
    });
  });

  it('filters by frame range and by address', async () => {
    const frames = await runCli(['dissect', '--quiet', '--frames', '6-7,31', SAMPLE]);
    expect(frames.stdout.trim().split('\n').map((l) => Number(l.split(/\s+/)[0]))).toEqual([6, 7, 31]);
    const relay = await runCli(['dissect', '--quiet', '--json', '--address', '83.170.1.38', SAMPLE]);
    const relayFrames = parseNdjson(relay.stdout).map((p) => p.frame);
    expect(relayFrames).toContain(29);
    expect(relayFrames).toContain(31);
    expect(relayFrames).not.toContain(6);
    expect(relayFrames).not.toContain(30);
    const bad = await runCli(['dissect', '--frames', '20-10', SAMPLE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--frames: '20-10' is an empty range/);
  });

  it('prints a field tree with --verbose', async () => {
    const run = await runCli(['dissect', '--quiet', '-v', '--frames', '7', SAMPLE]);
    expect(run.stdout).toMatch(/^Frame 7: /);
    expect(run.stdout).toMatch(/Teredo Authentication header\n\s+Client identifier length: 0/);
    expect(run.stdout).toMatch(/Origin IPv4: 70\.55\.215\.234/);
    expect(run.stdout).toMatch(/Prefix: 2001:0:4137:9e50::\/64 \(Teredo prefix, server 65\.55\.158\.80\)/);
  });

  it('reads standard input and gzip, sniffing the format from the bytes', async () => {
    const bytes = readFileSync(SAMPLE);
    const plain = await runCli(['dissect', '--quiet', '--json', '-'], { stdin: bytes });
    const gzip = await runCli(['dissect', '--quiet', '--json', '-'], { stdin: gzipSync(bytes) });
    expect(plain.code).toBe(0);
    expect(gzip.code).toBe(0);
    const strip = (text: string): unknown[] => parseNdjson(text).map(({ file: _file, ...rest }) => rest);
    expect(strip(plain.stdout)).toHaveLength(29);
    expect(strip(gzip.stdout)).toEqual(strip(plain.stdout));
  });

  it('summarises each file on standard error unless --quiet', async () => {
    const run = await runCli(['dissect', SAMPLE]);
    expect(run.stderr).toBe(`teredoscope: ${SAMPLE}: 78 frames, 29 Teredo packets (pcap)\n`);
  });
});

describe('teredoscope dissect on the other real captures', () => {
  // The capture README names frames 3 and 6; frame 5 (the same bubble relayed by the server) carries the
  // same 4 bytes "1234" after the IPv6 header, and Zeek's own baseline logs it too.
  it('flags the bubbles with payload (frames 3, 5 and 6) and still finds all 29 frames', async () => {
    const packets = parseNdjson((await runCli(['dissect', '--json', '--quiet', 'fixtures/real/zeek-teredo-bubble-with-payload.pcap'])).stdout) as Array<{
      frame: number;
      kind: string;
      anomalies: Array<{ kind: string }>;
    }>;
    expect(packets).toHaveLength(29);
    const flagged = packets.filter((p) => p.anomalies.some((a) => a.kind === 'bubble-with-payload'));
    expect(flagged.map((p) => [p.frame, p.kind])).toEqual([
      [3, 'bubble'],
      [5, 'bubble'],
      [6, 'bubble'],
    ]);
  });

  it('does not trust the UDP-in-UDP false positive', async () => {
    const run = await runCli(['dissect', '--json', 'fixtures/real/zeek-teredo-udp-in-udp.pcap']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/1 frame, 0 Teredo packets/);
  });

  it('dissects the crafted Snort capture and flags its non-global embedded IPv4', async () => {
    const packets = parseNdjson((await runCli(['dissect', '--json', '--quiet', 'fixtures/real/snort-teredo-tcp.pcap'])).stdout) as Array<{
      kind: string;
      data: { protocol: number } | null;
      anomalies: Array<{ kind: string }>;
    }>;
    expect(packets).toHaveLength(8);
    expect(packets.every((p) => p.kind === 'data' && p.data?.protocol === 6)).toBe(true);
    expect(packets.every((p) => p.anomalies.some((a) => a.kind === 'non-global-embedded-ipv4'))).toBe(true);
  });

  it('opens GTP-U to reach the Teredo inside', async () => {
    const packets = parseNdjson((await runCli(['dissect', '--json', '--quiet', 'fixtures/real/zeek-gtp-teredo.pcap'])).stdout);
    expect(packets.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(packets.filter((p) => p.kind === 'router-solicitation').map((p) => p.frame)).toEqual([6, 7]);
  });
});
