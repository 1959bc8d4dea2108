/**
 * Dotted-path selectors on the `teredoscope.report/1` JSON, as expectation files write them:
 *
 *   clients                                   the clients array
 *   clients[0].natType                        by index (negative counts from the end)
 *   clients[*].qualified                      every element
 *   clients[?teredoAddress=="2001:0:…"].natType   elements whose field equals a value
 *   findings[kind=missing-relay]              the same, unquoted (`?` optional, `=` or `==`, `!=`)
 *   clients[?mapped.port==3797]               the field may itself be a dotted path
 *
 * A selection is a list of values; a name applied to a list of objects applies to each.
 */
export interface Selector {
  text: string;
  steps: Step[];
}

type Filter = { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'match'; field: string[]; negate: boolean; value: string };

interface Step {
  name: string | null;
  filters: Filter[];
}

export class SelectorError extends Error {}

const NAME = /^[A-Za-z_$][\w$-]*/;

export function parseSelector(text: string): Selector {
  const steps: Step[] = [];
  let at = 0;
  const fail = (why: string): never => {
    throw new SelectorError(`selector '${text}': ${why} at character ${at + 1}`);
  };
  if (text.trim() === '') fail('empty');
  while (at < text.length) {
    const name = NAME.exec(text.slice(at));
    const step: Step = { name: name?.[0] ?? null, filters: [] };
    at += name?.[0].length ?? 0;
    while (text[at] === '[') {
      const close = closingBracket(text, at);
      if (close < 0) fail("'[' without ']'");
      step.filters.push(parseFilter(text.slice(at + 1, close), fail));
      at = close + 1;
    }
    if (step.name === null && step.filters.length === 0) fail('expected a name or [');
    steps.push(step);
    if (at === text.length) break;
    if (text[at] !== '.') fail("expected '.' or '['");
    at++;
    if (at === text.length) fail('a name must follow .');
  }
  return { text, steps };
}

/** The values the selector picks out of `root` (a parsed report). */
export function select(selector: Selector, root: unknown): unknown[] {
  let nodes: unknown[] = [root];
  for (const step of selector.steps) {
    if (step.name !== null) nodes = nodes.flatMap((node) => member(node, step.name as string));
    for (const filter of step.filters) nodes = nodes.flatMap((node) => applyFilter(node, filter));
  }
  return nodes;
}

/** Scalars compare as text, so `port==3544`, `qualified==true` and `natType=="cone"` all read naturally. */
export function sameScalar(value: unknown, text: string): boolean {
  if (value === null) return text === 'null';
  if (typeof value === 'object') return false;
  return String(value) === text;
}

function member(node: unknown, name: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => member(item, name));
  if (typeof node === 'object' && node !== null && Object.hasOwn(node, name)) return [(node as Record<string, unknown>)[name]];
  return [];
}

function applyFilter(node: unknown, filter: Filter): unknown[] {
  if (filter.kind === 'match') {
    const items = Array.isArray(node) ? node : [node];
    return items.filter((item) => {
      const found = filter.field.reduce<unknown[]>((values, name) => values.flatMap((value) => member(value, name)), [item]);
      const hit = found.some((value) => sameScalar(value, filter.value));
      return filter.negate ? !hit : hit;
    });
  }
  if (!Array.isArray(node)) return [];
  if (filter.kind === 'all') return node;
  const index = filter.index < 0 ? node.length + filter.index : filter.index;
  return index >= 0 && index < node.length ? [node[index]] : [];
}

function parseFilter(body: string, fail: (why: string) => never): Filter {
  const trimmed = body.trim();
  if (trimmed === '*') return { kind: 'all' };
  if (/^-?\d+$/.test(trimmed)) return { kind: 'index', index: Number(trimmed) };
  const match = /^\??\s*([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*)\s*(==|!=|=)\s*(.*)$/s.exec(trimmed);
  if (match === null) return fail(`cannot read [${body}] (expected [N], [*] or [field==value])`);
  return { kind: 'match', field: match[1].split('.'), negate: match[2] === '!=', value: unquote(match[3].trim()) };
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  return text;
}

/** The `]` that closes the `[` at `open`, skipping quoted text. */
function closingBracket(text: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return i;
  }
  return -1;
}
