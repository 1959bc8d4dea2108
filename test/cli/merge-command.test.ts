import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import type { Report, ReportClient, ReportFinding } from '../../src/report/report.js';
import { runCli } from './support/run-cli.js';

/**
 * `teredoscope merge`: the JSON reports of shards split by client, combined into one report. Each
 * shard here is a real capture (or two) analysed on its own, as a shard would be on its own machine.
 */

const WIRESHARK = 'fixtures/real/wireshark-teredo.pcap';
const SNORT = 'fixtures/real/snort-teredo-tcp.pcap';
const ZEEK = 'fixtures/real/zeek-gtp-teredo.pcap';
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-merge-'));

type JsonReport = Omit<Report, 'clients'> & { clients: ReportClient[] };

async function analyze(name: string, ...files: string[]): Promise<{ path: string; report: JsonReport }> {
  const run = await runCli(['analyze', '-q', '--format', 'json', ...files]);
  expect(run.code).toBe(0);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, run.stdout);
  return { path, report: JSON.parse(run.stdout) as JsonReport };
}

async function merge(...args: string[]): Promise<JsonReport> {
  const run = await runCli(['merge', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(checkJsonSchema(report, REPORT_JSON_SCHEMA)).toEqual([]);
  return report;
}

const withoutMessage = (findings: readonly ReportFinding[]): unknown[] => findings.map((f) => ({ ...f, message: '' }));

describe('teredoscope merge', () => {
  it('gives what analyze gives for the captures together, when the shards do not meet in time', async () => {
    const a = await analyze('wireshark', WIRESHARK);
    const b = await analyze('snort', SNORT);
    const together = await analyze('together', WIRESHARK, SNORT);
    const merged = await merge(a.path, b.path);
    expect(merged.captures).toEqual(together.report.captures);
    expect(merged.clients).toEqual(together.report.clients);
    expect(merged.findingsOmitted).toEqual(together.report.findingsOmitted);
    // Messages name frames as their shard did ("frame 1", not "frame file:1").
    expect(withoutMessage(merged.findings)).toEqual(withoutMessage(together.report.findings));
    expect(merged.findings.map((f) => f.message)).toEqual([...a.report.findings, ...b.report.findings].map((f) => f.message));
  });

  it('renumbers every capture index of a later shard, and keeps a shard of several captures as it was', async () => {
    const first = await analyze('two-captures', WIRESHARK, ZEEK);
    const second = await analyze('one-capture', SNORT);
    const merged = await merge(first.path, second.path);
    expect(merged.captures.map((c) => c.file)).toEqual([...first.report.captures, ...second.report.captures].map((c) => c.file));
    const offset = first.report.captures.length;
    expect(merged.clients.slice(0, first.report.clients.length)).toEqual(first.report.clients);
    const later = merged.clients.slice(first.report.clients.length);
    expect(later.map((c) => c.id)).toEqual(second.report.clients.map((c) => c.id));
    for (const client of later) {
      expect(client.capture).toBe(offset);
      expect(client.lastCapture).toBe(offset);
    }
    const laterFindings = merged.findings.slice(first.report.findings.length);
    expect(laterFindings.length).toBe(second.report.findings.length);
    expect(laterFindings.length).toBeGreaterThan(0);
    for (const [i, finding] of laterFindings.entries()) {
      expect(finding.capture).toBe(offset);
      expect(finding.locations).toEqual([{ capture: offset, frames: second.report.findings[i].frames, displayFilter: second.report.findings[i].displayFilter }]);
    }
  });

  it('keeps and names a client found in two shards, and refuses files that are not reports (exit 3)', async () => {
    const a = await analyze('again', WIRESHARK);
    const overlap = await runCli(['merge', a.path, a.path]);
    expect(overlap.code).toBe(0);
    expect(overlap.stderr).toMatch(/1 client id is in more than one shard \(first: 192\.168\.2\.16:3797 in .*again\.json, .*again\.json\)/);
    const twice = JSON.parse(overlap.stdout) as JsonReport;
    expect(twice.clients.map((c) => c.id)).toEqual([...a.report.clients, ...a.report.clients].map((c) => c.id));
    expect(twice.clients.map((c) => c.capture)).toEqual([0, 1]);
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'frame 1\n');
    expect((await runCli(['merge', notJson])).code).toBe(3);
    const notReport = join(dir, 'other.json');
    writeFileSync(notReport, '{"schema": "something/1"}');
    const refused = await runCli(['merge', a.path, notReport]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('is not a teredoscope.report/1 JSON report');
    expect((await runCli(['merge', join(dir, 'missing.json')])).code).toBe(3);
  });

  it('renders the merged report as a table too', async () => {
    const a = await analyze('t1', WIRESHARK);
    const b = await analyze('t2', SNORT);
    const run = await runCli(['merge', '--format', 'table', a.path, b.path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 Teredo clients');
  });
});
