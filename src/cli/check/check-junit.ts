import { failuresOf, type CheckOutcome, type CheckRun, type TraceVerdict } from '../../check/check-result.js';
import { escapeControl } from '../render/control-escape.js';

/**
 * JUnit XML as GitLab and Jenkins read it: one <testsuite> per trace, one <testcase> per judged
 * thing (reading the trace, each expectation, each failing finding), `classname` = the trace,
 * `file` = its path, `name` unique within the trace (GitLab drops repeated names), `time` in
 * seconds. A trace that could not be read completely is an <error>; everything else that fails is
 * a <failure> whose body gives the frames and the Wireshark display filter.
 */
export function* checkJunitLines(run: CheckRun): Generator<string> {
  const all = run.traces.flatMap((trace) => trace.outcomes);
  const errors = all.filter(isError).length;
  const failures = all.filter((outcome) => !outcome.passed).length - errors;
  const seconds = run.traces.reduce((sum, trace) => sum + trace.seconds, 0);
  yield '<?xml version="1.0" encoding="UTF-8"?>';
  yield `<testsuites name="teredoscope check" tests="${all.length}" failures="${failures}" errors="${errors}" time="${secondsText(seconds)}">`;
  const timestamp = run.started.toISOString().slice(0, 19);
  for (const trace of run.traces) yield* suiteLines(trace, timestamp);
  yield '</testsuites>';
}

function* suiteLines(trace: TraceVerdict, timestamp: string): Generator<string> {
  const errors = trace.outcomes.filter(isError).length;
  const failures = failuresOf(trace).length - errors;
  const name = attribute(trace.name);
  yield `  <testsuite name="${name}" tests="${trace.outcomes.length}" failures="${failures}" errors="${errors}" skipped="0" time="${secondsText(trace.seconds)}" timestamp="${timestamp}">`;
  for (const outcome of trace.outcomes) {
    // Reading and analysing the trace is where its time went.
    const time = secondsText(outcome.source === 'read' ? trace.seconds : 0);
    const head = `    <testcase classname="${name}" name="${attribute(outcome.name)}" file="${name}" time="${time}"`;
    if (outcome.passed) {
      yield `${head}/>`;
      continue;
    }
    const element = isError(outcome) ? 'error' : 'failure';
    const type = outcome.source === 'finding' && outcome.kind !== null ? outcome.kind : outcome.source;
    yield `${head}>`;
    yield `      <${element} message="${attribute(outcome.message)}" type="${attribute(type)}">${text(failureBody(outcome))}</${element}>`;
    yield '    </testcase>';
  }
  yield '  </testsuite>';
}

function isError(outcome: CheckOutcome): boolean {
  return !outcome.passed && outcome.source === 'read';
}

function failureBody(outcome: CheckOutcome): string {
  const lines = [escapeControl(outcome.message)];
  if (outcome.frames.length > 0) lines.push(`frames: ${outcome.frames.join(', ')}`);
  if (outcome.displayFilter !== null && outcome.displayFilter !== '') lines.push(`display filter: ${outcome.displayFilter}`);
  if (outcome.where !== null) lines.push(`expectation: ${outcome.where.file}:${outcome.where.line}`);
  return lines.join('\n');
}

function secondsText(seconds: number): string {
  return seconds.toFixed(3);
}

// Characters XML 1.0 cannot carry at all, even escaped (after escapeControl only stray
// surrogates and the two non-characters can be left).
const NOT_XML = /[\uD800-\uDFFF\uFFFE\uFFFF]/gu;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: newlines would be normalised away by the parser, so they are escaped too. */
function attribute(value: string): string {
  return text(escapeControl(value)).replace(/"/g, '&quot;');
}
