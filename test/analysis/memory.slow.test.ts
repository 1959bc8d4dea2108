import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Peak memory of the whole `analyze` pipeline on a synthetic capture of a million clients,
 * measured in a child process of its own (vitest's workers carry their own heap): the project is
 * compiled with tsc into a temporary directory and a small script streams the generated pcap
 * through reader → decoder → dissector → analyzer → report → JSON lines, then reports its peak RSS:
 * VmHWM of its own memory image, since getrusage's maxRSS survives exec and could be vitest's.
 */

const CLIENTS = Number(process.env.MEMORY_TEST_CLIENTS ?? 1_000_000);
const LIMIT_MB = 500;

const dir = mkdtempSync(join(tmpdir(), 'teredoscope-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHILD = `
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
const [out, count] = [process.argv[2], Number(process.argv[3])];
const { manyClientsPcapChunks } = await import(out + '/synth/scenarios/many-clients.js');
const { streamTeredoPackets } = await import(out + '/cli/teredo-stream.js');
const { TeredoAnalyzer } = await import(out + '/analysis/teredo-analyzer.js');
const { buildReport } = await import(out + '/report/build-report.js');
const { reportJsonLines } = await import(out + '/cli/render/report-json.js');
const analyzer = new TeredoAnalyzer();
let packets = 0;
let peakLive = 0;
const stream = await streamTeredoPackets('-', (packet) => {
  analyzer.add(packet);
  if ((++packets & 0x3fff) === 0) peakLive = Math.max(peakLive, analyzer.liveClients);
}, { input: Readable.from(manyClientsPcapChunks({ clients: count })), onMalformed: (frame, reason) => analyzer.noteMalformed(frame, reason) });
const analysis = analyzer.finish();
const report = buildReport({ captures: [{ file: '-', format: 'pcap', packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: false }], analysis });
let jsonBytes = 0;
for (const chunk of reportJsonLines(report)) jsonBytes += chunk.length + 1;
const natTypes = {};
let qualified = 0;
for (const client of report.clients) {
  natTypes[client.natType] = (natTypes[client.natType] ?? 0) + 1;
  if (client.qualified) qualified++;
}
console.log(JSON.stringify({
  maxRssMb: Number(/^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024,
  frames: stream.frames, packets, peakLive, clients: report.clients.size, qualified, natTypes,
  findings: report.findings.length, omitted: report.findingsOmitted, jsonBytes, error: stream.error && stream.error.message,
}));
`;

interface ChildResult {
  maxRssMb: number;
  frames: number;
  packets: number;
  peakLive: number;
  clients: number;
  qualified: number;
  natTypes: Record<string, number>;
  findings: number;
  omitted: Record<string, number>;
  jsonBytes: number;
  error: string | null;
}

describe('memory', () => {
  it(`analyses ${CLIENTS.toLocaleString('en')} clients with peak RSS under ${LIMIT_MB} MB`, () => {
    const out = join(dir, 'dist');
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', out, '--sourceMap', 'false'], { encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const script = join(out, 'memory-probe.mjs');
    writeFileSync(script, CHILD);

    const child = spawnSync(process.execPath, ['--expose-gc', script, out, String(CLIENTS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as ChildResult;
    const offline = Math.floor(CLIENTS / 1000);
    expect(result.error).toBeNull();
    expect(result.clients).toBe(CLIENTS);
    expect(result.frames).toBe((CLIENTS - offline) * 2 + offline * 3);
    expect(result.packets).toBe(result.frames);
    expect(result.natTypes).toEqual({ cone: CLIENTS - offline, offline });
    expect(result.qualified).toBe(CLIENTS - offline);
    // Off-line findings beyond the per-kind cap are counted, not listed.
    expect(result.findings + (result.omitted.offline ?? 0)).toBe(offline);
    // Idle clients were closed out along the way: far fewer than all of them were ever live at once.
    expect(result.peakLive).toBeLessThan(CLIENTS / 10);
    expect(result.jsonBytes).toBeGreaterThan(CLIENTS * 200);
    expect(result.maxRssMb).toBeLessThan(LIMIT_MB);
    console.log(`memory test: peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.peakLive} live clients at most, ${(result.jsonBytes / 1e6).toFixed(0)} MB of JSON`);
  }, 180_000);
});
