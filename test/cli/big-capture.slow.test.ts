import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReportJson } from '../../src/cli/render/report-json.js';
import { reportTableLines } from '../../src/cli/render/report-table.js';
import { buildReport } from '../../src/report/build-report.js';
import { ReportClientList } from '../../src/report/report-client-list.js';
import type { Report } from '../../src/report/report.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { ra, rs } from '../analysis/support/packet-factory.js';
import { manyClientsPcapChunks } from '../../src/synth/scenarios/many-clients.js';
import { REPO_ROOT } from './support/run-cli.js';

const BIN = join(REPO_ROOT, 'bin/teredoscope.js');
const dir = mkdtempSync(join(tmpdir(), 'teredoscope-big-'));
// A long name on purpose: the progress line must shorten it to stay on one terminal line.
const BIG = join(dir, `a-rather-long-capture-file-name-from-a-ring-buffer-of-a-busy-teredo-relay-200000-clients.pcap`);
writeFileSync(BIG, Buffer.concat([...manyClientsPcapChunks({ clients: 200_000 })]));

/** A report of `n` clients, each a copy of one real client with its own id. */
function reportOf(n: number): Report {
  const analyzer = new TeredoAnalyzer();
  analyzer.add(rs(1, 0, '192.168.1.10:40000', '198.51.100.80', '0000000000000001'));
  analyzer.add(ra(2, 0.1, '198.51.100.80', '192.168.1.10:40000', '0000000000000001', '203.0.113.7:40000'));
  const one = buildReport({ captures: [{ file: 'x.pcap', format: 'pcap', packets: 2, teredoPackets: 2, truncated: false }], analysis: analyzer.finish() });
  const client = one.clients.get(0);
  return { ...one, clients: new ReportClientList(n, (i) => ({ ...client, id: `11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:40000` })) };
}

function cpuMs(render: () => void): number {
  const start = process.cpuUsage();
  render();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('big captures', () => {
  it('renders the table of 200,000 clients in linear time, within a few times the JSON', () => {
    const drain = (lines: Iterable<string>): void => {
      for (const line of lines) if (line.length < 0) throw new Error('unreachable');
    };
    const small = cpuMs(() => drain(reportTableLines(reportOf(20_000), { color: false })));
    const large = cpuMs(() => drain(reportTableLines(reportOf(200_000), { color: false })));
    const json = cpuMs(() => renderReportJson(reportOf(200_000)));
    expect(large / small).toBeLessThan(20); // 10× the clients: linear, with room for noise
    expect(large).toBeLessThan(Math.max(6 * json, 3000));
  }, 120_000);

  it('dissect … | head -1: stops reading when standard output closes, quietly', async () => {
    const full = Date.now();
    const all = spawnSync(process.execPath, [BIN, 'dissect', '--quiet', BIG], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const fullMs = Date.now() - full;
    expect(all.status).toBe(0);
    const started = Date.now();
    const result = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'dissect', BIG], { stdio: ['ignore', 'pipe', 'pipe'] });
      let first = '';
      let stderr = '';
      child.stdout.once('data', (chunk: Buffer) => {
        first = chunk.toString('utf8').split('\n')[0];
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
    expect(result.first).toMatch(/^1 {2}2024-01-01T00:00:00/);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(fullMs / 2);
  }, 120_000);

  it('the progress line stays within an 80-column terminal and redraws in place', () => {
    const command = `'${process.execPath}' '${BIN}' dissect --format json '${BIG}' > /dev/null`;
    const run = spawnSync('script', ['-qec', `stty cols 80 rows 50; ${command}`, '/dev/null'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.status).toBe(0);
    // eslint-disable-next-line no-control-regex -- what the terminal shows, without its control sequences
    const drawn = run.stdout.split(/\r|\n/).map((line) => line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')).filter((line) => line.includes(' M/s'));
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect([...line].length).toBeLessThan(80);
    expect(drawn.some((line) => line.startsWith('…'))).toBe(true);
  }, 120_000);
});
