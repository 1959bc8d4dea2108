import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIREDO_CONE, MIREDO_SYMMETRIC, RESTRICTED, SAMPLE, SCENARIOS, SYMMETRIC, removeScratch, sampleExpectations, scratchDir } from './support/check-fixtures.js';
import { REPO_ROOT, runCli } from './support/run-cli.js';

let scratch = '';

beforeAll(async () => {
  scratch = await scratchDir();
});

afterAll(async () => {
  await removeScratch(scratch);
});

describe('teredoscope check', () => {
  it('--fail-on on the miredo captures: a symmetric NAT the client qualified behind is a warning', async () => {
    for (const [args, code] of [
      [['--fail-on', 'symmetric-nat', MIREDO_SYMMETRIC], 1],
      [['--fail-on', 'symmetric-nat', MIREDO_CONE], 0],
      [['--fail-on', 'symmetric-nat', RESTRICTED], 0],
      [[MIREDO_SYMMETRIC], 0],
      [['--fail-on', 'warning', MIREDO_SYMMETRIC], 1],
      [['--fail-on', 'none', SYMMETRIC], 0],
    ] as const) {
      const run = await runCli(['check', ...args]);
      expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(code);
    }
  });

  it('takes a directory as one trace per capture, and --merge as one trace', async () => {
    const dir = join(scratch, 'pair');
    await mkdir(dir, { recursive: true });
    await copyFile(resolve(REPO_ROOT, SYMMETRIC), join(dir, 'a.pcap'));
    await copyFile(resolve(REPO_ROOT, RESTRICTED), join(dir, 'b.pcap'));
    await writeFile(join(dir, 'README.md'), '# notes\n');
    const fromDir = await runCli(['check', dir]);
    expect(fromDir.stdout).toContain(`FAIL  ${join(dir, 'a.pcap')}  1 client; symmetric-nat 1`);
    expect(fromDir.stdout).toContain(`PASS  ${join(dir, 'b.pcap')}  1 client; no findings`);
    expect(fromDir.stderr).toContain(`${dir}: skipped 1 file that is not a capture (README.md)`);
    expect(fromDir.code).toBe(1);

    // --merge: the same two files as one rotated capture, one trace.
    const merged = await runCli(['check', '--merge', '--fail-on', 'none', SYMMETRIC, RESTRICTED]);
    expect(merged.code).toBe(0);
    expect(merged.stdout.split('\n')[0]).toMatch(new RegExp(`^PASS  ${SYMMETRIC.replace(/\./g, '\\.')} \\+ ${RESTRICTED.replace(/\./g, '\\.')}  `));
    expect(merged.stdout).toContain('1 trace: 1 passed, 0 failed');
  });

  it('rejects an unknown key with exit 2, naming the file, the line and the key', async () => {
    const file = join(scratch, 'typo.yaml');
    await writeFile(file, sampleExpectations('cone').replace('qualified: true', 'qualifed: true'));
    const run = await runCli(['check', '--expect', file, SAMPLE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:8: 'qualifed': unknown key in a client`);
    expect(run.stdout).toBe('');
  });

  it('--write-expect writes a file that today\'s analysis passes', async () => {
    const file = join(scratch, 'baseline', 'expect.yaml');
    await mkdir(join(scratch, 'baseline'), { recursive: true });
    const traces = [SAMPLE, SYMMETRIC, `${SCENARIOS}/three-clients-inside.pcap`, MIREDO_SYMMETRIC];
    const write = await runCli(['check', '--write-expect', '--expect', file, ...traces]);
    expect(write.code).toBe(0);
    expect(write.stderr).toContain('review it before committing');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('natType: symmetric');
    const check = await runCli(['check', '--expect', file, '--junit', join(scratch, 'baseline.xml'), ...traces]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('4 traces: 4 passed, 0 failed');
    const json = await runCli(['check', '--write-expect', SAMPLE]);
    expect(json.stdout).toContain(`trace: ${SAMPLE}`);
  });

  it('writes a Markdown summary', async () => {
    const summary = join(scratch, 'summary.md');
    const run = await runCli(['check', '--summary', summary, SYMMETRIC, SAMPLE]);
    expect(run.code).toBe(1);
    const text = await readFile(summary, 'utf8');
    expect(text).toContain('## teredoscope check: 1 of 2 traces failed');
    expect(text).toContain(`| \`${SYMMETRIC}\` | ❌ FAIL | 1 | symmetric-nat 1 | — |`);
    expect(text).toContain('display filter: `frame.number == 5 || frame.number == 7`');
  });

  it('reports usage errors with exit 2', async () => {
    const run = await runCli(['check', '--fail-on', 'symetric-nat', SAMPLE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--fail-on: unknown 'symetric-nat'");
    expect((await runCli(['check', '--expect', join(scratch, 'missing.yaml'), SAMPLE])).code).toBe(2);
  });
});
