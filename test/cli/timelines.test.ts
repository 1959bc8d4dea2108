import { describe, expect, it } from 'vitest';
import { rewriteSample, SAMPLE, SCENARIOS, scratchDir, type JsonReport } from './support/everyday.js';
import { runCli } from './support/run-cli.js';

const dir = scratchDir();
const rewrite = (name: string, options: Parameters<typeof rewriteSample>[2] = {}): Promise<string> => rewriteSample(dir, name, options);

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
    expect([...new Set(report.findings.map((f) => f.kind))].sort()).toEqual(['hole-punch-failed', 'missing-relay']);
  });

  it('inside and outside the same NAT are one timeline, a client per vantage point', async () => {
    const run = await runCli(['analyze', '--json', `${SCENARIOS}/failed-punch-inside.pcap`, `${SCENARIOS}/failed-punch-outside.pcap`]);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as JsonReport).timelines).toBeUndefined();
  });
});
