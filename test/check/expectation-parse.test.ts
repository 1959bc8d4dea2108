import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingCatalogMarkdown } from '../../src/analysis/finding-catalog.js';
import { parseExpectations } from '../../src/check/expectation-parse.js';
import { ExpectationError } from '../../src/check/expectation.js';
import { DEFAULT_FAIL_POLICY } from '../../src/check/fail-policy.js';
import { judgeTrace } from '../../src/check/trace-verdict.js';
import { buildReport } from '../../src/report/build-report.js';
import { analyzeCapture } from '../analysis/support/analyze-capture.js';

const FILE = 'ci/expect.yaml';

function errorOf(text: string): ExpectationError {
  try {
    parseExpectations(FILE, text);
  } catch (error) {
    if (error instanceof ExpectationError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('expectation files', () => {
  it('reads traces, shorthands and checks from YAML, traces relative to the file', () => {
    const file = parseExpectations(
      FILE,
      [
        'traces:',
        '  - trace: ../fixtures/real/wireshark-teredo.pcap',
        '    failOn: [symmetric-nat, warning]',
        '    clientCount: { min: 1, max: 3 }',
        '    findings: { symmetric-nat: 0 }',
        '    clients:',
        '      - client: 192.168.2.16:3797',
        '        natType: cone',
        '        qualified: true',
        '        relay: 83.170.1.38:32900',
        '        holePunch: success',
        '        findings: []',
        '    checks:',
        '      - clients[?teredoAddress=="2001:0:4137:9e50:8000:f12a:b9c8:2815"].natType == cone',
        "      - { select: 'findings[kind=missing-relay]', count: 0 }",
        "      - { select: 'clients[0].mapped', exists: true }",
      ].join('\n'),
    );
    expect(file.traces).toHaveLength(1);
    const [trace] = file.traces;
    expect(trace.resolved).toBe(resolve('fixtures/real/wireshark-teredo.pcap'));
    expect(trace.where).toEqual({ file: FILE, line: 2 });
    expect([...(trace.failOn?.kinds ?? [])]).toEqual(['symmetric-nat']);
    expect(trace.failOn?.severity).toBe('warning');
    expect(trace.clientCount).toEqual({ min: 1, max: 3 });
    expect(trace.findings).toEqual({ 'symmetric-nat': 0 });
    expect(trace.clients[0].fields.map((field) => [field.field, field.where.line])).toEqual([
      ['natType', 8],
      ['qualified', 9],
      ['relay', 10],
      ['holePunch', 11],
      ['findings', 12],
    ]);
    expect(trace.checks.map((check) => [check.where.line, check.equals?.value, check.count, check.exists])).toEqual([
      [14, 'cone', undefined, undefined],
      [15, undefined, { min: 0, max: 0 }, undefined],
      [16, undefined, undefined, true],
    ]);
  });

  it('reads JSON with its line numbers', () => {
    const file = parseExpectations('expect.json', '{\n  "traces": [\n    {\n      "trace": "a.pcap",\n      "clientCount": 2\n    }\n  ]\n}\n');
    expect(file.traces[0].clientCount).toEqual({ min: 2, max: 2 });
    expect(file.traces[0].fieldLines.clientCount).toBe(5);
  });

  it('names the file, line and key of an unknown key, never ignoring it', () => {
    const error = errorOf('traces:\n  - trace: a.pcap\n    clients:\n      - client: 10.0.0.1\n        natTyp: cone\n');
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(5);
    expect(error.key).toBe('natTyp');
    expect(error.message).toMatch(/^ci\/expect\.yaml:5: 'natTyp': unknown key in a client \(known: .*natType/);
    expect(errorOf('traces: []\nversion: 2\n').key).toBe('version');
    expect(errorOf('traces:\n  - trace: a\n    checks:\n      - { select: clients, cout: 1 }\n')).toMatchObject({ line: 4, key: 'cout' });
  });

  it('rejects wrong values, saying where', () => {
    expect(errorOf('traces:\n  - trace: a\n    clients:\n      - client: 10.0.0.1\n        natType: conical\n')).toMatchObject({ line: 5, key: 'natType' });
    expect(errorOf('traces:\n  - trace: a\n    findings: { symetric-nat: 1 }\n')).toMatchObject({ line: 3, key: 'symetric-nat' });
    expect(errorOf('traces:\n  - trace: a\n    clientCount: -1\n')).toMatchObject({ line: 3, key: 'clientCount' });
    expect(errorOf('traces:\n  - trace: a\n    checks:\n      - clients[0\n')).toMatchObject({ line: 4 });
    expect(errorOf('traces:\n  - trace: a\n    checks:\n      - { select: clients }\n').message).toMatch(/needs one of/);
    expect(errorOf('traces:\n  - trace: a\n    failOn: sometimes\n')).toMatchObject({ line: 3, key: 'failOn' });
    expect(errorOf('traces:\n  - clientCount: 1\n').message).toMatch(/missing 'trace'/);
    expect(errorOf('traces:\n  - trace: a\n  - trace: [\n').line).toBeGreaterThanOrEqual(3);
    expect(errorOf('traces:\n  - trace: a\n    trace: b\n').line).toBe(3);
    expect(errorOf('').message).toMatch(/empty/);
  });
});

describe('docs/ci.md', () => {
  it('has an expectation example that parses and that the sample capture passes', async () => {
    const doc = await readFile('docs/ci.md', 'utf8');
    const example = /## Expectation files[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const file = parseExpectations('docs/example.yaml', example ?? '');
    const sample = 'fixtures/real/wireshark-teredo.pcap';
    expect(file.traces[0].resolved).toBe(resolve(sample));
    const { stream, analysis } = await analyzeCapture(sample);
    const report = buildReport({ captures: [{ file: sample, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: false }], analysis });
    const verdict = judgeTrace({ name: sample, files: [sample], report, seconds: 0, readExit: 0, readProblems: [] }, file.traces[0].failOn ?? DEFAULT_FAIL_POLICY, file.traces[0]);
    expect(verdict.outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(verdict.outcomes.filter((o) => o.source === 'expectation')).toHaveLength(13);
  });

  it('lists the finding kinds as the catalog has them', async () => {
    expect(await readFile('docs/ci.md', 'utf8')).toContain(findingCatalogMarkdown());
  });
});
