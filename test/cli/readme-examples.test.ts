import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/run-cli.js';

/** Every `$ teredoscope …` line in the README's console blocks, with the output shown under it. */
function examples(): { command: string; output: string }[] {
  const found: { command: string; output: string }[] = [];
  let inBlock = false;
  for (const line of readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n')) {
    if (line.startsWith('```')) {
      inBlock = line.startsWith('```console');
      continue;
    }
    if (!inBlock) continue;
    if (line.startsWith('$ ')) found.push({ command: line.slice(2), output: '' });
    else if (found.length > 0) found[found.length - 1].output += `${line}\n`;
  }
  return found;
}

// `teredoscope` as an installed command would be: a script on the PATH that runs the built binary.
const shim = mkdtempSync(join(tmpdir(), 'teredoscope-readme-'));
writeFileSync(join(shim, 'teredoscope'), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_ROOT, 'bin/teredoscope.js')}" "$@"\n`);
chmodSync(join(shim, 'teredoscope'), 0o755);

describe('README', () => {
  it('is under 200 lines', () => {
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThan(200);
  });

  it('has examples for every command', () => {
    const commands = examples().map((e) => e.command.split(' ')[1]);
    for (const command of ['analyze', 'dissect', 'decode', 'encode', 'check']) expect(commands).toContain(command);
  });

  it.each(examples())('runs as shown: $command', ({ command, output }) => {
    const run = spawnSync('sh', ['-c', command], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PATH: `${shim}:${process.env.PATH ?? ''}` } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(output);
  });
});
