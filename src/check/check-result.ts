import type { FindingKind, Severity } from '../analysis/finding.js';
import type { Report } from '../report/report.js';

/** Where a check was written: a line of an expectation file. */
export interface SourceLine {
  file: string;
  line: number;
}

/**
 * One judged thing of a trace: an expectation, a finding of a failing kind, or the reading of the
 * trace itself. One JUnit test case each.
 */
export interface CheckOutcome {
  /** Unique within its trace (GitLab drops test cases whose names repeat). */
  name: string;
  source: 'read' | 'expectation' | 'finding';
  passed: boolean;
  /** For a failure, what was expected and what was found, naming trace, client and field; else what held. */
  message: string;
  client: string | null;
  /** The finding's kind, for failing findings. */
  kind: FindingKind | null;
  /** How serious a failure is: a finding's own severity; expectations and reading errors are errors. */
  severity: Severity;
  /** Frames that show it, with the Wireshark display filter selecting them (findings only). */
  frames: number[];
  displayFilter: string | null;
  /** The expectation's line, for expectations. */
  where: SourceLine | null;
}

/** The verdict on one trace (one capture, or several read as one rotated capture with --merge). */
export interface TraceVerdict {
  /** How the trace is named in every output: its path as given. */
  name: string;
  files: string[];
  /** Null when nothing of it could be read. */
  report: Report | null;
  /** Wall-clock time of reading and analysing it. */
  seconds: number;
  /** 0 when read completely, 3 when unreadable, 4 when truncated or damaged (exit codes of analyze). */
  readExit: 0 | 3 | 4;
  outcomes: CheckOutcome[];
  /** Every finding of the trace by kind, including those the report omitted for their number. */
  findingCounts: Partial<Record<FindingKind, number>>;
  passed: boolean;
}

/** What `check` judged, for its outputs. */
export interface CheckRun {
  traces: TraceVerdict[];
  /** When the check started (the JUnit suites' timestamp). */
  started: Date;
}

export function failuresOf(trace: TraceVerdict): CheckOutcome[] {
  return trace.outcomes.filter((outcome) => !outcome.passed);
}
