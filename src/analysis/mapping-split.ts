import type { ClientState } from './client-state.js';
import { formatEndpointKey } from './endpoint.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';

/**
 * Symmetric-NAT evidence without any probe, seen outside the NAT (protocol notes §8): the client's
 * packets carry its Teredo address from another port of its public IPv4 (toward a relay or peer),
 * and afterwards it still sends from the mapped socket the server reported. Two mappings of one
 * client socket in use at once are an endpoint-dependent (symmetric) NAT. Miredo, which probes
 * neither the cone flag nor the secondary address, qualifies behind such a NAT all the same.
 *
 * A rebinding looks different: after the port changes the old socket is never used again.
 */
export class MappingSplit {
  /** The mapping the server reported when the other port showed up. */
  readonly mapped: number;
  readonly mappedFrame: number;
  readonly otherEndpoint: number;
  readonly otherFrame: number;
  /** First packet from `mapped` after `otherFrame` (0: none yet, no proof); frame references. */
  backFrame = 0;
  /**
   * A packet that reached `mapped` just before `otherFrame`, which answered it from the other port
   * (0: none): the mapped socket was alive at that moment, which proves the split as well.
   */
  aliveFrame = 0;

  constructor(mapped: number, mappedFrame: number, otherEndpoint: number, otherFrame: number) {
    this.mapped = mapped;
    this.mappedFrame = mappedFrame;
    this.otherEndpoint = otherEndpoint;
    this.otherFrame = otherFrame;
  }

  /**
   * The client sent `frame` from `endpoint`, after `otherFrame` in time (packets come in time
   * order; references of several captures need not ascend with time).
   */
  onSent(endpoint: number, frame: number): void {
    if (this.backFrame === 0 && endpoint === this.mapped && frame !== this.otherFrame) this.backFrame = frame;
  }

  get proven(): boolean {
    return this.backFrame !== 0 || this.aliveFrame !== 0;
  }
}

/**
 * Called at close-out: a proven split makes an otherwise unclassified client `symmetric` and
 * reports it. A NAT type already established by the RS/RA probes is left alone.
 */
export function concludeMappingSplit(client: ClientState, reporter: FindingReporter): void {
  const split = client.mappingSplit;
  if (split === null || !split.proven || client.natType !== 'unknown') return;
  client.natType = 'symmetric';
  const frames = [split.mappedFrame, split.aliveFrame, split.otherFrame, split.backFrame].filter((f) => f > 0).sort((a, b) => a - b);
  const proof = split.backFrame !== 0
    ? `while it went on sending from ${formatEndpointKey(split.mapped)}, the mapping its server reported${split.mappedFrame > 0 ? ` (frame ${reporter.frameText(split.mappedFrame)})` : ''}, in frame ${reporter.frameText(split.backFrame)}`
    : `in answer to a packet that had just arrived through ${formatEndpointKey(split.mapped)}, the mapping its server reported (frame ${reporter.frameText(split.aliveFrame)}): both mappings were in use at once`;
  reportFinding(reporter, client, 'symmetric-nat', () => ({
    severity: client.qualified ? 'warning' : 'error',
    frames,
    message:
      `Symmetric NAT: the client's Teredo packets left from ${formatEndpointKey(split.otherEndpoint)} (frame ${reporter.frameText(split.otherFrame)}) ` +
      `${proof}: the NAT gives each destination its own port. ` +
      (client.qualified
        ? 'The client qualified (it never probed the secondary server address), but relays and peers that check the Teredo source against the sending socket (RFC 4380 §5.4.2) drop its packets, and peers behind restrictive NATs cannot reach it'
        : 'Teredo is unusable behind this NAT'),
  }));
}
