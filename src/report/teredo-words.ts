import type { NatType, Vantage } from '../analysis/client-summary.js';
import type { FindingKind } from '../analysis/finding.js';

/**
 * A client in the words people meet Teredo in: `netsh interface teredo show state` on Windows and
 * the NAT type of the Xbox app or console. Derived from the analysis' verdicts only.
 *
 * netsh's state: `qualified` (the client has its Teredo address), `probe` (still qualifying when
 * the capture ends), `offline` (Router Solicitations went unanswered). netsh's `dormant` (no
 * Teredo use for a while, qualification suspended) cannot be told from a capture and is not used.
 *
 * The console label is the common mapping of NAT types to the Xbox labels: Open = cone,
 * Moderate = restricted, Strict = symmetric, and "Teredo unable to qualify" = offline, as the
 * Xbox app prints it (Microsoft, "Xbox app NAT type on Windows 10 displays 'Teredo is unable to
 * qualify'", support.xbox.com/xbox-on-windows/social/troubleshoot-party-chat). The mapping is a
 * rule of thumb used in troubleshooting guides, not a Microsoft specification.
 */
export type TeredoState = 'qualified' | 'probe' | 'offline';
export type ConsoleNatLabel = 'Open' | 'Moderate' | 'Strict' | 'Teredo unable to qualify';

export interface TeredoWordsInput {
  natType: NatType;
  qualified: boolean;
  vantage: Vantage;
  endpoints: readonly { address: string; port: number }[];
  mapped: { address: string; port: number } | null;
  server: { primary: string | null };
  rsRaRoundTripMs: number | null;
  findings: readonly FindingKind[];
}

export interface TeredoWords {
  state: TeredoState;
  /** The NAT keeps the client's port in its mapping; null when the capture cannot tell (outside the NAT). */
  portPreserving: boolean | null;
  console: ConsoleNatLabel | null;
  /** One line on why the client is not simply qualified and reachable, when the evidence allows. */
  cause: string | null;
}

const CONSOLE: Record<NatType, ConsoleNatLabel | null> = { cone: 'Open', restricted: 'Moderate', symmetric: 'Strict', offline: 'Teredo unable to qualify', unknown: null };

export function teredoWords(client: TeredoWordsInput): TeredoWords {
  const state: TeredoState = client.natType === 'offline' ? 'offline' : client.qualified ? 'qualified' : 'probe';
  const inside = client.vantage === 'inside' ? client.endpoints[0] : undefined;
  const portPreserving = inside !== undefined && client.mapped !== null ? client.mapped.port === inside.port : null;
  return { state, portPreserving, console: CONSOLE[client.natType], cause: rootCause(client) };
}

function rootCause(client: TeredoWordsInput): string | null {
  if (client.findings.includes('double-nat') && client.mapped !== null) {
    return `double NAT: the server saw ${client.mapped.address}, a private or carrier-grade NAT address, so a second NAT sits in front of this one`;
  }
  if (client.natType === 'offline') {
    if (client.vantage === 'outside' && client.rsRaRoundTripMs !== null) {
      return 'Router Advertisements reach the NAT but not the client (inbound filtering): it keeps soliciting';
    }
    if (client.qualified) return 'qualified, then its refresh Router Solicitations went unanswered (server unreachable or NAT mapping lost)';
    return 'Router Solicitations to UDP 3544 never answered: the port is blocked or the server is down';
  }
  if (client.natType === 'symmetric') return 'symmetric NAT: each destination gets its own mapping, so peers behind other NATs cannot reach it';
  if (client.qualified && client.server.primary === null) return 'qualified before the capture began: its server exchange is not in the capture';
  return null;
}
