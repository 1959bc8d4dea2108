import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFrames, hostileScratch, outputLines, teredoPcap } from '../support/hostile-captures.js';
import { BIN, collectRun, runCli, type CliRun } from './support/run-cli.js';

/*
 * Issue 16, classes 5 and 6 (and the directory part of issue 15) through the built CLI: file names
 * that carry terminal escapes or newlines, file names that are not UTF-8, directories that hold
 * other files and symbolic links.
 */

const { path, directory } = hostileScratch('names');
/** Sets the terminal title (OSC 0 … BEL), clears the screen (CSI 2 J), and starts a new line. */
const EVIL = 'evil\u001b]0;pwned\u0007\u001b[2J\nline.pcap';
const EVIL_SHOWN = 'evil\\x1b]0;pwned\\x07\\x1b[2J\\nline.pcap';

/** No byte of these reaches the terminal raw: ESC, BEL, or a line break inside a line. */
function expectNoControls(text: string): void {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
}

/** Runs the CLI through bash so that an argument can be bytes that are not UTF-8 (printf '\xff'). */
function runWithRawArgument(args: string[], printfArgument: string): Promise<CliRun> {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `exec "${process.execPath}" "${BIN}" ${quoted} "$(printf '${printfArgument}')"`], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectRun(child);
}

describe('class 5: file names with terminal escapes', () => {
  it('the one-line error escapes them (and stays one line)', async () => {
    const missing = path(EVIL);
    const run = await runCli(['dissect', missing]);
    expect(run.code).toBe(3);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${path(EVIL_SHOWN)}: cannot open: no such file`]);
    expectNoControls(run.stderr);
  });

  it('a damaged capture with such a name: its packets, then one escaped line, exit 4', async () => {
    const bytes = teredoPcap(3);
    const file = path(`cut-${EVIL}`);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    const run = await runCli(['dissect', '-q', file]);
    expect(dissectFrames(run.stdout)).toEqual([1, 2]);
    expect(outputLines(run.stderr)).toEqual([expect.stringMatching(/^teredoscope: .*cut-evil\\x1b\]0;pwned\\x07\\x1b\[2J\\nline\.pcap: truncated after frame 2: /)]);
    expect(run.code).toBe(4);
  });

  it('the table, the Markdown capture list and the dissect line prefixes escape them', async () => {
    const ring = path('ring-evil');
    mkdirSync(ring);
    writeFileSync(join(ring, EVIL), teredoPcap(2));
    writeFileSync(join(ring, 'plain.pcap'), teredoPcap(2, 1_700_000_100));
    for (const args of [['analyze', '-q'], ['analyze', '-q', '--format', 'markdown'], ['dissect', '-q']]) {
      const run = await runCli([...args, ring]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(args.includes('markdown') ? EVIL_SHOWN.replace(/\\/g, '\\\\').replace(/\]/g, '\\]').replace(/\[/g, '\\[') : EVIL_SHOWN);
      expectNoControls(run.stdout);
      expectNoControls(run.stderr);
    }
  });

  it('a finding that names a damaged file (truncated-capture) escapes it in the table and in Markdown', async () => {
    const ring = path('ring-truncated');
    mkdirSync(ring);
    const bytes = teredoPcap(3);
    writeFileSync(join(ring, EVIL), bytes.subarray(0, bytes.length - 10));
    writeFileSync(join(ring, 'plain.pcap'), teredoPcap(2, 1_700_000_100));
    for (const args of [['analyze', '-q'], ['analyze', '-q', '--format', 'markdown']]) {
      const run = await runCli([...args, ring]);
      expect(run.code).toBe(4);
      expect(run.stdout).toContain('truncated-capture');
      expectNoControls(run.stdout);
      expect(outputLines(run.stderr)).toEqual([expect.stringMatching(/^teredoscope: .*evil\\x1b\]0;pwned\\x07\\x1b\[2J\\nline\.pcap: truncated after frame 2: /)]);
    }
  });

  it('decode escapes control bytes of the lines it echoes', async () => {
    const run = await runCli(['decode'], { stdin: 'not\u001b[2Jan address\n' });
    expect(outputLines(run.stderr)).toEqual(["teredoscope: 'not\\x1b[2Jan address' is not an IPv6 address"]);
    expect(run.code).toBe(1);
  });
});

describe('class 6: file names that are not UTF-8', () => {
  it('a name given on the command line opens, and is shown with its bytes as \\xNN', async () => {
    const name = Buffer.concat([Buffer.from(`${directory}/caf`), Buffer.from([0xe9, 0x2d, 0xff]), Buffer.from('.pcap')]);
    writeFileSync(name, teredoPcap(3));
    const run = await runWithRawArgument(['dissect'], `${directory}/caf\\xe9-\\xff.pcap`);
    expect(dissectFrames(run.stdout)).toEqual([1, 2, 3]);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${directory}/caf\\xe9-\\xff.pcap: 3 frames, 3 Teredo packets (pcap)`]);
    expect(run.code).toBe(0);
  });

  it('a missing one is named as it was typed, bytes and all', async () => {
    const run = await runWithRawArgument(['dissect'], `${directory}/missing-\\xfe.pcap`);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${directory}/missing-\\xfe.pcap: cannot open: no such file`]);
    expect(run.code).toBe(3);
  });

  it('a name found in a directory listing opens', async () => {
    const ring = path('ring-latin1');
    mkdirSync(ring);
    writeFileSync(Buffer.from(`${ring}/ring_\u00e9_1.pcap`, 'latin1'), teredoPcap(2));
    const run = await runCli(['dissect', ring]);
    expect(dissectFrames(run.stdout)).toEqual([1, 2]);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${ring}/ring_\\xe9_1.pcap: 2 frames, 2 Teredo packets (pcap)`]);
    expect(run.code).toBe(0);
  });
});

describe('directories (class 5 and issue 15)', () => {
  it('skips files that are not captures with one warning line, follows symbolic links', async () => {
    const ring = path('mixed');
    mkdirSync(ring);
    writeFileSync(join(ring, 'ring_1.pcap'), teredoPcap(2));
    writeFileSync(join(ring, 'README.md'), '# captures of the lab\n');
    writeFileSync(join(ring, 'run.sh'), '#!/bin/sh\n');
    writeFileSync(join(ring, 'empty.pcap'), '');
    const outside = path('outside.pcap');
    writeFileSync(outside, teredoPcap(2, 1_700_000_100));
    symlinkSync(outside, join(ring, 'ring_2.pcap'));
    symlinkSync(path('nowhere.pcap'), join(ring, 'dangling.pcap'));
    const run = await runCli(['dissect', '-q', ring]);
    expect(outputLines(run.stdout).map((line) => line.split('  ')[0])).toEqual([`${ring}/ring_1.pcap:1`, `${ring}/ring_1.pcap:2`, `${ring}/ring_2.pcap:1`, `${ring}/ring_2.pcap:2`]);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${ring}: skipped 4 files that are not captures (dangling.pcap, empty.pcap, README.md, run.sh)`]);
    expect(run.code).toBe(0);
  });

  it('a file named on the command line that is not a capture still fails (exit 3)', async () => {
    const readme = path('README.md');
    writeFileSync(readme, '# not a capture\n');
    const run = await runCli(['dissect', '-q', readme]);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${readme}: not a capture file (magic 0x23206e6f is neither pcap nor pcapng)`]);
    expect(run.code).toBe(3);
  });
});
