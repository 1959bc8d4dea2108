import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The structure of the JUnit XML schema (Jenkins' junit-10.xsd, which GitLab also reads, plus
 * GitLab's `file` attribute on test cases), checked by hand: which elements may hold which, which
 * attributes each may carry and must carry, the value types, and that the counts add up. Returns
 * one message per violation.
 */
const ELEMENTS: Record<string, { attributes: string[]; required: string[]; children: string[] }> = {
  testsuites: { attributes: ['name', 'time', 'tests', 'failures', 'disabled', 'errors'], required: [], children: ['testsuite'] },
  testsuite: {
    attributes: ['name', 'tests', 'failures', 'errors', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package'],
    required: ['name', 'tests'],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
  },
  testcase: { attributes: ['name', 'assertions', 'time', 'classname', 'status', 'file'], required: ['name'], children: ['skipped', 'error', 'failure', 'system-out', 'system-err'] },
  failure: { attributes: ['message', 'type'], required: [], children: [] },
  error: { attributes: ['message', 'type'], required: [], children: [] },
};
const INTEGER = ['tests', 'failures', 'errors', 'disabled', 'skipped', 'assertions'];
const DECIMAL = ['time'];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

type XmlNode = Record<string, unknown>;

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  suites: number;
}

export function validateJunit(xml: string): { problems: string[]; counts: JunitCounts; cases: XmlNode[] } {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return { problems: [`not well-formed: ${wellFormed.err.msg} (line ${wellFormed.err.line})`], counts: { tests: 0, failures: 0, errors: 0, suites: 0 }, cases: [] };
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'failure', 'error'].includes(name), parseAttributeValue: false });
  const doc = parser.parse(xml) as XmlNode;
  const problems: string[] = [];
  const roots = Object.keys(doc).filter((key) => key !== '?xml');
  if (roots.length !== 1 || roots[0] !== 'testsuites') problems.push(`root must be testsuites, got ${roots.join(', ')}`);
  const root = (doc.testsuites ?? {}) as XmlNode;
  checkElement('testsuites', root, problems);
  const suites = (root.testsuite ?? []) as XmlNode[];
  const totals = { tests: 0, failures: 0, errors: 0 };
  const cases: XmlNode[] = [];
  for (const suite of suites) {
    checkElement('testsuite', suite, problems);
    const suiteCases = (suite.testcase ?? []) as XmlNode[];
    const names = new Set<string>();
    let failures = 0;
    let errors = 0;
    for (const testcase of suiteCases) {
      checkElement('testcase', testcase, problems);
      const key = `${String(testcase['@classname'])} / ${String(testcase['@name'])}`;
      if (names.has(key)) problems.push(`duplicate test case ${key}`);
      names.add(key);
      const failed = ((testcase.failure ?? []) as XmlNode[]).length;
      const errored = ((testcase.error ?? []) as XmlNode[]).length;
      for (const f of [...((testcase.failure ?? []) as XmlNode[]), ...((testcase.error ?? []) as XmlNode[])]) checkElement('failure', f, problems);
      if (failed + errored > 1) problems.push(`${key}: more than one failure or error`);
      failures += failed;
      errors += errored;
      cases.push(testcase);
    }
    expectCount(suite, 'tests', suiteCases.length, problems);
    expectCount(suite, 'failures', failures, problems);
    expectCount(suite, 'errors', errors, problems);
    totals.tests += suiteCases.length;
    totals.failures += failures;
    totals.errors += errors;
  }
  expectCount(root, 'tests', totals.tests, problems);
  expectCount(root, 'failures', totals.failures, problems);
  expectCount(root, 'errors', totals.errors, problems);
  return { problems, counts: { ...totals, suites: suites.length }, cases };
}

function checkElement(name: string, node: XmlNode, problems: string[]): void {
  const shape = ELEMENTS[name];
  for (const key of Object.keys(node)) {
    if (key === '#text') continue;
    if (key.startsWith('@')) {
      const attribute = key.slice(1);
      const value = String(node[key]);
      if (!shape.attributes.includes(attribute)) problems.push(`${name}: attribute ${attribute} not in the schema`);
      if (INTEGER.includes(attribute) && !/^\d+$/.test(value)) problems.push(`${name}: ${attribute}="${value}" is not a non-negative integer`);
      if (DECIMAL.includes(attribute) && !/^\d+(\.\d+)?$/.test(value)) problems.push(`${name}: ${attribute}="${value}" is not a decimal`);
      if (attribute === 'timestamp' && !TIMESTAMP.test(value)) problems.push(`${name}: timestamp "${value}" is not ISO 8601 without zone`);
    } else if (!shape.children.includes(key)) problems.push(`${name}: element ${key} not allowed here`);
  }
  for (const attribute of shape.required) if (node[`@${attribute}`] === undefined) problems.push(`${name}: missing required ${attribute}`);
}

function expectCount(node: XmlNode, attribute: string, actual: number, problems: string[]): void {
  const stated = node[`@${attribute}`];
  if (stated === undefined || Number(stated) !== actual) problems.push(`${attribute}="${String(stated)}" but ${actual} counted`);
}
