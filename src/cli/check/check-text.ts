import { FINDING_KINDS, type FindingKind } from '../../analysis/finding-catalog.js';
import { failuresOf, type CheckRun, type TraceVerdict } from '../../check/check-result.js';
import { plural } from '../plural.js';
import { painter, type Painter } from '../render/ansi.js';
import { escapeControl } from '../render/control-escape.js';
import type { CheckRenderOptions } from './check-render-options.js';

/**
 * The human summary of `check`: one line per trace (PASS/FAIL/ERROR, clients, counts per finding
 * kind), its failures under it, and a total.
 */
export function* checkTextLines(run: CheckRun, options: CheckRenderOptions): Generator<string> {
  const paint = painter(options.color);
  for (const trace of run.traces) {
    yield traceLine(trace, paint);
    for (const failure of failuresOf(trace)) {
      yield `      ${paint('✗', 'red')} ${escapeControl(failure.message)}`;
      if (failure.displayFilter !== null && failure.displayFilter !== '') yield `        ${paint('filter:', 'dim')} ${failure.displayFilter}`;
    }
  }
  const passed = run.traces.filter((trace) => trace.passed).length;
  const failed = run.traces.length - passed;
  yield `${plural(run.traces.length, 'trace')}: ${passed} passed, ${failed} failed`;
}

export function traceStatus(trace: TraceVerdict): 'PASS' | 'FAIL' | 'ERROR' {
  if (trace.readExit !== 0) return 'ERROR';
  return trace.passed ? 'PASS' : 'FAIL';
}

/** "symmetric-nat 1, offline 2", or "no findings", in catalog order. */
export function findingCountsText(counts: Partial<Record<FindingKind, number>>): string {
  const parts = FINDING_KINDS.filter((kind) => (counts[kind] ?? 0) > 0).map((kind) => `${kind} ${counts[kind]}`);
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

function traceLine(trace: TraceVerdict, paint: Painter): string {
  const status = traceStatus(trace);
  const label = paint(status.padEnd(5), status === 'PASS' ? 'green' : 'red');
  const clients = trace.report !== null ? plural(trace.report.clients.size, 'client') : 'not read';
  const expectations = trace.outcomes.filter((outcome) => outcome.source === 'expectation');
  const failedExpectations = expectations.filter((outcome) => !outcome.passed).length;
  const expectationText = expectations.length > 0 ? `; ${failedExpectations} of ${plural(expectations.length, 'expectation')} failed` : '';
  return `${label} ${escapeControl(trace.name)}  ${clients}; ${findingCountsText(trace.findingCounts)}${expectationText}`;
}
