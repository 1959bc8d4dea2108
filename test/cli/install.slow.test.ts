import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/run-cli.js';

const SAMPLE = join(REPO_ROOT, 'fixtures/real/wireshark-teredo.pcap');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** A fresh project that depends on teredoscope as installed from `spec`. */
function projectWith(spec: string): string {
  const project = mkdtempSync(join(tmpdir(), 'teredoscope-install-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-teredoscope', version: '1.0.0', private: true }));
  execFileSync(NPM, ['install', ...QUIET, spec], { cwd: project, stdio: 'pipe' });
  return project;
}

/** `npx teredoscope …` in the project, as a CI job would run it. */
function npx(project: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npx', ['--no-install', 'teredoscope', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

function works(project: string): void {
  const encode = npx(project, ['encode', '--server', '65.55.158.80', '--address', '70.55.215.234', '--port', '3797', '--cone']);
  expect(encode.stderr).toBe('');
  expect(encode.stdout).toBe('2001:0:4137:9e50:8000:f12a:b9c8:2815\n');
  const analyze = npx(project, ['analyze', '--format', 'json', SAMPLE]);
  expect(analyze.status).toBe(0);
  expect((JSON.parse(analyze.stdout) as { clients: unknown[] }).clients).toHaveLength(1);
}

describe('installing teredoscope', () => {
  it('from a packed tarball: bin and dist, no sources or benchmarks; npx teredoscope works', () => {
    const packs = mkdtempSync(join(tmpdir(), 'teredoscope-pack-'));
    execFileSync(NPM, ['pack', '--silent', '--pack-destination', packs], { cwd: REPO_ROOT, stdio: 'pipe' });
    const tarball = readdirSync(packs).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const listing = execFileSync('tar', ['tzf', join(packs, tarball!)], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('package/bin/teredoscope.js');
    expect(listing).toContain('package/dist/cli/main.js');
    expect(listing.filter((file) => /^package\/(src|test|dist\/bench|dist\/fuzz)\//.test(file) || file.endsWith('.map'))).toEqual([]);
    works(projectWith(join(packs, tarball!)));
  }, 300_000);

  it('from a git URL (npm install git+file://…): prepare builds dist/, npx teredoscope works', () => {
    // A clone of the committed tree, as `npm install git+https://…` would fetch it.
    const clone = join(mkdtempSync(join(tmpdir(), 'teredoscope-git-')), 'teredoscope');
    mkdirSync(clone);
    execFileSync('git', ['clone', '--quiet', REPO_ROOT, clone], { stdio: 'pipe' });
    works(projectWith(`git+file://${clone}`));
  }, 300_000);
});
