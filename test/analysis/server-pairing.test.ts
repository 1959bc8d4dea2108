import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientState } from '../../src/analysis/client-state.js';
import { QUALIFICATION_TIMEOUT_S } from '../../src/analysis/protocol-timing.js';
import { ServerPairing } from '../../src/analysis/server-pairing.js';

const PRIMARY = 0xc6336463;
const SECONDARY = PRIMARY + 1;

function client(name: string): ClientState {
  return { id: name } as unknown as ClientState;
}

/** The previous implementation (a Map re-inserted on every exchange), kept as the reference. */
class ReferencePairing {
  private readonly recent = new Map<number, { client: ClientState; server: number; time: number }>();
  notePrimaryExchange(publicIp: number, who: ClientState, server: number, time: number): void {
    this.recent.delete(publicIp);
    this.recent.set(publicIp, { client: who, server, time });
    for (const [ip, probe] of this.recent) {
      if (time - probe.time <= QUALIFICATION_TIMEOUT_S && this.recent.size <= 4096) break;
      this.recent.delete(ip);
    }
  }
  probingClient(publicIp: number, destination: number, time: number): ClientState | null {
    const probe = this.recent.get(publicIp);
    if (probe === undefined || time - probe.time > QUALIFICATION_TIMEOUT_S) return null;
    return destination === probe.server + 1 ? probe.client : null;
  }
}

describe('ServerPairing', () => {
  it('names the client that just talked to the primary address, for one qualification timeout', () => {
    const pairing = new ServerPairing();
    const alice = client('alice');
    pairing.notePrimaryExchange(7, alice, PRIMARY, 100);
    expect(pairing.probingClient(7, SECONDARY, 101)).toBe(alice);
    expect(pairing.probingClient(7, PRIMARY + 5, 101)).toBeNull();
    expect(pairing.probingClient(8, SECONDARY, 101)).toBeNull();
    expect(pairing.probingClient(7, SECONDARY, 100 + QUALIFICATION_TIMEOUT_S + 0.001)).toBeNull();
  });

  it('keeps the most recently refreshed addresses when more than the bound arrive at once', () => {
    const pairing = new ServerPairing();
    const first = client('first');
    pairing.notePrimaryExchange(1, first, PRIMARY, 0);
    for (let ip = 2; ip <= 4096; ip++) pairing.notePrimaryExchange(ip, client(String(ip)), PRIMARY, 0.001);
    // Refreshed: address 1 is now the newest, so the next newcomer pushes out address 2.
    pairing.notePrimaryExchange(1, first, PRIMARY, 0.002);
    pairing.notePrimaryExchange(5000, client('new'), PRIMARY, 0.003);
    expect(pairing.probingClient(1, SECONDARY, 0.004)).toBe(first);
    expect(pairing.probingClient(2, SECONDARY, 0.004)).toBeNull();
    expect(pairing.probingClient(3, SECONDARY, 0.004)?.id).toBe('3');
  });

  it('answers as the Map it replaced did, on random exchange sequences', () => {
    const step = fc.record({ ip: fc.integer({ min: 0, max: 4500 }), gap: fc.double({ min: 0, max: 0.01, noNaN: true }), probe: fc.integer({ min: 0, max: 4500 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6000 }), (steps) => {
        const pairing = new ServerPairing();
        const reference = new ReferencePairing();
        const clients = new Map<number, ClientState>();
        let time = 0;
        for (const { ip, gap, probe } of steps) {
          time += gap;
          const who = clients.get(ip) ?? client(String(ip));
          clients.set(ip, who);
          pairing.notePrimaryExchange(ip, who, PRIMARY, time);
          reference.notePrimaryExchange(ip, who, PRIMARY, time);
          expect(pairing.probingClient(probe, SECONDARY, time)).toBe(reference.probingClient(probe, SECONDARY, time));
        }
        for (let ip = 0; ip <= 4500; ip++) expect(pairing.probingClient(ip, SECONDARY, time)).toBe(reference.probingClient(ip, SECONDARY, time));
      }),
      { numRuns: 15 },
    );
  });

  it('answers as the Map did for any IPv4 (above 2^31 too) and many addresses in few slots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }),
        fc.array(fc.record({ pick: fc.nat(), gap: fc.double({ min: 0, max: 2, noNaN: true }) }), { minLength: 1, maxLength: 3000 }),
        (pool, steps) => {
          const pairing = new ServerPairing();
          const reference = new ReferencePairing();
          let time = 0;
          for (const { pick, gap } of steps) {
            time += gap;
            const ip = pool[pick % pool.length];
            const who = client(String(ip));
            pairing.notePrimaryExchange(ip, who, PRIMARY, time);
            reference.notePrimaryExchange(ip, who, PRIMARY, time);
            for (const probe of pool) expect(pairing.probingClient(probe, SECONDARY, time)).toBe(reference.probingClient(probe, SECONDARY, time));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
