import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateJunit } from './check/support/junit-schema.js';
import { RESTRICTED, SAMPLE, SYMMETRIC, removeScratch, sampleExpectations, scratchDir } from './support/check-fixtures.js';
import { REPO_ROOT, runCli } from './support/run-cli.js';

let scratch = '';

beforeAll(async () => {
  scratch = await scratchDir();
});

afterAll(async () => {
  await removeScratch(scratch);
});

describe('teredoscope check (issue 14, done-when)', () => {
  it('--fail-on symmetric-nat exits 1 on a symmetric trace and 0 on a cone one', async () => {
    for (const [trace, code] of [
      [SYMMETRIC, 1],
      [SAMPLE, 0],
    ] as const) {
      const run = await runCli(['check', '--fail-on', 'symmetric-nat', trace]);
      expect(run.code, `${trace}\n${run.stdout}${run.stderr}`).toBe(code);
      expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^${code === 0 ? 'PASS' : 'FAIL'}  ${trace.replace(/\./g, '\\.')}  1 client`));
    }
  });

  it('passes an expectation file for wireshark-teredo.pcap and fails the same file with natType: symmetric', async () => {
    const good = join(scratch, 'good.yaml');
    const bad = join(scratch, 'bad.yaml');
    await writeFile(good, sampleExpectations('cone'));
    await writeFile(bad, sampleExpectations('symmetric'));
    const pass = await runCli(['check', '--expect', good, SAMPLE]);
    expect(pass.code, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toContain(`PASS  ${SAMPLE}  1 client; no findings; 0 of 8 expectations failed`);
    const fail = await runCli(['check', '--expect', bad, SAMPLE]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain(`FAIL  ${SAMPLE}`);
    expect(fail.stdout).toContain(`${SAMPLE}: client 192.168.2.16:3797: natType is cone, expected symmetric (${bad}:7)`);
  });

  it('writes JUnit XML that validates against the schema with the right counts', async () => {
    const expect1 = join(scratch, 'junit.yaml');
    await writeFile(expect1, sampleExpectations('symmetric'));
    const junit = join(scratch, 'out.xml');
    const run = await runCli(['check', '--expect', expect1, '--junit', junit, SAMPLE, SYMMETRIC, 'no-such.pcap']);
    expect(run.code).toBe(3);
    const { problems, counts, cases } = validateJunit(await readFile(junit, 'utf8'));
    expect(problems).toEqual([]);
    // sample: read + 8 expectations + "no failing findings"; symmetric: read + its finding; missing: read.
    expect(counts).toEqual({ suites: 3, tests: 13, failures: 2, errors: 1 });
    expect(cases.filter((c) => c.failure !== undefined).map((c) => [c['@classname'], c['@name']])).toEqual([
      [SAMPLE, 'client 192.168.2.16:3797 natType == symmetric'],
      [SYMMETRIC, 'symmetric-nat client 192.168.1.10:40000 frame 5'],
    ]);
    const symmetric = cases.find((c) => c['@classname'] === SYMMETRIC && c.failure !== undefined);
    expect(String((symmetric?.failure as Array<Record<string, string>>)[0]['#text'])).toContain('display filter: frame.number == 5 || frame.number == 7');
  });

  it('--github escapes %, a newline and a comma', async () => {
    const dir = join(scratch, 'gh');
    await mkdir(dir, { recursive: true });
    const odd = join(dir, '100%,sym.pcap');
    await copyFile(resolve(REPO_ROOT, SYMMETRIC), odd);
    const run = await runCli(['check', '--github', odd]);
    expect(run.code).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(1);
    const escapedPath = odd.replace(/%/g, '%25');
    expect(annotations[0].startsWith(`::error file=${escapedPath.replace(/:/g, '%3A').replace(/,/g, '%2C')},title=symmetric-nat::${escapedPath}: symmetric-nat (error), client`)).toBe(true);
    expect(annotations[0]).toContain('frames 5, 7: Symmetric NAT');
    expect(annotations[0]).toContain('%0Aframes: 5, 7%0Adisplay filter: frame.number == 5 || frame.number == 7');
  });

  it('judges two unrelated traces separately, each with its own findings', async () => {
    const separate = await runCli(['check', SYMMETRIC, RESTRICTED]);
    expect(separate.code).toBe(1);
    const lines = separate.stdout.split('\n');
    expect(lines[0]).toBe(`FAIL  ${SYMMETRIC}  1 client; symmetric-nat 1`);
    expect(lines).toContain(`PASS  ${RESTRICTED}  1 client; no findings`);
    expect(lines).toContain('2 traces: 1 passed, 1 failed');
    // As one timeline (what `analyze` does with several files) the two clients, which start at the
    // same instant from the same socket, would be one.
    const merged = await runCli(['check', '--merge', '--fail-on', 'none', SYMMETRIC, RESTRICTED]);
    expect(merged.stdout.split('\n')[0]).toContain(' + ');
    expect(merged.stdout.split('\n')[0]).toContain('  1 client;');
  });
});
