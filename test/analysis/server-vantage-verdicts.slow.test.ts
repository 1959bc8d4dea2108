// Issue 12, defect 10, "Done when": a server capture with 50,000 clients live gives the same
// per-client verdicts with the default settings as with --max-live-clients raised past the client
// count, and peak RSS stays under 512 MB. Two child processes on dist/ (built first), ~1 min.
import { describe, expect, it } from 'vitest';
import { runServerMix } from './support/server-mix-probe.js';

const CLIENTS = 50_000;
const MAX_RSS = 512 * 1024 * 1024;

describe('a server capture with 50,000 clients live at once', () => {
  it('same per-client verdicts with the default settings and with the limit raised, under 512 MB peak RSS', () => {
    const byDefault = runServerMix(CLIENTS, 'default');
    const raised = runServerMix(CLIENTS, 1 << 20);
    expect(byDefault.verdicts).toHaveLength(CLIENTS);
    expect(byDefault.verdicts).toEqual(raised.verdicts);
    expect(byDefault.clientLimitFindings).toBe(0);
    expect(byDefault.maxRss).toBeLessThan(MAX_RSS);
    console.log(`peak RSS: default ${(byDefault.maxRss / 2 ** 20).toFixed(0)} MiB, raised ${(raised.maxRss / 2 ** 20).toFixed(0)} MiB`);
  }, 600_000);
});
