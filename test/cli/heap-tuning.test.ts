import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/run-cli.js';

/*
 * analyze and dissect tune V8's heap when they start (src/cli/heap-tuning.ts). The flags are set
 * while Node runs, which V8 documents as possibly doing nothing, so this checks that they act: a
 * workload whose objects survive young-generation collections (as client state does) makes V8
 * grow its young generation, unless the tuning is applied. Each run is a child process of its own
 * (the built module, as the CLI runs it), since V8 flags are global to a process.
 */

const TUNING = pathToFileURL(join(REPO_ROOT, 'dist/cli/heap-tuning.js')).href;

function youngGenerationAfterWorkload(tune: boolean): { before: number; after: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const { tuneHeapForStreaming } = await import(${JSON.stringify(TUNING)});
    if (${tune}) tuneHeapForStreaming();
    const before = newSpace();
    // Objects that live a while, then die: like clients, they survive several scavenges.
    const window = [];
    for (let i = 0; i < 3_000_000; i++) {
      window.push({ id: i, seen: i * 0.5, tags: [i, i + 1] });
      if (window.length > 200_000) window.splice(0, 100_000);
    }
    console.log(JSON.stringify({ before, after: newSpace(), kept: window.length }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const { before, after } = JSON.parse(child.stdout) as { before: number; after: number };
  return { before, after };
}

describe('heap tuning for streaming commands', () => {
  it('keeps the young generation near its size when the command started, where V8 would grow it', () => {
    const untuned = youngGenerationAfterWorkload(false);
    const tuned = youngGenerationAfterWorkload(true);
    // The control: without the tuning V8 grows the young generation to its maximum (1 → 32 MiB here).
    expect(untuned.after).toBeGreaterThanOrEqual(untuned.before * 8);
    // Tuned, it grows once at most (1 → 2 MiB here).
    expect(tuned.after).toBeLessThanOrEqual(tuned.before * 2);
  });
});
