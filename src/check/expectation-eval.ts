import { FINDING_KINDS, type FindingKind } from '../analysis/finding-catalog.js';
import { clientMatches } from '../report/client-filter.js';
import type { Report, ReportClient } from '../report/report.js';
import type { CheckOutcome, SourceLine } from './check-result.js';
import { boundText } from './expectation-parse.js';
import type { ClientExpectation, ClientField, CountBound, SelectorCheck, TraceExpectation } from './expectation.js';
import { sameScalar, select } from './selector.js';

/** What an expectation judges against: the report, and every finding of it counted by kind. */
export interface JudgedTrace {
  name: string;
  report: Report;
  findingCounts: Partial<Record<FindingKind, number>>;
}

/** An outcome before it gets its unique name: `label` says what was checked. */
export type LabelledOutcome = Omit<CheckOutcome, 'name'> & { label: string };

/** One outcome per check of the expectation, each failure naming the trace, the client and the field. */
export function evaluateExpectation(expectation: TraceExpectation, trace: JudgedTrace): LabelledOutcome[] {
  const outcomes: LabelledOutcome[] = [];
  const add = (label: string, passed: boolean, message: string, where: SourceLine, client: string | null = null): void => {
    outcomes.push({ label, source: 'expectation', passed, message: `${trace.name}: ${message} (${where.file}:${where.line})`, client, kind: null, severity: 'error', frames: [], displayFilter: null, where });
  };
  if (expectation.clientCount !== null) {
    const count = trace.report.clients.size;
    const where = { file: expectation.where.file, line: expectation.fieldLines.clientCount ?? expectation.where.line };
    add(`clientCount ${boundText(expectation.clientCount)}`, within(count, expectation.clientCount), `clientCount is ${count}, expected ${boundText(expectation.clientCount)}`, where);
  }
  if (expectation.findings !== null) {
    const where = { file: expectation.where.file, line: expectation.fieldLines.findings ?? expectation.where.line };
    const kinds = FINDING_KINDS.filter((kind) => expectation.findings?.[kind] !== undefined || (trace.findingCounts[kind] ?? 0) > 0);
    for (const kind of kinds) {
      const expected = expectation.findings[kind] ?? 0;
      const actual = trace.findingCounts[kind] ?? 0;
      add(`findings.${kind} == ${expected}`, actual === expected, `findings.${kind} is ${actual}, expected ${expected}`, where);
    }
    if (kinds.length === 0) add('findings: none', true, 'no findings, as expected', where);
  }
  if (expectation.clients.length > 0) {
    const clients = [...trace.report.clients];
    for (const client of expectation.clients) evaluateClient(client, clients, add);
  }
  if (expectation.checks.length > 0) {
    // The selectors address the report as JSON, as `analyze --format json` prints it.
    const json: unknown = JSON.parse(JSON.stringify(trace.report));
    for (const check of expectation.checks) {
      const failure = checkFailure(check, select(check.selector, json));
      add(check.text, failure === null, failure === null ? `${check.text} holds` : `${check.text}: ${failure}`, check.where);
    }
  }
  return outcomes;
}

type Add = (label: string, passed: boolean, message: string, where: SourceLine, client?: string | null) => void;

function evaluateClient(expectation: ClientExpectation, all: readonly ReportClient[], add: Add): void {
  const clients = all.filter((client) => clientMatches(client, expectation.query));
  if (clients.length === 0) {
    const known = all.length > 5 ? `${all.length} clients` : `clients: ${all.map((c) => c.id).join(', ') || 'none'}`;
    add(`client ${expectation.client}`, false, `no client ${expectation.client} (${known})`, expectation.where, expectation.client);
    return;
  }
  for (const client of clients) {
    for (const field of expectation.fields) {
      const { expected, actual, passed } = judgeField(field, client);
      add(`client ${client.id} ${field.field} == ${expected}`, passed, `client ${client.id}: ${field.field} is ${actual}, expected ${expected}`, field.where, client.id);
    }
  }
}

function judgeField(field: ClientField, client: ReportClient): { expected: string; actual: string; passed: boolean } {
  switch (field.field) {
    case 'natType':
      return { expected: field.value, actual: client.natType, passed: client.natType === field.value };
    case 'qualified':
      return { expected: String(field.value), actual: String(client.qualified), passed: client.qualified === field.value };
    case 'relay': {
      const relays = client.relays.map((relay) => `${relay.address}:${relay.port}`);
      const passed = field.exactly ? sameSet(relays, field.sockets) : field.sockets.every((socket) => relays.includes(socket));
      const expected = field.sockets.length === 0 ? 'none' : field.exactly ? `[${field.sockets.join(', ')}]` : `listing ${field.sockets.join(', ')}`;
      return { expected, actual: listText(relays), passed };
    }
    case 'holePunch': {
      const outcomes = [...new Set(client.holePunches.map((punch) => punch.outcome))];
      return { expected: listText(field.outcomes), actual: listText(outcomes), passed: sameSet(outcomes, field.outcomes) };
    }
    case 'findings':
      return { expected: listText(field.kinds), actual: listText(client.findings), passed: sameSet(client.findings, field.kinds) };
  }
}

/** Why a selector check fails, or null when it holds. */
function checkFailure(check: SelectorCheck, values: unknown[]): string | null {
  const shown = (): string => (values.length === 0 ? 'nothing selected' : `selected ${valuesText(values)}`);
  if (check.exists !== undefined && (values.length > 0) !== check.exists) return check.exists ? 'nothing selected' : `expected nothing, ${shown()}`;
  if (check.count !== undefined) {
    // A selected array counts as its elements: `clients` counts clients.
    const count = values.reduce<number>((sum, value) => sum + (Array.isArray(value) ? value.length : 1), 0);
    if (!within(count, check.count)) return `count is ${count}, expected ${boundText(check.count)} (${shown()})`;
  }
  if (check.equals !== undefined) {
    const expected = check.equals.value;
    if (values.length === 0 || !values.every((value) => sameValue(value, expected))) return `expected ${JSON.stringify(expected)}, ${shown()}`;
  }
  if (check.notEquals !== undefined) {
    const unwanted = check.notEquals.value;
    if (values.some((value) => sameValue(value, unwanted))) return `expected anything but ${JSON.stringify(unwanted)}, ${shown()}`;
  }
  if (check.matches !== undefined) {
    const pattern = check.matches;
    if (values.length === 0 || !values.every((value) => typeof value !== 'object' && pattern.test(String(value)))) return `expected to match /${pattern.source}/, ${shown()}`;
  }
  return null;
}

/** Scalars compare as text (YAML `1` equals JSON 1); objects and arrays compare member by member. */
function sameValue(value: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return sameScalar(value, expected === null ? 'null' : String(expected as string | number | boolean));
  if (Array.isArray(expected)) return Array.isArray(value) && value.length === expected.length && expected.every((item, i) => sameValue(value[i], item));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const actual = value as Record<string, unknown>;
  const wanted = expected as Record<string, unknown>;
  return Object.keys(wanted).length === Object.keys(actual).length && Object.entries(wanted).every(([key, item]) => Object.hasOwn(actual, key) && sameValue(actual[key], item));
}

function within(count: number, bound: CountBound): boolean {
  return (bound.min === null || count >= bound.min) && (bound.max === null || count <= bound.max);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

function listText(items: readonly string[]): string {
  return items.length === 0 ? 'none' : `[${items.join(', ')}]`;
}

const MAX_VALUES_SHOWN = 5;

function valuesText(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_VALUES_SHOWN).map((value) => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  });
  return `${values.length} value${values.length === 1 ? '' : 's'}: ${shown.join(', ')}${values.length > MAX_VALUES_SHOWN ? ', …' : ''}`;
}
