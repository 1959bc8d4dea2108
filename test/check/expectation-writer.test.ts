import { describe, expect, it } from 'vitest';
import { parseExpectations } from '../../src/check/expectation-parse.js';
import { writeExpectations } from '../../src/check/expectation-writer.js';
import { DEFAULT_FAIL_POLICY } from '../../src/check/fail-policy.js';
import { judgeTrace } from '../../src/check/trace-verdict.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/report.js';
import { analyzeCapture } from '../analysis/support/analyze-capture.js';

const TRACES = ['fixtures/real/wireshark-teredo.pcap', 'fixtures/synthetic/scenarios/three-clients-inside.pcap', 'fixtures/synthetic/scenarios/failed-punch-inside.pcap'];

async function reportOf(file: string): Promise<Report> {
  const { stream, analysis } = await analyzeCapture(file);
  return buildReport({ captures: [{ file, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: false }], analysis });
}

describe('--write-expect', () => {
  for (const format of ['yaml', 'json'] as const) {
    it(`writes ${format} that today's analysis passes, and that fails when the analysis changes`, async () => {
      const reports = await Promise.all(TRACES.map(reportOf));
      const text = writeExpectations(TRACES.map((trace, i) => ({ trace, report: reports[i] })), DEFAULT_FAIL_POLICY, format);
      const file = parseExpectations(`expect.${format}`, text);
      expect(file.traces.map((t) => t.trace)).toEqual(TRACES);
      // The trace with an error-severity finding is pinned by its counts instead of failing.
      expect(file.traces.map((t) => t.failOn?.text ?? null)).toEqual([null, 'none', 'none']);
      for (const [i, expectation] of file.traces.entries()) {
        const analysed = { name: TRACES[i], files: [TRACES[i]], report: reports[i], seconds: 0, readExit: 0 as const, readProblems: [] };
        const verdict = judgeTrace(analysed, expectation.failOn ?? DEFAULT_FAIL_POLICY, expectation);
        expect(verdict.outcomes.filter((o) => !o.passed), TRACES[i]).toEqual([]);
        expect(verdict.outcomes.filter((o) => o.source === 'expectation').length).toBeGreaterThan(3);
      }
      // Another trace's analysis does not pass the sample's expectations.
      const other = { name: TRACES[0], files: [TRACES[0]], report: reports[1], seconds: 0, readExit: 0 as const, readProblems: [] };
      expect(judgeTrace(other, DEFAULT_FAIL_POLICY, file.traces[0]).passed).toBe(false);
    });
  }

  it('writes short lists on one line', async () => {
    const text = writeExpectations([{ trace: TRACES[0], report: await reportOf(TRACES[0]) }], DEFAULT_FAIL_POLICY, 'yaml');
    expect(text).toMatch(/^# teredoscope check expectations/);
    expect(text).toContain('        relay: [ 83.170.1.38:32900 ]\n');
    expect(text).toContain('        findings: []\n');
  });
});
