import { describe, expect, it } from 'vitest';
import { oneLine, SAMPLE, SCENARIOS, type JsonReport } from './support/everyday.js';
import { parseNdjson, runCli } from './support/run-cli.js';

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
