/**
 * A client's exchange drawn as a ladder (a sequence diagram): one column per party, one step per
 * packet that matters. Built by LadderBuilder from the report and a second pass over the packets;
 * the renderers (terminal, Mermaid, SVG) and `annotate` read it.
 */

export type PartyRole = 'client' | 'server-primary' | 'server-secondary' | 'relay' | 'peer' | 'other';

export interface LadderParty {
  role: PartyRole;
  /** Short column title: `client`, `server primary`, `relay`, `peer`… */
  title: string;
  /** The socket (and what else identifies it): `192.168.2.16:3797`, `65.55.158.80`. */
  address: string;
  /** A second line: the NAT mapping of the client, the relay's or peer's IPv6; '' when none. */
  detail: string;
}

/** Which part of the protocol a step belongs to (the first words of its packet comment). */
export type StepPhase = 'qualification' | 'maintenance' | 'hole punch' | 'data';

/**
 * `lost`: an expected packet never showed up; `unanswered`: a request got no reply;
 * `unobservable`: the reply, if any, could not be seen from where the capture was taken.
 */
export type StepFailure = 'lost' | 'unanswered' | 'unobservable';

export interface LadderStep {
  /** Frame reference of the packet (see analysis/frame-reference.ts); null for a missing step. */
  frame: number | null;
  /** Last frame of a collapsed data run (equal to frame otherwise). */
  lastFrame: number | null;
  /** Seconds since the first Teredo packet of the timeline. */
  time: number;
  phase: StepPhase;
  /** Indexes into ClientLadder.parties. */
  from: number;
  to: number;
  /** What the step is: `RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88`. */
  label: string;
  /** Packets in a collapsed data run (1 for every other step). */
  count: number;
  /** A data run with packets in both directions. */
  bothWays: boolean;
  failure: StepFailure | null;
  /** Why it failed, for people; '' without failure. */
  failureNote: string;
}

export interface ClientLadder {
  /** ReportClient.id. */
  client: string;
  /** parties[0] is the client. */
  parties: LadderParty[];
  /** In packet order; missing steps follow the step that expected them. */
  steps: LadderStep[];
  /** Steps left out past the per-client cap (0 when none). */
  omittedSteps: number;
}

/** `qualification: RS cone probe …`: the text a packet comment and a tooltip use. */
export function stepText(step: LadderStep): string {
  const failure = step.failure !== null ? ` [${step.failure}${step.failureNote !== '' ? `: ${step.failureNote}` : ''}]` : '';
  return `${step.phase}: ${step.label}${failure}`;
}
