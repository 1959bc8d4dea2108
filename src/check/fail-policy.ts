import { FINDING_KINDS, isFindingKind, isSeverity, SEVERITIES, severityRank, type FindingKind, type Severity } from '../analysis/finding-catalog.js';

/**
 * Which findings fail a trace: `--fail-on symmetric-nat,missing-relay` (those kinds), `--fail-on
 * warning` (that severity and every more severe one), `none`, or a mix of kinds and a severity.
 */
export interface FailPolicy {
  kinds: ReadonlySet<FindingKind>;
  /** Findings of this severity or a more severe one fail; null: severity alone fails nothing. */
  severity: Severity | null;
  /** How it was written, for messages. */
  text: string;
}

export const DEFAULT_FAIL_POLICY: FailPolicy = { kinds: new Set(), severity: 'error', text: 'error' };

export class FailPolicyError extends Error {}

/** Parses the tokens of one or more `--fail-on` values (each may be comma-separated). */
export function parseFailPolicy(values: readonly string[]): FailPolicy {
  const tokens = values.flatMap((value) => value.split(',')).map((token) => token.trim()).filter((token) => token !== '');
  if (tokens.length === 0) throw new FailPolicyError('--fail-on: expected a finding kind, a severity or none');
  const kinds = new Set<FindingKind>();
  let severity: Severity | null = null;
  let none = false;
  for (const token of tokens) {
    if (token === 'none') none = true;
    else if (isSeverity(token)) severity = severity === null || severityRank(token) > severityRank(severity) ? token : severity;
    else if (isFindingKind(token)) kinds.add(token);
    else throw new FailPolicyError(`--fail-on: unknown '${token}'; expected none, a severity (${SEVERITIES.join(', ')}) or a finding kind (${FINDING_KINDS.join(', ')})`);
  }
  if (none && (kinds.size > 0 || severity !== null)) throw new FailPolicyError(`--fail-on: 'none' cannot be combined with '${tokens.filter((t) => t !== 'none').join(',')}'`);
  return { kinds, severity, text: tokens.join(',') };
}

export function failsOn(policy: FailPolicy, finding: { kind: FindingKind; severity: Severity }): boolean {
  if (policy.kinds.has(finding.kind)) return true;
  return policy.severity !== null && severityRank(finding.severity) <= severityRank(policy.severity);
}
