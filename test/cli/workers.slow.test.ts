import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleWithMalformed } from '../support/capture-with-malformed.js';
import { runCli } from './support/run-cli.js';

/*
 * `--workers` moves capture → decode → dissect into a worker thread per file. Whatever a user
 * runs, the output, the messages and the exit code must be those of the one-thread path.
 */

const dir = mkdtempSync(join(tmpdir(), 'teredoscope-workers-'));

function cut(file: string, keep: number): string {
  const path = join(dir, `cut-${keep}.pcap`);
  writeFileSync(path, readFileSync(file).subarray(0, keep));
  return path;
}

async function expectSameBothWays(args: string[]): Promise<void> {
  const [one, workers] = await Promise.all([runCli([...args, '--quiet']), runCli([...args, '--quiet', '--workers'])]);
  expect(workers).toEqual(one);
}

describe('--workers gives what one thread gives', () => {
  const captures = [
    'fixtures/real/wireshark-teredo.pcap',
    'fixtures/real/zeek-gtp-teredo.pcap',
    'fixtures/real/snort-teredo-tcp.pcap',
    'fixtures/real/miredo/miredo-symmetric-outside.pcap',
    'fixtures/synthetic/scenarios/three-clients-outside.pcap',
    'fixtures/synthetic/scenarios/failed-punch-inside.pcap',
  ];

  it.each(captures)('%s: analyze --format json and dissect --json / --verbose', async (file) => {
    await expectSameBothWays(['analyze', '--format', 'json', file]);
    await expectSameBothWays(['dissect', '--json', file]);
    await expectSameBothWays(['dissect', '--verbose', file]);
  });

  it('malformed datagrams among the packets', async () => {
    const file = await sampleWithMalformed();
    await expectSameBothWays(['analyze', '--format', 'json', file]);
    const run = await runCli(['analyze', '--format', 'json', '--workers', file]);
    expect(run.stdout).toContain('"kind": "malformed-teredo"');
  });

  it('several files merged into one timeline', async () => {
    await expectSameBothWays(['analyze', '--format', 'json', 'fixtures/real/miredo/miredo-symmetric-inside.pcap', 'fixtures/real/miredo/miredo-symmetric-outside.pcap']);
    await expectSameBothWays(['dissect', '--json', 'fixtures/real/wireshark-teredo.pcap', 'fixtures/real/zeek-teredo-bubble-with-payload.pcap']);
  });

  it('a truncated capture: the packets before the cut, the same message and exit code 4', async () => {
    const truncated = cut('fixtures/real/wireshark-teredo.pcap', 6000);
    const run = await runCli(['analyze', '--format', 'json', '--workers', truncated]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/cut-6000\.pcap/);
    await expectSameBothWays(['analyze', '--format', 'json', truncated]);
    await expectSameBothWays(['dissect', '--json', truncated]);
  });

  it('a file that is not a capture and one that does not exist: exit 3, same messages', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a capture at all\n');
    for (const file of [text, join(dir, 'missing.pcap')]) {
      const run = await runCli(['analyze', '--workers', file]);
      expect(run.code).toBe(3);
      await expectSameBothWays(['analyze', file]);
    }
  });
});
