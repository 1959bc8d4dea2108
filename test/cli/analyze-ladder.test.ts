import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mermaid from 'mermaid';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const scratch = mkdtempSync(join(tmpdir(), 'teredoscope-analyze-ladder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('analyze --ladder', () => {
  it('draws frames 6, 7, 30–33 of the sample in order, 80 columns wide when not a terminal, without colour', async () => {
    const run = await runCli(['analyze', '--ladder', '-q', SAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(run.stdout).not.toContain('\u001b[');
    const frames = lines.map((line) => /^\s*([\d–]+)\s+\d+\.\d{3}\s/.exec(line)?.[1]).filter((frame) => frame !== undefined);
    expect(frames).toEqual(['6', '7', '29', '30', '31', '32', '33', '34–57']);
    expect(run.stdout).toContain('│ RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88');
    expect(run.stdout).toContain('│ relay bubble via server, origin 83.170.1.38:32900');
    expect(run.stdout).toMatch(/relay\s+83\.170\.1\.38:32900, fe80::708d:fe83:4114:a512/);
  });

  it('--ascii and --client pick the drawing and the client', async () => {
    const run = await runCli(['analyze', '--ladder', '--ascii', '--client', '203.0.113.9', '-q', 'fixtures/real/miredo/miredo-rebinding-outside.pcap']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\x20-\x7e\n]*$/);
    expect(run.stdout.match(/^Ladder of client/gm)).toEqual(['Ladder of client']);
    // 203.0.113.9 is the rebound mapping: it belongs to the one client first seen as 203.0.113.1.
    expect(run.stdout).toContain('Ladder of client 203.0.113.1:56089');
  });

  it('does not go with another --format', async () => {
    const run = await runCli(['analyze', '--ladder', '--format', 'json', SAMPLE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--ladder prints the ladders instead of the report');
  });

  it('refuses standard input (the capture is read twice)', async () => {
    const run = await runCli(['analyze', '--ladder', '-'], { stdin: readFileSync(SAMPLE) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not standard input');
  });
});

describe('analyze --format mermaid', () => {
  it('prints one sequenceDiagram per client that mermaid parses', async () => {
    const run = await runCli(['analyze', '--format', 'mermaid', '-q', 'fixtures/real/miredo/miredo-c2c-server-server.pcap']);
    expect(run.code).toBe(0);
    const diagrams = run.stdout.split(/^%% teredoscope ladder of client .*$/m).map((part) => part.trim()).filter((part) => part !== '');
    expect(diagrams).toHaveLength(2);
    for (const diagram of diagrams) {
      expect(diagram.startsWith('sequenceDiagram')).toBe(true);
      expect(await mermaid.parse(diagram)).toMatchObject({ diagramType: 'sequence' });
    }
    const sample = await runCli(['analyze', '--format', 'mermaid', '-q', SAMPLE]);
    expect(await mermaid.parse(sample.stdout)).toMatchObject({ diagramType: 'sequence' });
    expect(sample.stdout).toMatch(/P0->>P1: 6 · 0\.000 s · RS cone probe[^\n]*\n\s+P2->>P0: 7 /);
  });
});

describe('analyze --html', () => {
  it('writes the page and still prints the report', async () => {
    const file = join(scratch, 'report.html');
    const run = await runCli(['analyze', '--html', file, '-q', SAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 Teredo client');
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<svg class="ladder"/g)).toHaveLength(1);
    for (const frame of ['6', '7', '30', '31', '32', '33']) expect(html).toContain(`data-frame="${frame}"`);
  });

  it('names the file it cannot write (exit 2)', async () => {
    const run = await runCli(['analyze', '--html', join(scratch, 'no', 'such', 'dir.html'), '-q', SAMPLE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--html: cannot write .*dir\.html/);
  });
});
