// Issue 12, defect 10: a verdict must not depend on --max-live-clients. A server's own capture
// (src/synth/server-vantage-mix.ts) with more clients live at once than the old default cap of
// 4096 gives the same per-client verdicts with the default settings as with the cap raised past
// the client count, and those verdicts are what the generator planned. Runs on dist/ (built first).
import { describe, expect, it } from 'vitest';
import { serverMixClientId, serverMixPlan } from '../../src/synth/server-vantage-mix.js';
import { runServerMix } from './support/server-mix-probe.js';

const CLIENTS = 6000;

/** The verdict line the generator's plan for client `index` must produce (see ServerMixPlan). */
function planned(index: number): string {
  const id = serverMixClientId(index);
  switch (serverMixPlan(index)) {
    case 'relay':
      return `${id} unknown true unobservable:client-bubble `;
    case 'offline':
      return `${id} offline false  offline`;
    case 'retry':
      return `${id} unknown true  `;
  }
}

describe('a server capture with 6,000 clients live at once', () => {
  it('gives the planned verdict for every client, with the default settings and with the limit raised', () => {
    const expected = Array.from({ length: CLIENTS }, (_, i) => planned(i)).sort();
    const byDefault = runServerMix(CLIENTS, 'default');
    const raised = runServerMix(CLIENTS, 1 << 20);
    expect(raised.verdicts).toEqual(expected);
    expect(byDefault.verdicts).toEqual(raised.verdicts);
    expect(byDefault.clientLimitFindings).toBe(0);
    // Offline clients are the only errors: every third client.
    expect(byDefault.errors).toBe(CLIENTS / 3);
  }, 120_000);
});

describe('with --max-live-clients below the clients live at once', () => {
  it('marks exactly the clients closed early (client-limit) and reports no verdict of theirs that differs from the plan', () => {
    const clients = 1500;
    const run = runServerMix(clients, 128);
    const expected = new Set(Array.from({ length: clients }, (_, i) => planned(i)));
    const marked = run.verdicts.filter((v) => v.includes('client-limit'));
    expect(marked.length).toBeGreaterThan(0);
    expect(run.clientLimitFindings).toBe(1);
    // Every client not marked got its planned verdict; every marked one carries no other finding.
    for (const verdict of run.verdicts) {
      if (verdict.includes('client-limit')) expect(verdict.endsWith(' client-limit')).toBe(true);
      else expect(expected.has(verdict)).toBe(true);
    }
  }, 120_000);
});
