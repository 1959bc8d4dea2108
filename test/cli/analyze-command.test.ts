import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';

interface JsonReport {
  schema: string;
  captures: Array<{ file: string; format: string; packets: number; teredoPackets: number; truncated: boolean }>;
  clients: Array<Record<string, unknown>>;
  findings: Array<{ kind: string; severity: string; client: string | null; frames: number[]; message: string; displayFilter: string }>;
}

describe('teredoscope analyze on the sample capture', () => {
  it('reports the one client as the issue expects, in JSON', async () => {
    const run = await runCli(['analyze', '--format', 'json', SAMPLE]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.schema).toBe('teredoscope.report/1');
    expect(report.captures).toEqual([expect.objectContaining({ file: SAMPLE, format: 'pcap', packets: 78, teredoPackets: 29, truncated: false })]);
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({
      id: '192.168.2.16:3797',
      endpoints: [{ address: '192.168.2.16', port: 3797 }],
      mapped: { address: '70.55.215.234', port: 3797 },
      teredoAddress: '2001:0:4137:9e50:8000:f12a:b9c8:2815',
      server: { primary: '65.55.158.80', secondary: '65.55.158.81' },
      natType: 'cone',
      qualified: true,
      relays: [{ address: '83.170.1.38', port: 32900, ipv6: 'fe80::708d:fe83:4114:a512' }],
      holePunches: [{ peer: '2001:4860:0:2001::68', relay: { address: '83.170.1.38', port: 32900 }, outcome: 'success', frames: [30, 31, 32, 33] }],
    });
    expect(report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
  });

  it('shows the same in the table for a person', async () => {
    const run = await runCli(['analyze', SAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/78 packets, 29 Teredo packets/);
    const row = run.stdout.split('\n').find((line) => line.includes('192.168.2.16:3797'));
    expect(row).toBeDefined();
    for (const cell of ['2001:0:4137:9e50:8000:f12a:b9c8:2815', '65.55.158.80', 'cone', 'qualified', 'Open', '83.170.1.38:32900', '1 / 0']) expect(row).toContain(cell);
    expect(run.stdout).toContain('65.55.158.81');
    expect(run.stdout.includes('\u001b[')).toBe(false); // no colour when not on a terminal
  });

  it('writes Markdown', async () => {
    const run = await runCli(['analyze', '--format', 'markdown', SAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\|.*Client.*\|/m);
    expect(run.stdout).toContain('`2001:0:4137:9e50:8000:f12a:b9c8:2815`');
  });

  it('narrows to one client with --client and rejects a bad one', async () => {
    // A --client that matches nothing is a mistake (a typo in a CI job must not pass): no report, exit 1.
    const none = await runCli(['analyze', '--format', 'json', '--client', '10.0.0.1', SAMPLE]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^teredoscope: --client '10\.0\.0\.1': no such client among the 1 Teredo client of the capture\n$/);
    const mapped = JSON.parse((await runCli(['analyze', '--format', 'json', '--client', '70.55.215.234', SAMPLE])).stdout) as JsonReport;
    expect(mapped.clients).toHaveLength(1);
    const bad = await runCli(['analyze', '--client', 'nobody', SAMPLE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--client: 'nobody'/);
  });

  it('--max-live-clients: a client closed early while active is reported; a bad value is a usage error', async () => {
    const three = 'fixtures/synthetic/scenarios/three-clients-outside.pcap';
    const exact = JSON.parse((await runCli(['analyze', '--format', 'json', three])).stdout) as JsonReport;
    expect(exact.findings.map((f) => f.kind)).not.toContain('client-limit');
    const capped = JSON.parse((await runCli(['analyze', '--format', 'json', '--max-live-clients', '1', three])).stdout) as JsonReport;
    expect(capped.clients).toHaveLength(exact.clients.length);
    expect(capped.findings.filter((f) => f.kind === 'client-limit')).toHaveLength(1);
    for (const [value, problem] of [['0', 'is out of range'], ['-3', 'is out of range'], ['1.5', 'is not a whole number'], ['many', 'is not a number']]) {
      const bad = await runCli(['analyze', `--max-live-clients=${value}`, SAMPLE]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`--max-live-clients: '${value}' ${problem}`);
    }
  });

  it('--memory-budget sets the same limit from the memory the clients may take (about 1.5 KiB each)', async () => {
    const three = 'fixtures/synthetic/scenarios/three-clients-outside.pcap';
    const kinds = async (...options: string[]): Promise<string[]> => (JSON.parse((await runCli(['analyze', '--format', 'json', ...options, three])).stdout) as JsonReport).findings.map((f) => f.kind);
    // 1.5K holds one client, as --max-live-clients 1 does; 1G holds them all.
    expect(await kinds('--memory-budget', '1.5K')).toEqual(await kinds('--max-live-clients', '1'));
    expect(await kinds('--memory-budget', '1.5K')).toContain('client-limit');
    expect(await kinds('--memory-budget', '1GiB')).toEqual(await kinds());
    for (const [args, message] of [
      [['--memory-budget', 'lots'], "--memory-budget: 'lots' is not a size (e.g. 512M, 2G)"],
      [['--memory-budget', '1K'], "--memory-budget: '1K' is too small for one client"],
      [['--memory-budget', '1G', '--max-live-clients', '5'], '--memory-budget and --max-live-clients set the same limit; give one'],
    ]) {
      const bad = await runCli(['analyze', ...args, SAMPLE]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(message);
    }
    const check = await runCli(['check', '--memory-budget', '1.5K', '--fail-on', 'client-limit', three]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('client-limit');
  });
});

describe('teredoscope analyze on synthetic scenarios', () => {
  it('flags a symmetric NAT with the frames that prove it and a display filter', async () => {
    const run = await runCli(['analyze', '--format', 'json', 'fixtures/synthetic/scenarios/symmetric-inside.pcap']);
    expect(run.code).toBe(0); // findings are the report, not a failure
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.clients[0]).toMatchObject({ natType: 'symmetric', qualified: false });
    const finding = report.findings.find((f) => f.kind === 'symmetric-nat');
    expect(finding).toMatchObject({ severity: 'error', frames: [5, 7] });
    expect(finding?.displayFilter).toMatch(/frame\.number/);
  });

  it('reports a truncated capture, keeps what came before, and exits 4', async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const bytes = readFileSync(SAMPLE);
    const path = join(mkdtempSync(join(tmpdir(), 'teredoscope-analyze-')), 'cut.pcap');
    writeFileSync(path, bytes.subarray(0, bytes.length - 30));
    const run = await runCli(['analyze', '--format', 'json', path]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cut\.pcap: truncated after frame 77/);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.captures[0]).toMatchObject({ format: 'pcap', packets: 77, truncated: true });
    expect(report.clients).toHaveLength(1);
    expect(report.findings.map((f) => f.kind)).toContain('truncated-capture');
  });
});
