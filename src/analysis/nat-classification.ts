import type { NatType, Vantage } from './client-summary.js';
import { formatEndpointKey } from './endpoint.js';
import type { FrameNamer } from './frame-reference.js';
import { QUALIFICATION_RETRIES } from './protocol-timing.js';
import type { Qualification, RaRecord } from './qualification.js';

export interface QualificationVerdict {
  natType: NatType;
  qualified: boolean;
  qualificationMs: number | null;
  /** For `symmetric`: the frames showing two mappings, and the words saying so. */
  evidenceFrames: number[];
  evidence: string;
}

/**
 * RFC 4380 §5.2.1 read backwards from the evidence (protocol notes §8):
 * - the RA to a cone-flagged RS came back → cone; seen from outside the NAT it only counts if the
 *   client did not go on probing (its NAT dropped the RA otherwise);
 * - RAs from both server addresses to plain RSs: same mapping → restricted, different → symmetric
 *   (also symmetric when, seen from outside, the probe to the secondary left from another port);
 * - only plain RSs, three or more, never answered → offline.
 */
export function classifyQualification(q: Qualification, vantage: Vantage, usedTeredoSource: boolean, frameText: FrameNamer): QualificationVerdict {
  // `completedAt`: time of the RA that completed qualification, NaN when none did.
  const since = (completedAt: number): number | null => (Number.isNaN(completedAt) || Number.isNaN(q.firstRsTime) ? null : Math.max(0, (completedAt - q.firstRsTime) * 1000));
  const at = (ra: RaRecord | null): number => (ra === null ? Number.NaN : ra.time);
  const verdict = (natType: NatType, qualified: boolean, completedAt: number): QualificationVerdict => ({
    natType,
    qualified,
    qualificationMs: qualified ? since(completedAt) : null,
    evidenceFrames: [],
    evidence: '',
  });

  if (q.coneRa !== null && (vantage === 'inside' || q.coneFilteredFrame === 0)) return verdict('cone', true, q.coneRa.time);

  const primary = q.primaryRa;
  const secondary = q.secondaryRa;
  if (primary !== null && secondary !== null && primary.mapped >= 0 && secondary.mapped >= 0) {
    const later = primary.time >= secondary.time ? primary : secondary;
    if (primary.mapped === secondary.mapped && q.symmetricRsFrames === null) return verdict('restricted', true, later.time);
    const symmetric = verdict('symmetric', usedTeredoSource, later.time);
    symmetric.evidenceFrames = [primary.frame, secondary.frame];
    symmetric.evidence = primary.mapped !== secondary.mapped
      ? `the primary server address saw ${formatEndpointKey(primary.mapped)} (frame ${frameText(primary.frame)}), the secondary saw ${formatEndpointKey(secondary.mapped)} (frame ${frameText(secondary.frame)})`
      : `the probe to the secondary server address left from another port (frame ${frameText(q.symmetricRsFrames![1])})`;
    return symmetric;
  }
  if (q.symmetricRsFrames !== null) {
    const symmetric = verdict('symmetric', usedTeredoSource, at(primary));
    symmetric.evidenceFrames = q.symmetricRsFrames;
    symmetric.evidence = `the probe to the secondary server address (frame ${frameText(q.symmetricRsFrames[1])}) left from another port than the one to the primary (frame ${frameText(q.symmetricRsFrames[0])})`;
    return symmetric;
  }
  // Qualified with a plain RS but the secondary address was never (successfully) probed, as Miredo does.
  if (primary !== null) return verdict('unknown', true, primary.time);
  if (secondary !== null) return verdict('unknown', true, secondary.time);
  if (q.raCount === 0 && q.unansweredPlain >= QUALIFICATION_RETRIES) return verdict('offline', false, Number.NaN);
  // An RA whose RS came before the capture started: the client is qualified, its NAT not probed here.
  if (q.raCount > 0 && q.coneRa === null) return verdict('unknown', true, q.lastRaTime);
  return verdict('unknown', usedTeredoSource, Number.NaN);
}
