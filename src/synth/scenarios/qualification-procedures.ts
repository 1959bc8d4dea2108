import { SERVER_DELAY, RS_SOURCE, type TeredoClientSim } from './teredo-client-sim.js';
import type { Socket } from './scenario.js';

/** What the simulated qualification ended with (the truth the analysis should find). */
export type QualificationTruth = 'cone' | 'restricted' | 'symmetric' | 'offline' | 'unusable' | 'qualified';

export interface ProcedureResult {
  truth: QualificationTruth;
  /** Time after the last packet of the procedure. */
  end: number;
}

const TIMEOUT = 4;
const RETRIES = 3;

function sameSocket(a: Socket, b: Socket): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/**
 * RFC 4380 §5.2.1 as a 2008 Windows client does it: cone RSs (C = 1) to the primary, answered
 * from the secondary; after three timeouts plain RSs; then the plain RS to the secondary and the
 * comparison of mapped sockets. A symmetric NAT makes an RFC 4380 client give up.
 */
export function qualifyRfc4380(client: TeredoClientSim, start: number, options: { serverDown?: boolean; staleRaBeforeFirst?: boolean } = {}): ProcedureResult {
  const { primary, secondary } = client.server;
  let t = start;
  for (let i = 0; i < RETRIES; i++) {
    const rs = client.solicit(t, primary, RS_SOURCE.windowsCone, 'cone-rs');
    if (!options.serverDown) {
      if (options.staleRaBeforeFirst === true && i === 0) {
        client.advertise(t + SERVER_DELAY, secondary, rs.publicSocket, Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1), RS_SOURCE.windowsCone, 'stale-ra');
      }
      if (client.advertise(t + 2 * SERVER_DELAY, secondary, rs.publicSocket, rs.nonce, RS_SOURCE.windowsCone, 'cone-ra')) {
        client.adopt(rs.publicSocket, true);
        return { truth: 'cone', end: t + 2 * SERVER_DELAY };
      }
    }
    t += TIMEOUT;
  }
  let mapped: Socket | null = null;
  for (let i = 0; i < RETRIES && mapped === null; i++) {
    const rs = client.solicit(t, primary, RS_SOURCE.windows, 'plain-rs');
    if (!options.serverDown && client.advertise(t + 2 * SERVER_DELAY, primary, rs.publicSocket, rs.nonce, RS_SOURCE.windows, 'primary-ra')) {
      mapped = rs.publicSocket;
      t += 2 * SERVER_DELAY;
    } else {
      t += TIMEOUT;
    }
  }
  if (mapped === null) return { truth: 'offline', end: t };
  t += 0.001;
  const probe = client.solicit(t, secondary, RS_SOURCE.windows, 'secondary-rs');
  if (!client.advertise(t + 2 * SERVER_DELAY, secondary, probe.publicSocket, probe.nonce, RS_SOURCE.windows, 'secondary-ra')) {
    return { truth: 'unusable', end: t + TIMEOUT };
  }
  if (!sameSocket(probe.publicSocket, mapped)) return { truth: 'symmetric', end: t + 2 * SERVER_DELAY };
  client.adopt(mapped, false);
  return { truth: 'restricted', end: t + 2 * SERVER_DELAY };
}

/**
 * Windows Vista and later (seen in zeek-gtp-teredo frames 6–7): no cone probe; plain RSs from
 * fe80::ffff:ffff:fffe to both server addresses at the same instant, different nonces. With RFC
 * 6081 symmetric NAT support the client keeps the primary's mapping either way.
 */
export function qualifyWindows(client: TeredoClientSim, start: number): ProcedureResult {
  const { primary, secondary } = client.server;
  let t = start;
  for (let i = 0; i < RETRIES; i++) {
    const first = client.solicit(t, primary, RS_SOURCE.windows, 'primary-rs');
    const second = client.solicit(t + 0.000004, secondary, RS_SOURCE.windows, 'secondary-rs');
    const gotPrimary = client.advertise(t + 2 * SERVER_DELAY, primary, first.publicSocket, first.nonce, RS_SOURCE.windows, 'primary-ra');
    const gotSecondary = client.advertise(t + 2 * SERVER_DELAY + 0.002, secondary, second.publicSocket, second.nonce, RS_SOURCE.windows, 'secondary-ra');
    if (gotPrimary && gotSecondary) {
      client.adopt(first.publicSocket, false);
      return { truth: sameSocket(first.publicSocket, second.publicSocket) ? 'restricted' : 'symmetric', end: t + 2 * SERVER_DELAY + 0.002 };
    }
    t += TIMEOUT;
  }
  return { truth: 'offline', end: t };
}

/** Miredo ≥ 1.1: no cone and no symmetric probing, one plain RS from fe80::ffff:ffff:ffff; the server adds an MTU option. */
export function qualifyMiredo(client: TeredoClientSim, start: number): ProcedureResult {
  const rs = client.solicit(start, client.server.primary, RS_SOURCE.miredo, 'rs');
  if (!client.advertise(start + 2 * SERVER_DELAY, client.server.primary, rs.publicSocket, rs.nonce, RS_SOURCE.miredo, 'ra', 1280)) return { truth: 'offline', end: start + TIMEOUT };
  client.adopt(rs.publicSocket, false);
  return { truth: 'qualified', end: start + 2 * SERVER_DELAY };
}

/**
 * A refresh (§5.2.5): RS with the C value of the qualification, answered from the secondary for
 * C = 1. A new mapping in the RA means the NAT rebound: the client takes a new Teredo address.
 */
export function refresh(client: TeredoClientSim, time: number, source: Uint8Array, label = 'refresh'): { changed: boolean; end: number } {
  const from = client.cone ? client.server.secondary : client.server.primary;
  const rs = client.solicit(time, client.server.primary, source, `${label}-rs`);
  const got = client.advertise(time + 2 * SERVER_DELAY, from, rs.publicSocket, rs.nonce, source, `${label}-ra`, source === RS_SOURCE.miredo ? 1280 : undefined);
  const changed = got && client.mapped !== null && !sameSocket(client.mapped, rs.publicSocket);
  if (changed) client.adopt(rs.publicSocket, client.cone);
  return { changed, end: time + 2 * SERVER_DELAY };
}
