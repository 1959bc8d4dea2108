import { describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from './support/run-cli.js';

describe('teredoscope decode', () => {
  it('decodes the issue example into a table', async () => {
    const run = await runCli(['decode', '2001:0:1117:34fa:1027:374b:e1fc:f635']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/17\.23\.52\.250/);
    expect(run.stdout).toMatch(/0x1027/);
    expect(run.stdout).toMatch(/51380/);
    expect(run.stdout).toMatch(/30\.3\.9\.202/);
    expect(run.stdout).toMatch(/│ no /);
  });

  it('prints one JSON object per address with --json', async () => {
    const run = await runCli(['decode', '--json', '2001:0:4137:9e50:8000:f12a:b9c8:2815', '2001:0:1117:34fa:1027:374b:e1fc:f635']);
    expect(run.code).toBe(0);
    const [first, second] = parseNdjson(run.stdout);
    expect(first).toMatchObject({ valid: true, kind: 'teredo', server: '65.55.158.80', flags: 0x8000, cone: true, mappedPort: 3797, mappedAddress: '70.55.215.234' });
    expect(second).toMatchObject({ server: '17.23.52.250', flagsHex: '0x1027', cone: false, mappedPort: 51380, mappedAddress: '30.3.9.202' });
  });

  it('exits 1 on a non-Teredo or malformed address but still decodes the others', async () => {
    const run = await runCli(['decode', '--json', '2001:db8::1', 'not-an-address', '2001:0:4137:9e50:8000:f12a:b9c8:2815']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2001:db8::1 is not a Teredo address/);
    expect(run.stderr).toMatch(/'not-an-address' is not an IPv6 address/);
    const reports = parseNdjson(run.stdout);
    expect(reports.map((r) => r.valid)).toEqual([false, false, true]);
    expect(reports[2]).toMatchObject({ mappedAddress: '70.55.215.234' });
  });

  it('reads one address a line from standard input', async () => {
    const run = await runCli(['decode', '--json'], { stdin: '2001:0:4137:9e50:8000:f12a:b9c8:2815\n\n2001:0:1117:34fa:1027:374b:e1fc:f635\n' });
    expect(run.code).toBe(0);
    expect(parseNdjson(run.stdout).map((r) => r.mappedPort)).toEqual([3797, 51380]);
  });

  it('recognises the link-local forms used during qualification', async () => {
    const run = await runCli(['decode', '--json', 'fe80::8000:ffff:ffff:fffd', 'fe80::ffff:ffff:fffe']);
    expect(run.code).toBe(0);
    expect(parseNdjson(run.stdout).map((r) => r.kind)).toEqual(['teredo-link-local', 'teredo-link-local']);
  });
});

describe('teredoscope encode', () => {
  it('builds the address of the sample capture client', async () => {
    const run = await runCli(['encode', '--server', '65.55.158.80', '--address', '70.55.215.234', '--port', '3797', '--cone']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815\n');
  });

  it('takes a whole flags field', async () => {
    const run = await runCli(['encode', '--server', '17.23.52.250', '--address', '30.3.9.202', '--port', '51380', '--flags', '0x1027']);
    expect(run.stdout).toBe('2001:0:1117:34fa:1027:374b:e1fc:f635\n');
  });

  it('rejects a bad IPv4 with a usage error', async () => {
    const run = await runCli(['encode', '--server', '65.55.158', '--address', '70.55.215.234', '--port', '3797']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--server: '65\.55\.158' is not an IPv4 address/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('usage', () => {
  it('exits 2 on an unknown command or a missing argument', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli([])).code).toBe(2);
    const missing = await runCli(['encode', '--server', '65.55.158.80']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing required argument/);
  });

  it('documents the exit codes in --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Exit codes:/);
    expect(run.stdout).toMatch(/4 +capture truncated/);
    for (const command of ['decode', 'encode', 'dissect']) expect(run.stdout).toContain(command);
  });
});
