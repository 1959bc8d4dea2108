import { MAX_ENDPOINTS_PER_CLIENT } from '../capture/input-limits.js';
import { readIpv4 } from '../decode/ip-address.js';
import type { ClientState } from './client-state.js';
import type { ClientSummaryStore } from './client-summary-store.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';
import type { FrameSample } from './frame-sample.js';
import { reportDoubleNat } from './double-nat.js';
import { concludeMappingSplit } from './mapping-split.js';
import { concludeRebinding } from './rebinding-link.js';

/**
 * Closes a client: every exchange still open gets its verdict (`pending` only at the end of the
 * capture), repeated observations become one finding each, and the client's summary is written to
 * its row of the store. The live trackers are dropped; a revived client starts them afresh.
 */
export function closeClient(client: ClientState, now: number, atCaptureEnd: boolean, reporter: FindingReporter, store: ClientSummaryStore): void {
  if (client.qualification !== null) {
    client.qualification.close(client, reporter);
    client.qualification = null;
  }
  // Only a qualified client has a Teredo address to send from, whether or not the capture shows how.
  if (client.usedTeredoSource && client.natType !== 'offline') client.qualified = true;
  const teredo = client.teredo();
  if (client.serverPrimary === 0 && teredo !== null) client.serverPrimary = readIpv4(teredo, 4);
  concludeMappingSplit(client, reporter);
  concludeRebinding(client, reporter);
  reportDoubleNat(client, reporter);
  // A split is recorded only for a mismatch from the same public IPv4 on another port.
  const sameIpOtherPort = client.mappingSplit !== null;
  client.mappingSplit = null;
  if (client.relayPunches !== null) {
    client.relayPunches.closeAll(client, now, atCaptureEnd, reporter);
    client.relayPunches = null;
  }
  if (client.peers !== null) {
    client.peers.closeAll(client, now, atCaptureEnd, reporter);
    client.peers = null;
  }
  // A client qualified behind a symmetric NAT (RFC 6081) legitimately sends from other ports.
  if (client.addressMismatch !== null) {
    const sample = client.addressMismatch;
    reportFinding(reporter, client, 'address-mismatch', () => ({
      severity: client.natType === 'symmetric' ? 'info' : 'warning',
      frames: sample.frames,
      message: `${countText(sample, 'packet')} from the client carr${sample.total === 1 ? 'ies' : 'y'} a Teredo source that does not embed the socket ${client.vantage === 'outside' ? 'it was sent from' : 'the server saw'} (${client.addressMismatchExample}): ${
        client.natType === 'symmetric'
          ? 'its symmetric NAT maps each destination to its own port; relays and peers that check the source (RFC 4380 §5.4.2) drop such packets'
          : sameIpOtherPort
            ? 'the same public IPv4 from another port: a NAT mapping per destination (symmetric NAT) or a remapping since qualification, not spoofing; relays and peers that check the source drop such packets'
            : 'spoofing, or the NAT remapped since qualification; relays and peers drop such packets'
      }`,
    }));
    client.addressMismatch = null;
  }
  if (client.endpointFlood !== null) {
    const sample = client.endpointFlood;
    reportFinding(reporter, client, 'address-mismatch', () => ({
      severity: client.natType === 'symmetric' ? 'info' : 'warning',
      frames: sample.frames,
      message: client.natType === 'symmetric'
        ? `${countText(sample, 'packet')} came from further ports of the client's symmetric NAT (a port for each probe of the server), past the ${MAX_ENDPOINTS_PER_CLIENT} endpoints kept per client (those sockets are counted, not listed)`
        : `${countText(sample, 'packet')} came from further sockets claiming to be this client, past the ${MAX_ENDPOINTS_PER_CLIENT} endpoints kept per client: a flood or spoofing (those sockets are not listed)`,
    }));
    client.endpointFlood = null;
  }
  if (client.bubblePayload !== null) {
    const sample = client.bubblePayload;
    reportFinding(reporter, client, 'bubble-with-payload', () => ({
      frames: sample.frames,
      message: `${countText(sample, 'bubble')} carr${sample.total === 1 ? 'ies' : 'y'} bytes after the IPv6 header that are not valid RFC 6081 trailers`,
    }));
    client.bubblePayload = null;
  }
  if (client.malformed !== null) {
    const sample = client.malformed;
    reportFinding(reporter, client, 'malformed-teredo', () => ({
      frames: sample.frames,
      message: `${countText(sample, 'packet')} of this client ${sample.total === 1 ? 'is' : 'are'} malformed (${client.malformedExample})`,
    }));
    client.malformed = null;
  }
  store.write(client);
}

/** "3 packets", with a note when the finding lists only the first of their frames. */
function countText(sample: FrameSample, noun: string): string {
  const sampled = sample.total > sample.frames.length ? ` (the first ${sample.frames.length} of their frames are listed)` : '';
  return `${sample.total} ${noun}${sample.total === 1 ? '' : 's'}${sampled}`;
}
