import { describe, expect, it } from 'vitest';
import { frameReference as ref } from '../../src/analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { buildReport } from '../../src/report/build-report.js';
import { filterReportByClient, parseClientQuery } from '../../src/report/client-filter.js';
import { frameLocations } from '../../src/report/frame-locations.js';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import type { CaptureReportEntry, Report } from '../../src/report/report.js';
import { packet, ra, rs } from '../analysis/support/packet-factory.js';
import { captureEntry as entry, CLIENT, HOST, MAPPED, ME, P, rotatedPunchReport } from './support/rotated-punch.js';

const rotatedReport = (captures?: CaptureReportEntry[]): Report => rotatedPunchReport(2, captures);

describe('frameLocations', () => {
  it('splits frame references into per-capture frame lists with a display filter each', () => {
    expect(frameLocations([ref(1, 2), ref(0, 31), ref(1, 1), ref(0, 30), ref(1, 3)])).toEqual([
      { capture: 0, frames: [30, 31], displayFilter: 'frame.number == 30 || frame.number == 31' },
      { capture: 1, frames: [1, 2, 3], displayFilter: '(frame.number >= 1 && frame.number <= 3)' },
    ]);
    expect(frameLocations([])).toEqual([]);
  });
});

describe('a report of several captures', () => {
  it('says for every frame of a client, hole punch and finding which capture it belongs to', () => {
    const report = rotatedReport();
    const client = report.clients.get(0);
    expect(client).toMatchObject({ capture: 0, firstFrame: 3, lastFrame: 7, lastCapture: 1 });
    expect(client.holePunches).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        missingStep: 'relay-delivery',
        capture: 0,
        frames: [8, 9],
        locations: [
          { capture: 0, frames: [8, 9], displayFilter: 'frame.number == 8 || frame.number == 9' },
          { capture: 1, frames: [1, 2], displayFilter: 'frame.number == 1 || frame.number == 2' },
        ],
      }),
    ]);
    const failed = report.findings.find((f) => f.kind === 'hole-punch-failed');
    expect(failed).toMatchObject({
      client: CLIENT,
      capture: 0,
      frames: [8, 9],
      displayFilter: 'frame.number == 8 || frame.number == 9',
      locations: [
        { capture: 0, frames: [8, 9], displayFilter: 'frame.number == 8 || frame.number == 9' },
        { capture: 1, frames: [1, 2], displayFilter: 'frame.number == 1 || frame.number == 2' },
      ],
    });
  });

  it('satisfies the schema, which also rejects a malformed location', () => {
    const json = JSON.parse(JSON.stringify(rotatedReport())) as { findings: { locations: unknown[] }[] };
    expect(checkJsonSchema(json, REPORT_JSON_SCHEMA)).toEqual([]);
    json.findings[0].locations.push({ capture: -1, frames: [0] });
    expect(checkJsonSchema(json, REPORT_JSON_SCHEMA)).toEqual([
      '/findings/0/locations/2: missing displayFilter',
      '/findings/0/locations/2/capture: -1 < 0',
      '/findings/0/locations/2/frames/0: 0 < 1',
    ]);
  });

  it('keeps a client\'s findings when filtering by client, wherever they lie', () => {
    const report = rotatedReport();
    const filtered = filterReportByClient(report, parseClientQuery('203.0.113.7')!);
    expect(filtered.clients.size).toBe(1);
    expect(filtered.findings.map((f) => f.kind)).toEqual(report.findings.map((f) => f.kind));
    expect(filterReportByClient(report, parseClientQuery('10.9.9.9')!).findings).toEqual([]);
  });

  it('adds none of the extensions for a single capture', () => {
    const analyzer = new TeredoAnalyzer();
    analyzer.add(rs(3, 0, CLIENT, P, '0000000000000001'));
    analyzer.add(ra(4, 0.1, P, CLIENT, '0000000000000001', MAPPED));
    analyzer.add(packet({ frame: 8, t: 1, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: HOST }));
    analyzer.add(rs(9, 60, CLIENT, P, '0000000000000002'));
    const report = buildReport({ captures: [entry('one.pcap')], analysis: analyzer.finish() });
    const text = JSON.stringify(report);
    for (const extension of ['locations', 'lastCapture']) expect(text).not.toContain(extension);
    expect(report.clients.get(0).holePunches[0]).not.toHaveProperty('capture');
    expect(report.findings.find((f) => f.kind === 'missing-relay')).toMatchObject({ frames: [8], capture: 0, displayFilter: 'frame.number == 8' });
  });
});
