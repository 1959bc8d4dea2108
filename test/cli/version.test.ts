import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/run-cli.js';

/*
 * The CLI runs from one bundled file (scripts/bundle-cli.mjs), where yargs can no longer find
 * package.json from its own directory; --version must still print the package's version from any
 * working directory.
 */
describe('teredoscope --version', () => {
  it("prints package.json's version whatever the working directory", () => {
    const expected = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const cwd of [REPO_ROOT, tmpdir()]) {
      const child = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'teredoscope.js'), '--version'], { cwd, encoding: 'utf8' });
      expect(child.status).toBe(0);
      expect(child.stdout.trim()).toBe(expected);
    }
  });
});
