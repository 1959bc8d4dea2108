import type { Endpoint } from './endpoint.js';
import type { FindingKind } from './finding.js';

/**
 * `cone`: the RA to a cone-flagged RS came back (from the server's other address);
 * `restricted`: not cone, and both server addresses saw the same mapping;
 * `symmetric`: the two server addresses saw different mappings;
 * `offline`: Router Solicitations were never answered; `unknown`: the capture does not tell.
 */
export type NatType = 'cone' | 'restricted' | 'symmetric' | 'offline' | 'unknown';

/** Where the capture was taken relative to the client's NAT. */
export type Vantage = 'inside' | 'outside';

/**
 * `pending`: the capture ends while the attempt may still succeed; `unobservable`: a step the
 * attempt needs never passes this capture point (a server never sees the client's bubble to a relay
 * or peer, nor what they deliver), so the capture cannot tell success from failure.
 */
export type PunchOutcome = 'success' | 'failed' | 'pending' | 'unobservable';

/**
 * `relay`: connectivity test, relay bubble, client bubble, delivery (RFC 4380 §5.2.9, §5.4.1);
 * `host-specific`: the native host is its own relay and answers over IPv4 itself;
 * `direct`: client-to-client bubbles (§5.2.4 cases 4/5, §5.2.6).
 */
export type PunchPath = 'relay' | 'host-specific' | 'direct';

/** The step that never showed up in a failed hole punch. */
export type PunchStep = 'relay-bubble' | 'client-bubble' | 'relay-delivery' | 'peer-reply';

export interface RelaySummary {
  endpoint: Endpoint;
  /** The relay's own IPv6 (source of its bubble), or null when only its traffic was seen. */
  ipv6: string | null;
}

export interface HolePunchSummary {
  /** The IPv6 peer (native host or Teredo client); null when a relay bubble arrived for an unseen peer. */
  peer: string | null;
  path: PunchPath;
  relay: RelaySummary | null;
  outcome: PunchOutcome;
  /** For `failed`: the first step that is missing; for `unobservable`: the first step this vantage cannot see. */
  missingStep: PunchStep | null;
  /** From the first packet of the attempt to the first packet delivered by the relay or peer. */
  latencyMs: number | null;
  /** Frames (references) of every step, ascending. */
  frames: number[];
}

/** What the report says about one client once its analysis is closed. */
export interface ClientSummary {
  /** The first UDP endpoint seen talking to a Teredo server, `address:port`. */
  id: string;
  /** The capture of `firstFrame`. */
  capture: number;
  vantage: Vantage;
  endpoints: Endpoint[];
  mapped: Endpoint | null;
  teredoAddress: string | null;
  serverPrimary: number | null;
  serverSecondary: number | null;
  natType: NatType;
  qualified: boolean;
  relays: RelaySummary[];
  holePunches: HolePunchSummary[];
  findings: FindingKind[];
  /** Mean RS → RA round trip over the matched pairs. */
  rsRaRoundTripMs: number | null;
  /** From the first RS of the qualification to the RA that completed it. */
  qualificationMs: number | null;
  /** Mean gap between refresh RSs once qualified. */
  refreshIntervalSeconds: number | null;
  packets: number;
  /** Frame references (frame-reference.ts): plain frame numbers for a single capture. */
  firstFrame: number;
  lastFrame: number;
}
