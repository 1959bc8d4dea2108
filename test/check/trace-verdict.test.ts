import { describe, expect, it } from 'vitest';
import { parseExpectations } from '../../src/check/expectation-parse.js';
import { DEFAULT_FAIL_POLICY, parseFailPolicy } from '../../src/check/fail-policy.js';
import { judgeTrace, type AnalysedTrace } from '../../src/check/trace-verdict.js';
import { buildReport } from '../../src/report/build-report.js';
import { analyzeCapture } from '../analysis/support/analyze-capture.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const SYMMETRIC = 'fixtures/synthetic/scenarios/symmetric-inside.pcap';

async function analysed(file: string): Promise<AnalysedTrace> {
  const { stream, analysis } = await analyzeCapture(file);
  const captures = [{ file, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: false }];
  return { name: file, files: [file], report: buildReport({ captures, analysis }), seconds: 0.5, readExit: 0, readProblems: [] };
}

function expectation(body: string[]): ReturnType<typeof parseExpectations>['traces'][number] {
  return parseExpectations('expect.yaml', ['traces:', `  - trace: ${SAMPLE}`, ...body.map((line) => `    ${line}`)].join('\n')).traces[0];
}

describe('judging a trace', () => {
  it('passes the sample capture on its expectations and the default policy', async () => {
    const verdict = judgeTrace(
      await analysed(SAMPLE),
      DEFAULT_FAIL_POLICY,
      expectation([
        'clientCount: 1',
        'findings: {}',
        'clients:',
        '  - client: 2001:0:4137:9e50:8000:f12a:b9c8:2815',
        '    natType: cone',
        '    qualified: true',
        '    relay: 83.170.1.38:32900',
        '    holePunch: success',
        '    findings: []',
        'checks:',
        '  - clients[?teredoAddress=="2001:0:4137:9e50:8000:f12a:b9c8:2815"].natType == cone',
        '  - clients[0].mapped.port == 3797',
        "  - { select: 'findings[kind=missing-relay]', count: 0 }",
        '  - { select: clients, count: { min: 1, max: 2 } }',
        "  - { select: 'clients[0].holePunches[0].frames', equals: [30, 31, 32, 33] }",
        "  - { select: 'clients[0].lastCapture', exists: false }",
        "  - { select: 'clients[0].server.primary', matches: '^65\\.55\\.' }",
      ]),
    );
    expect(verdict.outcomes.filter((o) => !o.passed)).toEqual([]);
    expect(verdict.passed).toBe(true);
    expect(verdict.outcomes.filter((o) => o.source === 'expectation')).toHaveLength(14);
    expect(new Set(verdict.outcomes.map((o) => o.name)).size).toBe(verdict.outcomes.length);
  });

  it('fails a wrong expectation with a message naming trace, client and field', async () => {
    const verdict = judgeTrace(await analysed(SAMPLE), DEFAULT_FAIL_POLICY, expectation(['clients:', '  - client: 192.168.2.16', '    natType: symmetric', '    qualified: true']));
    expect(verdict.passed).toBe(false);
    const failed = verdict.outcomes.filter((o) => !o.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toBe(`${SAMPLE}: client 192.168.2.16:3797: natType is cone, expected symmetric (expect.yaml:5)`);
    expect(failed[0].client).toBe('192.168.2.16:3797');
  });

  it('says what a failed selector picked', async () => {
    const verdict = judgeTrace(await analysed(SAMPLE), DEFAULT_FAIL_POLICY, expectation(['checks:', "  - { select: 'clients[*].natType', equals: restricted }", '  - { select: clients, count: 3 }', "  - { select: 'clients[0].nope', exists: true }"]));
    const messages = verdict.outcomes.filter((o) => !o.passed).map((o) => o.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toBe(`${SAMPLE}: clients[*].natType equals "restricted": expected "restricted", selected 1 value: "cone" (expect.yaml:4)`);
    expect(messages[1]).toMatch(/^fixtures\/real\/wireshark-teredo\.pcap: clients count 3: count is 1, expected 3 \(selected 1 value: \[\{"id":"192\.168\.2\.16:3797".{0,60}…\) \(expect\.yaml:5\)$/);
    expect(messages[2]).toBe(`${SAMPLE}: clients[0].nope exists true: nothing selected (expect.yaml:6)`);
  });

  it('fails on a finding of a failing kind, with its frames and display filter', async () => {
    const trace = await analysed(SYMMETRIC);
    const verdict = judgeTrace(trace, parseFailPolicy(['symmetric-nat']), null);
    const failures = verdict.outcomes.filter((o) => !o.passed);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ source: 'finding', kind: 'symmetric-nat', client: '192.168.1.10:40000', frames: [5, 7] });
    expect(failures[0].displayFilter).toContain('frame.number == 5');
    expect(judgeTrace(trace, parseFailPolicy(['none']), null).passed).toBe(true);
    expect(judgeTrace(trace, parseFailPolicy(['missing-relay']), null).passed).toBe(true);
  });

  it('pins findings per kind: one not named fails', async () => {
    const trace = await analysed(SYMMETRIC);
    const file = (findings: string) => parseExpectations('e.yaml', `traces:\n  - trace: x\n    findings: ${findings}\n`).traces[0];
    expect(judgeTrace(trace, parseFailPolicy(['none']), file('{ symmetric-nat: 1 }')).passed).toBe(true);
    const unpinned = judgeTrace(trace, parseFailPolicy(['none']), file('{}'));
    expect(unpinned.outcomes.filter((o) => !o.passed).map((o) => o.message)).toEqual([`${SYMMETRIC}: findings.symmetric-nat is 1, expected 0 (e.yaml:3)`]);
  });

  it('is an error when the trace was not read completely', async () => {
    const trace = { ...(await analysed(SAMPLE)), readExit: 4 as const, readProblems: ['x.pcap: truncated'] };
    const verdict = judgeTrace(trace, DEFAULT_FAIL_POLICY, null);
    expect(verdict.passed).toBe(false);
    expect(verdict.outcomes[0]).toMatchObject({ name: 'read', source: 'read', passed: false, message: `${SAMPLE}: x.pcap: truncated` });
  });
});
