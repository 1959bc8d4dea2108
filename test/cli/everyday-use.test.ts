import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { manyClientsPcapChunks } from '../../src/synth/scenarios/many-clients.js';
import { parseNdjson, REPO_ROOT, runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const SCENARIOS = 'fixtures/synthetic/scenarios';
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-everyday-'));

interface JsonReport {
  captures: { file: string; error?: string; teredoPackets: number }[];
  clients: { id: string; packets: number; state: string; console: string | null; cause: string | null; portPreserving: boolean | null; server: { primary: string | null }; rsRaRoundTripMs: number | null }[];
  findings: { kind: string }[];
  timelines?: number[][];
}

/** The sample's frames written again, optionally shifted in time and cut to a frame range. */
async function rewrite(name: string, options: { shiftSeconds?: number; from?: number; to?: number } = {}): Promise<string> {
  const frames: { seconds: number; nanos: number; data: Uint8Array }[] = [];
  await readCapture(SAMPLE, (r) => {
    if (r.frame < (options.from ?? 1) || r.frame > (options.to ?? Infinity)) return;
    frames.push({ seconds: r.seconds + (options.shiftSeconds ?? 0), nanos: r.nanos, data: Uint8Array.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)) });
  });
  const path = join(dir, name);
  writeFileSync(path, captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: 1 });
    for (const f of frames) writer.write(f);
  }));
  return path;
}

const oneLine = (text: string): boolean => text.trim() !== '' && !text.trim().includes('\n');

describe('repeated options combine where a list makes sense, else are a one-line usage error', () => {
  it('--client twice: clients matching either', async () => {
    const three = `${SCENARIOS}/three-clients-outside.pcap`;
    const all = JSON.parse((await runCli(['analyze', '--format', 'json', three])).stdout) as JsonReport;
    expect(all.clients.length).toBeGreaterThanOrEqual(3);
    const [a, b] = all.clients.map((c) => c.id);
    const two = JSON.parse((await runCli(['analyze', '--format', 'json', '--client', a, '--client', b, three])).stdout) as JsonReport;
    expect(two.clients.map((c) => c.id)).toEqual([a, b]);
  });

  it('--frames and --address twice: packets any of them selects', async () => {
    const frames = parseNdjson((await runCli(['dissect', '--json', '--quiet', '--frames', '6', '--frames', '7', SAMPLE])).stdout).map((p) => p.frame);
    expect(frames).toEqual([6, 7]);
    const server = parseNdjson((await runCli(['dissect', '--json', '--quiet', '--address', '65.55.158.80', SAMPLE])).stdout).length;
    const relay = parseNdjson((await runCli(['dissect', '--json', '--quiet', '--address', '83.170.1.38', SAMPLE])).stdout).length;
    const both = parseNdjson((await runCli(['dissect', '--json', '--quiet', '--address', '65.55.158.80', '--address', '83.170.1.38', SAMPLE])).stdout).length;
    expect(server).toBeGreaterThan(0);
    expect(relay).toBeGreaterThan(0);
    expect(both).toBeGreaterThanOrEqual(Math.max(server, relay));
    expect(both).toBeLessThanOrEqual(server + relay);
  });

  it.each([
    [['encode', '--server', '65.55.158.80', '--server', '65.55.158.81', '--address', '70.55.215.234', '--port', '3797'], "--server given 2 times ('65.55.158.80', '65.55.158.81'); give it once"],
    [['encode', '--server', '65.55.158.80', '--address', '70.55.215.234', '--port', '1', '--port', '2'], "--port given 2 times ('1', '2')"],
    [['analyze', '--format', 'json', '--format', 'table', SAMPLE], "--format given 2 times ('json', 'table')"],
    [['dissect', '-c', '1', '-c', '2', SAMPLE], "--count given 2 times ('1', '2')"],
    [['encode', '--server', '65.55.158.80', '--address', '70.55.215.234', '--port', 'abc'], "--port: 'abc' is not a number"],
    [['dissect', '-c', 'x1', SAMPLE], "--count: 'x1' is not a number"],
    [['analyze', '--max-live-clients', '2.5', SAMPLE], "--max-live-clients: '2.5' is not a whole number"],
    [['analyze', '--format', 'xml', SAMPLE], "--format: 'xml' is not one of table, json, markdown"],
    [['analyze', '--json', '--format', 'table', SAMPLE], '--json and --format table contradict each other'],
    [['analyze', '--merge', '--per-file', SAMPLE], '--merge and --per-file contradict each other'],
    [['analyze'], 'no capture given'],
    [['analyze', '--frobnicate', SAMPLE], "unknown option '--frobnicate'"],
    [['anlyze', SAMPLE], "unknown command 'anlyze'; did you mean analyze?"],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain('NaN');
    expect(run.stderr).not.toContain('internal error');
  });
});

describe('one --format everywhere, --json its alias; tshark habits', () => {
  it.each([
    [['dissect', '--quiet', SAMPLE]],
    [['analyze', SAMPLE]],
    [['decode', '2001:0:4137:9e50:8000:f12a:b9c8:2815']],
    [['encode', '--server', '65.55.158.80', '--address', '70.55.215.234', '--port', '3797']],
  ])('%j: --json is --format json', async (args) => {
    const [command, ...rest] = args;
    const json = await runCli([command, '--json', ...rest]);
    const format = await runCli([command, '--format', 'json', ...rest]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(format.stdout);
    expect(json.stdout.trim().startsWith('{')).toBe(true);
  });

  it('-r FILE names a capture, like an argument', async () => {
    expect((await runCli(['dissect', '--quiet', '-r', SAMPLE])).stdout).toBe((await runCli(['dissect', '--quiet', SAMPLE])).stdout);
    expect((await runCli(['analyze', '--json', '-r', SAMPLE])).stdout).toBe((await runCli(['analyze', '--json', SAMPLE])).stdout);
  });

  it('-c N stops after N packets', async () => {
    const lines = (await runCli(['dissect', '--quiet', '-c', '3', SAMPLE])).stdout.trim().split('\n');
    expect(lines.map((l) => Number(l.split(/\s+/)[0]))).toEqual([6, 7, 29]);
    const report = JSON.parse((await runCli(['analyze', '--json', '-c', '2', SAMPLE])).stdout) as JsonReport;
    expect(report.clients[0].packets).toBe(2);
  });
});

describe('unreadable inputs', () => {
  const text = join(dir, 'notes.txt');
  const empty = join(dir, 'empty.pcap');
  writeFileSync(text, 'not a capture\n');
  writeFileSync(empty, '');

  it.each([
    ['a missing file', [join(dir, 'missing.pcap')], ''],
    ['a text file', [text], ''],
    ['an empty file', [empty], ''],
    ['empty standard input', ['-'], ''],
  ])('%s: the error, no report, exit 3', async (_, files, stdin) => {
    for (const format of ['table', 'json']) {
      const run = await runCli(['analyze', '--format', format, ...files], { stdin });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(oneLine(run.stderr)).toBe(true);
    }
  });

  it('some inputs failed: the report, and the JSON says which failed', async () => {
    const run = await runCli(['analyze', '--format', 'json', SAMPLE, join(dir, 'missing.pcap')]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as JsonReport;
    const missing = report.captures.find((c) => c.file.endsWith('missing.pcap'));
    expect(missing?.error).toMatch(/cannot open/);
    expect(report.captures.find((c) => c.file === SAMPLE)?.error).toBeUndefined();
    expect(report.clients).toHaveLength(1);
    const table = await runCli(['analyze', SAMPLE, join(dir, 'missing.pcap')]);
    expect(table.stdout).toMatch(/missing\.pcap: 0 packets.*\n\s+not read: cannot open/);
  });
});

describe('analyze merges only what looks like one capture', () => {
  it('rotated files (consecutive, same network) are one timeline, without a word', async () => {
    const first = await rewrite('ring_1.pcap', { to: 31 });
    const second = await rewrite('ring_2.pcap', { from: 32 });
    const run = await runCli(['analyze', '--json', '--quiet', second, first]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.clients).toHaveLength(1);
    expect(report.timelines).toBeUndefined();
    const apart = JSON.parse((await runCli(['analyze', '--json', '--per-file', first, second])).stdout) as JsonReport;
    expect(apart.timelines).toEqual([[0], [1]]);
  });

  it('the same network days apart: a timeline each, standard error says why and how to choose', async () => {
    const later = await rewrite('later.pcap', { shiftSeconds: 3 * 86400 });
    const run = await runCli(['analyze', '--json', SAMPLE, later]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^teredoscope: analysing 2 captures as 2 separate timelines: .*later\.pcap starts 3 days after .*wireshark-teredo\.pcap ends; --merge analyses them as one\n$/);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.timelines).toEqual([[0], [1]]);
    expect(report.clients).toHaveLength(2);
    const merged = await runCli(['analyze', '--json', '--merge', SAMPLE, later]);
    expect(merged.stderr).toBe('');
    expect((JSON.parse(merged.stdout) as JsonReport).timelines).toBeUndefined();
  });

  it('unrelated test networks that overlap on one client socket are not merged', async () => {
    const run = await runCli(['analyze', '--json', `${SCENARIOS}/failed-punch-inside.pcap`, `${SCENARIOS}/missing-relay-inside.pcap`]);
    expect(run.stderr).toMatch(/overlap in time and both show the same client socket/);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.timelines).toHaveLength(2);
    expect(report.findings.map((f) => f.kind).sort()).toEqual(['hole-punch-failed', 'missing-relay']);
  });

  it('inside and outside the same NAT are one timeline, a client per vantage point', async () => {
    const run = await runCli(['analyze', '--json', `${SCENARIOS}/failed-punch-inside.pcap`, `${SCENARIOS}/failed-punch-outside.pcap`]);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as JsonReport).timelines).toBeUndefined();
  });
});

describe('in the words people use', () => {
  it('table and JSON carry state, console label, cause, server and RS→RA time', async () => {
    const report = JSON.parse((await runCli(['analyze', '--json', SAMPLE])).stdout) as JsonReport;
    expect(report.clients[0]).toMatchObject({ state: 'qualified', console: 'Open', portPreserving: true, cause: null, server: { primary: '65.55.158.80' } });
    expect(report.clients[0].rsRaRoundTripMs).toBeGreaterThan(0);
    const offline = await runCli(['analyze', `${SCENARIOS}/offline-inside.pcap`]);
    expect(offline.stdout).toContain('Teredo unable to qualify');
    expect(offline.stdout).toMatch(/│ offline\s+│ offline\s+│/);
    expect(offline.stdout).toContain('Router Solicitations to UDP 3544 never');
  });
});

describe('on an 80-column terminal', () => {
  /** Runs a command under a pseudo-terminal (script) of 80 columns; its output as the terminal got it. */
  function onTerminal(args: string[]): string {
    const command = [process.execPath, join(REPO_ROOT, 'bin/teredoscope.js'), ...args].map((a) => `'${a}'`).join(' ');
    const run = spawnSync('script', ['-qec', `stty cols 80 rows 50; ${command}`, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status).toBe(0);
    return run.stdout;
  }
  // eslint-disable-next-line no-control-regex -- measuring what a terminal shows
  const visible = (line: string): number => [...line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')].length;
  const widest = (text: string): number => Math.max(...text.split(/\r?\n|\r/).map(visible));

  it.each([
    [['analyze', SAMPLE]],
    [['analyze', `${SCENARIOS}/three-clients-inside.pcap`, `${SCENARIOS}/three-clients-outside.pcap`]],
    [['analyze', `${SCENARIOS}/failed-punch-inside.pcap`]],
    [['analyze', '--all', `${SCENARIOS}/offline-outside.pcap`]],
    [['decode', '2001:0:1117:34fa:1027:374b:e1fc:f635', 'fe80::8000:ffff:ffff:fffd']],
  ])('%j: no line wider than 80', (args) => {
    const out = onTerminal(args);
    expect(out.length).toBeGreaterThan(0);
    expect(widest(out)).toBeLessThanOrEqual(80);
  });

  it('analyze leads with a summary; findings per kind with an example', () => {
    const out = onTerminal(['analyze', `${SCENARIOS}/failed-punch-inside.pcap`]);
    const lines = out.split(/\r?\n/);
    const summary = lines.findIndex((line) => /^\d+ Teredo clients?: /.test(line));
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(lines.findIndex((line) => line.startsWith('┌')));
    expect(out).toMatch(/NAT types: /);
    expect(out).toMatch(/Findings by kind:\r?\n\s+1 hole-punch-failed {2}e\.g\. client 192\.168\.1\.10:40000, frames /);
  });
});

describe('a capture of many clients on a terminal', () => {
  const many = join(dir, 'sixty-clients.pcap');
  writeFileSync(many, Buffer.concat([...manyClientsPcapChunks({ clients: 60, offlineEvery: 10 })]));
  const terminal = (args: string[]): string => {
    const command = [process.execPath, join(REPO_ROOT, 'bin/teredoscope.js'), ...args].map((a) => `'${a}'`).join(' ');
    return spawnSync('script', ['-qec', `stty cols 200 rows 50; ${command}`, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout;
  };
  const rows = (text: string): string[] => text.split(/\r?\n/).filter((line) => /^│ 11\.\d+\.\d+\.\d+:\d+/.test(line));

  it('shows the summary and the 20 worst clients first (the offline ones), --all every row', () => {
    const out = terminal(['analyze', many]);
    expect(out).toMatch(/60 Teredo clients: 54 qualified, 6 offline/);
    expect(out).toContain('Worst 20 of 60 clients (--all for every row):');
    const shown = rows(out);
    expect(shown).toHaveLength(20);
    expect(shown.slice(0, 6).every((line) => line.includes('offline'))).toBe(true);
    expect(rows(terminal(['analyze', '--all', many]))).toHaveLength(60);
    // Piped: every row, in the order of the capture, no summary.
    const piped = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/teredoscope.js'), 'analyze', many], { encoding: 'utf8' }).stdout;
    expect(rows(piped)).toHaveLength(60);
    expect(piped).not.toContain('Worst');
  });
});

describe('double NAT', () => {
  // The restricted scenario with its NAT's public address 203.0.113.7 replaced by 100.64.215.199
  // (carrier-grade NAT space) wherever it appears, plain or obfuscated: both have the same 16-bit
  // one's-complement sum, so every checksum stays valid.
  const patch = (name: string): string => {
    const bytes = readFileSync(`${SCENARIOS}/${name}.pcap`);
    const swaps: [number[], number[]][] = [[[0xcb, 0x00, 0x71, 0x07], [0x64, 0x40, 0xd7, 0xc7]]];
    swaps.push([swaps[0][0].map((b) => ~b & 0xff), swaps[0][1].map((b) => ~b & 0xff)]);
    for (const [from, to] of swaps) for (let at = bytes.indexOf(Buffer.from(from)); at !== -1; at = bytes.indexOf(Buffer.from(from), at + 1)) bytes.set(to, at);
    const path = join(dir, `${name}-cgn.pcap`);
    writeFileSync(path, bytes);
    return path;
  };

  it.each(['restricted-inside', 'restricted-outside'])('%s behind carrier-grade NAT: a double-nat finding and the cause', async (name) => {
    const run = await runCli(['analyze', '--json', patch(name)]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.kind)).toEqual(['double-nat']);
    expect(report.clients[0].cause).toMatch(/^double NAT: the server saw 100\.64\.215\.199/);
    const table = await runCli(['analyze', patch(name)]);
    expect(table.stdout).toMatch(/WARNING double-nat {2}client /);
  });
});
