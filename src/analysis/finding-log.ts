import { frameDisplayFilter } from './display-filter.js';
import { MAX_FINDING_FRAMES, type Finding, type FindingKind, type Severity } from './finding.js';
import { referenceCapture, referenceFrame } from './frame-reference.js';

export interface FindingInput {
  kind: FindingKind;
  severity: Severity;
  client: string | null;
  frames: readonly number[];
  message: string;
  capture?: number;
}

/** A finding as kept until the report: its display filter is made then, from its frames. */
type KeptFinding = Omit<Finding, 'displayFilter'>;

/**
 * Every finding of an analysis. Each kind keeps at most `maxPerKind` findings (a capture where a
 * million clients are off-line must not hold a million messages); the rest are counted in
 * `omitted`, once each, while each client still records the kinds it had.
 *
 * A finding past the cap costs a count and nothing else: `accepts` tells a caller before it builds
 * the message and the frame list (on a server's capture 286,000 findings were built only to be
 * dropped here), and `add` itself checks the cap before it touches the input.
 */
export class FindingLog {
  private readonly findings: KeptFinding[] = [];
  private readonly perKind = new Map<FindingKind, number>();
  private readonly omittedCounts = new Map<FindingKind, number>();
  private readonly maxPerKind: number;

  constructor(maxPerKind: number) {
    this.maxPerKind = maxPerKind;
  }

  /** Whether a finding of `kind` would be kept; when not, count it with `omit` instead of building it. */
  accepts(kind: FindingKind): boolean {
    return (this.perKind.get(kind) ?? 0) < this.maxPerKind;
  }

  /** Counts one finding of `kind` that was not built because the kind is full. */
  omit(kind: FindingKind): void {
    this.omittedCounts.set(kind, (this.omittedCounts.get(kind) ?? 0) + 1);
  }

  add(input: FindingInput): void {
    const count = this.perKind.get(input.kind) ?? 0;
    if (count >= this.maxPerKind) {
      this.omit(input.kind);
      return;
    }
    this.perKind.set(input.kind, count + 1);
    // Frame references sort by capture, then frame: each capture's frames form one run.
    const frames = [...new Set(input.frames)].filter((f) => referenceFrame(f) > 0).sort((a, b) => a - b).slice(0, MAX_FINDING_FRAMES);
    const capture = input.capture ?? (frames.length > 0 ? referenceCapture(frames[0]) : 0);
    this.findings.push({
      kind: input.kind,
      severity: input.severity,
      client: input.client === null ? null : flattened(input.client),
      frames,
      message: flattened(input.message),
      capture,
    });
  }

  /** Findings in capture order, then by first frame (ties keep the order they were found in). */
  sorted(): Finding[] {
    return this.findings
      .map((finding, index) => ({ finding, index }))
      .sort((a, b) => a.finding.capture - b.finding.capture || (a.finding.frames[0] ?? 0) - (b.finding.frames[0] ?? 0) || a.index - b.index)
      .map(({ finding }) => ({
        ...finding,
        displayFilter: frameDisplayFilter(finding.frames.filter((f) => referenceCapture(f) === finding.capture).map(referenceFrame)),
      }));
  }

  omitted(): Partial<Record<FindingKind, number>> {
    return Object.fromEntries(this.omittedCounts) as Partial<Record<FindingKind, number>>;
  }
}

/**
 * The text as one flat string. Messages and client ids are built with template literals, which V8
 * keeps as ropes: a message of 200 characters was a tree of about a dozen nodes and 1–2 KB, and a
 * long capture keeps thousands of findings. Reading a character makes V8 flatten the rope in place
 * (about 260 bytes for that message).
 */
function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}
