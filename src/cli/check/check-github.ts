import { severityRank, type Severity } from '../../analysis/finding-catalog.js';
import { failuresOf, type CheckOutcome, type CheckRun } from '../../check/check-result.js';
import { escapeControl } from '../render/control-escape.js';

/** GitHub shows at most this many annotations of each level per step; the rest only clutter the log. */
export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands, one annotation per failure: `::error file=TRACE,title=KIND::message`.
 * A failing finding is annotated at its own severity, a failed expectation or an unreadable trace
 * as an error. Of each level the 10 most important are printed (unreadable traces, then failed
 * expectations, then findings by severity, in trace order), and one plain line says how many more.
 */
export function* checkGithubLines(run: CheckRun): Generator<string> {
  const failures = run.traces.flatMap((trace, index) => failuresOf(trace).map((outcome) => ({ outcome, trace: trace.name, index })));
  failures.sort((a, b) => importance(a.outcome) - importance(b.outcome) || a.index - b.index);
  const printed = new Map<string, number>();
  const skipped = new Map<string, number>();
  for (const { outcome, trace } of failures) {
    const level = LEVEL[outcome.severity];
    const count = printed.get(level) ?? 0;
    if (count >= ANNOTATIONS_PER_LEVEL) {
      skipped.set(level, (skipped.get(level) ?? 0) + 1);
      continue;
    }
    printed.set(level, count + 1);
    yield workflowCommand(level, { file: escapeControl(trace), title: titleOf(outcome) }, annotationText(outcome));
  }
  for (const [level, count] of skipped) {
    yield `teredoscope: ${count} more ${level}${count === 1 ? '' : 's'} not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level and step); see the log above, --summary or --junit`;
  }
}

/** `::LEVEL key=value,…::message` with the toolkit's escaping (actions/toolkit, core/src/command.ts). */
export function workflowCommand(level: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${level}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}

/** Message text: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values: also `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function importance(outcome: CheckOutcome): number {
  if (outcome.source === 'read') return 0;
  if (outcome.source === 'expectation') return 1;
  return 2 + severityRank(outcome.severity);
}

function titleOf(outcome: CheckOutcome): string {
  if (outcome.source === 'read') return 'trace not read completely';
  if (outcome.source === 'expectation') return `expectation: ${escapeControl(outcome.name)}`;
  return outcome.kind ?? 'finding';
}

/** The message, then its frames and display filter on lines of their own (GitHub shows them). */
function annotationText(outcome: CheckOutcome): string {
  const lines = [escapeControl(outcome.message)];
  if (outcome.frames.length > 0) lines.push(`frames: ${outcome.frames.join(', ')}`);
  if (outcome.displayFilter !== null && outcome.displayFilter !== '') lines.push(`display filter: ${outcome.displayFilter}`);
  return lines.join('\n');
}
