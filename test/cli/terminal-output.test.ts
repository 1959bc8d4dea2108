import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manyClientsPcapChunks } from '../../src/synth/scenarios/many-clients.js';
import { SAMPLE, SCENARIOS, scratchDir } from './support/everyday.js';
import { REPO_ROOT } from './support/run-cli.js';

const dir = scratchDir();

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
    expect(out).toMatch(/Findings by kind:\r?\n\s+3 hole-punch-failed {2}e\.g\. client 192\.168\.1\.10:40000, frames /);
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
