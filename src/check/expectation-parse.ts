import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { NatType, PunchOutcome } from '../analysis/client-summary.js';
import { isFindingKind, type FindingKind } from '../analysis/finding-catalog.js';
import { parseClientQuery } from '../report/client-filter.js';
import type { SourceLine } from './check-result.js';
import { ExpectationError, type ClientExpectation, type ClientField, type CountBound, type ExpectationFile, type SelectorCheck, type TraceExpectation } from './expectation.js';
import { FailPolicyError, parseFailPolicy } from './fail-policy.js';
import { parseSelector, SelectorError } from './selector.js';

const NAT_TYPES: readonly NatType[] = ['cone', 'restricted', 'symmetric', 'offline', 'unknown'];
const PUNCH_OUTCOMES: readonly PunchOutcome[] = ['success', 'failed', 'pending'];
const FILE_KEYS = ['traces'];
const TRACE_KEYS = ['trace', 'failOn', 'clientCount', 'findings', 'clients', 'checks'];
const CLIENT_KEYS = ['client', 'natType', 'qualified', 'relay', 'holePunch', 'findings'];
const CHECK_KEYS = ['select', 'equals', 'notEquals', 'matches', 'count', 'exists'];
const COUNT_KEYS = ['min', 'max'];

/**
 * Reads an expectation file's text (YAML; JSON is YAML too, so one parser gives both their line
 * numbers). `file` names it in errors and is the folder trace paths are relative to.
 */
export function parseExpectations(file: string, text: string): ExpectationFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const reader = new NodeReader(file, lines);
  const problem = doc.errors[0];
  if (problem !== undefined) throw new ExpectationError(file, lines.linePos(problem.pos[0]).line, null, problem.message.split('\n')[0]);
  const root = doc.contents;
  if (root === null) throw new ExpectationError(file, 1, null, "empty; expected a map with 'traces'");
  const top = reader.map(root, 'the file', FILE_KEYS);
  const traces = top.get('traces');
  if (traces === undefined) throw reader.error(root, null, "missing 'traces' (a list of traces and their checks)");
  const folder = dirname(resolve(file));
  return { file, traces: reader.list(traces.value, 'traces').map((node) => traceExpectation(reader, node, folder)) };
}

function traceExpectation(reader: NodeReader, node: Node, folder: string): TraceExpectation {
  const fields = reader.map(node, 'a trace', TRACE_KEYS);
  const trace = fields.get('trace');
  if (trace === undefined) throw reader.error(node, null, "missing 'trace' (the capture file or directory these checks are about)");
  const path = reader.text(trace.value, 'trace');
  const expectation: TraceExpectation = {
    trace: path,
    resolved: path === '-' ? '-' : resolve(folder, path),
    failOn: null,
    clientCount: null,
    findings: null,
    clients: [],
    checks: [],
    where: reader.where(node),
    fieldLines: {},
  };
  for (const [key, { key: keyNode, value }] of fields) {
    if (key === 'failOn') {
      const tokens = isSeq(value) ? reader.list(value, key).map((item) => reader.text(item, key)) : [reader.text(value, key)];
      try {
        expectation.failOn = parseFailPolicy(tokens);
      } catch (error) {
        if (error instanceof FailPolicyError) throw reader.error(value, key, error.message.replace(/^--fail-on: /, ''));
        throw error;
      }
    } else if (key === 'clientCount') {
      expectation.clientCount = reader.count(value, key);
      expectation.fieldLines.clientCount = reader.where(keyNode).line;
    } else if (key === 'findings') {
      expectation.findings = findingCounts(reader, value);
      expectation.fieldLines.findings = reader.where(keyNode).line;
    } else if (key === 'clients') {
      expectation.clients = reader.list(value, key).map((item) => clientExpectation(reader, item));
    } else if (key === 'checks') {
      expectation.checks = reader.list(value, key).map((item) => selectorCheck(reader, item));
    }
  }
  return expectation;
}

function findingCounts(reader: NodeReader, node: Node): Partial<Record<FindingKind, number>> {
  const counts: Partial<Record<FindingKind, number>> = {};
  for (const [kind, { value }] of reader.map(node, 'findings', null)) {
    if (!isFindingKind(kind)) throw reader.error(value, kind, 'not a finding kind');
    counts[kind] = reader.natural(value, kind);
  }
  return counts;
}

function clientExpectation(reader: NodeReader, node: Node): ClientExpectation {
  const fields = reader.map(node, 'a client', CLIENT_KEYS);
  const client = fields.get('client');
  if (client === undefined) throw reader.error(node, null, "missing 'client' (IPv4[:port] or Teredo IPv6 address)");
  const address = reader.text(client.value, 'client');
  const query = parseClientQuery(address);
  if (query === null) throw reader.error(client.value, 'client', `'${address}' is neither an IPv4[:port] nor an IPv6 address`);
  const checks: ClientField[] = [];
  for (const [key, { key: keyNode, value }] of fields) {
    const where = reader.where(keyNode);
    if (key === 'natType') checks.push({ field: key, value: reader.oneOf(value, key, NAT_TYPES), where });
    else if (key === 'qualified') checks.push({ field: key, value: reader.boolean(value, key), where });
    else if (key === 'relay') {
      const sockets = reader.textOrList(value, key);
      checks.push({ field: key, sockets: sockets[0] === 'none' && sockets.length === 1 ? [] : sockets, exactly: isSeq(value) || sockets[0] === 'none', where });
    } else if (key === 'holePunch') {
      const outcomes = reader.textOrList(value, key);
      if (outcomes.length === 1 && outcomes[0] === 'none') checks.push({ field: key, outcomes: [], where });
      else checks.push({ field: key, outcomes: outcomes.map((outcome) => reader.oneOfText(value, key, outcome, PUNCH_OUTCOMES)), where });
    } else if (key === 'findings') {
      const kinds = reader.list(value, key).map((item) => reader.text(item, key));
      const unknown = kinds.find((kind) => !isFindingKind(kind));
      if (unknown !== undefined) throw reader.error(value, key, `'${unknown}' is not a finding kind`);
      checks.push({ field: key, kinds: kinds as FindingKind[], where });
    }
  }
  return { client: address, query, fields: checks, where: reader.where(node) };
}

function selectorCheck(reader: NodeReader, node: Node): SelectorCheck {
  if (isScalar(node)) return comparisonCheck(reader, node);
  const fields = reader.map(node, 'a check', CHECK_KEYS);
  const select = fields.get('select');
  if (select === undefined) throw reader.error(node, null, "missing 'select' (a dotted path into the report)");
  const text = reader.text(select.value, 'select');
  const check: SelectorCheck = { text, selector: reader.selector(select.value, text), where: reader.where(node) };
  const tests: string[] = [];
  for (const [key, { value }] of fields) {
    if (key === 'equals') check.equals = { value: value.toJSON() as unknown };
    else if (key === 'notEquals') check.notEquals = { value: value.toJSON() as unknown };
    else if (key === 'matches') {
      const pattern = reader.text(value, key);
      try {
        check.matches = new RegExp(pattern, 'u');
      } catch {
        throw reader.error(value, key, `'${pattern}' is not a regular expression`);
      }
    } else if (key === 'count') check.count = reader.count(value, key);
    else if (key === 'exists') check.exists = reader.boolean(value, key);
    if (key !== 'select') tests.push(key === 'count' ? `count ${boundText(check.count ?? { min: null, max: null })}` : `${key} ${JSON.stringify(value.toJSON())}`);
  }
  if (tests.length === 0) throw reader.error(node, null, `a check needs one of ${CHECK_KEYS.slice(1).join(', ')}`);
  check.text = `${text} ${tests.join(', ')}`;
  return check;
}

/** `PATH == VALUE` or `PATH != VALUE` in one string, the value read as YAML (so `cone`, `1`, `true`). */
function comparisonCheck(reader: NodeReader, node: Node): SelectorCheck {
  const text = reader.text(node, 'checks');
  const match = /^(.*?\S)\s+(==|!=)\s+(.*)$/s.exec(text);
  if (match === null) throw reader.error(node, 'checks', `'${text}': expected 'PATH == VALUE', 'PATH != VALUE' or a map with 'select'`);
  const value: unknown = parseDocument(match[3]).toJSON();
  const check: SelectorCheck = { text, selector: reader.selector(node, match[1]), where: reader.where(node) };
  if (match[2] === '==') check.equals = { value };
  else check.notEquals = { value };
  return check;
}

export function boundText(bound: CountBound): string {
  if (bound.min !== null && bound.min === bound.max) return String(bound.min);
  if (bound.max === null) return `at least ${bound.min ?? 0}`;
  if (bound.min === null) return `at most ${bound.max}`;
  return `between ${bound.min} and ${bound.max}`;
}

/** Typed access to the YAML tree, every error naming the file, the line and the key. */
class NodeReader {
  private readonly file: string;
  private readonly lines: LineCounter;

  constructor(file: string, lines: LineCounter) {
    this.file = file;
    this.lines = lines;
  }

  where(node: Node | Pair['key']): SourceLine {
    const offset = (node as Node | null)?.range?.[0] ?? 0;
    return { file: this.file, line: this.lines.linePos(offset).line };
  }

  error(node: Node, key: string | null, message: string): ExpectationError {
    return new ExpectationError(this.file, this.where(node).line, key, message);
  }

  /** A map's entries by key; with `known`, any other key is an error. */
  map(node: Node, what: string, known: readonly string[] | null): Map<string, { key: Node; value: Node }> {
    if (!isMap(node)) throw this.error(node, null, `expected ${what} as a map of keys`);
    const entries = new Map<string, { key: Node; value: Node }>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node;
      if (!isScalar(keyNode)) throw this.error(keyNode, null, 'keys must be plain text');
      const key = String(keyNode.value);
      if (known !== null && !known.includes(key)) throw this.error(keyNode, key, `unknown key in ${what} (known: ${known.join(', ')})`);
      if (pair.value === null) throw this.error(keyNode, key, 'has no value');
      entries.set(key, { key: keyNode, value: pair.value as Node });
    }
    return entries;
  }

  list(node: Node, key: string): Node[] {
    if (!isSeq(node)) throw this.error(node, key, 'expected a list');
    return node.items.map((item) => {
      if (item === null) throw this.error(node, key, 'has an empty list item');
      return item as Node;
    });
  }

  text(node: Node, key: string): string {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') throw this.error(node, key, 'expected text');
    return String(node.value);
  }

  textOrList(node: Node, key: string): string[] {
    return isSeq(node) ? this.list(node, key).map((item) => this.text(item, key)) : [this.text(node, key)];
  }

  boolean(node: Node, key: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error(node, key, 'expected true or false');
    return node.value;
  }

  natural(node: Node, key: string): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isSafeInteger(node.value) || node.value < 0) throw this.error(node, key, 'expected a count (0, 1, 2, …)');
    return node.value;
  }

  /** `3`, or `{min: 1, max: 3}` (either bound may be left out). */
  count(node: Node, key: string): CountBound {
    if (isScalar(node)) {
      const exact = this.natural(node, key);
      return { min: exact, max: exact };
    }
    const bounds = this.map(node, `'${key}'`, COUNT_KEYS);
    const min = bounds.get('min');
    const max = bounds.get('max');
    const bound = { min: min === undefined ? null : this.natural(min.value, 'min'), max: max === undefined ? null : this.natural(max.value, 'max') };
    if (bound.min === null && bound.max === null) throw this.error(node, key, 'expected min, max or both');
    if (bound.min !== null && bound.max !== null && bound.min > bound.max) throw this.error(node, key, `min ${bound.min} is above max ${bound.max}`);
    return bound;
  }

  oneOf<T extends string>(node: Node, key: string, allowed: readonly T[]): T {
    return this.oneOfText(node, key, this.text(node, key), allowed);
  }

  oneOfText<T extends string>(node: Node, key: string, text: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(text)) throw this.error(node, key, `'${text}' is not one of ${allowed.join(', ')}`);
    return text as T;
  }

  selector(node: Node, text: string): ReturnType<typeof parseSelector> {
    try {
      return parseSelector(text);
    } catch (error) {
      if (error instanceof SelectorError) throw this.error(node, 'select', error.message);
      throw error;
    }
  }
}
