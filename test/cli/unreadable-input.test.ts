import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneLine, SAMPLE, scratchDir, type JsonReport } from './support/everyday.js';
import { runCli } from './support/run-cli.js';

const dir = scratchDir();

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
