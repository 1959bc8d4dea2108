import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/run-cli.js';

/*
 * analyze turns TurboFan's inlining off before the report (src/cli/report-phase-tuning.ts). The
 * flag is set while Node runs, which V8 documents as possibly doing nothing, so this checks that
 * it acts: a hot loop calling a small function gets it inlined (V8 traces each inlining), unless the
 * tuning came first. Each run is a child process of its own, since V8 flags are global to a process.
 */

const TUNING = pathToFileURL(join(REPO_ROOT, 'dist/cli/report-phase-tuning.js')).href;

function inliningTrace(tune: boolean): string[] {
  const script = `
    const { tuneCompilerForReport } = await import(${JSON.stringify(TUNING)});
    if (${tune}) tuneCompilerForReport();
    function inner(x) { return x * 2 + 1; }
    function outer(n) { let s = 0; for (let i = 0; i < n; i++) s += inner(i); return s; }
    let total = 0;
    for (let k = 0; k < 2000; k++) total += outer(1000);
    console.log('total', total);
  `;
  const child = spawnSync(process.execPath, ['--trace-turbo-inlining', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.stdout).toContain('total 2000000000');
  return child.stdout.split('\n').filter((line) => line.startsWith('Inlining '));
}

describe('compiler tuning for the report phase', () => {
  it('stops TurboFan from inlining once applied', () => {
    // The control: untuned, V8 inlines inner into outer and says so.
    expect(inliningTrace(false).some((line) => /inner.*into.*outer/.test(line))).toBe(true);
    expect(inliningTrace(true)).toEqual([]);
  });
});
