import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameDisplayFilter } from '../../src/analysis/display-filter.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { renderReportJson } from '../../src/cli/render/report-json.js';
import { renderReportMarkdown } from '../../src/cli/render/report-markdown.js';
import { renderReportTable } from '../../src/cli/render/report-table.js';
import { buildReport } from '../../src/report/build-report.js';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import type { AnomalyKind, TeredoKind } from '../../src/teredo/packet.js';
import { packet, teredo } from './support/packet-factory.js';

/**
 * Random packet sequences over a small world (a few sockets and addresses, so that exchanges
 * collide): the analysis never throws, and whatever it concludes is a valid report whose findings
 * point at frames that exist.
 */

const SOCKETS = ['192.168.1.10:40000', '203.0.113.7:40000', '203.0.113.7:40001', '198.51.100.80:3544', '198.51.100.81:3544', '192.0.2.38:32900', '203.0.113.20:50000', '10.0.0.1:3544'];
const ADDRESSES = [
  'fe80::8000:ffff:ffff:fffd',
  'fe80::ffff:ffff:fffe',
  'fe80::708d:fe83:4114:a512',
  'ff02::2',
  '2001:db8::68',
  '2002:c000:226::1',
  teredo('198.51.100.80', '203.0.113.7:40000', true),
  teredo('198.51.100.80', '203.0.113.7:40001'),
  teredo('198.51.100.90', '203.0.113.20:50000'),
  teredo('0.0.0.0', '10.0.0.1:1'),
];
const KINDS: TeredoKind[] = ['router-solicitation', 'router-advertisement', 'neighbor-solicitation', 'neighbor-advertisement', 'echo-request', 'echo-reply', 'bubble', 'data'];
const ANOMALIES: AnomalyKind[] = ['bubble-with-payload', 'trailing-bytes', 'truncated-ipv6', 'bad-trailer', 'bad-icmpv6', 'non-global-embedded-ipv4'];

const packetSpec = fc.record({
  gap: fc.double({ min: 0, max: 40, noNaN: true }),
  from: fc.constantFrom(...SOCKETS),
  to: fc.constantFrom(...SOCKETS),
  kind: fc.constantFrom(...KINDS),
  src: fc.constantFrom(...ADDRESSES),
  dst: fc.constantFrom(...ADDRESSES),
  nonce: fc.option(fc.constantFrom('0000000000000001', '0000000000000002', 'ffffffffffffffff'), { nil: undefined }),
  origin: fc.option(fc.constantFrom(...SOCKETS), { nil: undefined }),
  prefix: fc.option(fc.constantFrom('2001:0:c633:6450::', '2001:db8::'), { nil: undefined }),
  anomaly: fc.option(fc.constantFrom(...ANOMALIES), { nil: undefined }),
});

describe('analysis of arbitrary packet sequences', () => {
  it('never throws and always yields a valid report', () => {
    fc.assert(
      fc.property(fc.array(packetSpec, { maxLength: 60 }), fc.integer({ min: 1, max: 120 }), (specs, idle) => {
        const analyzer = new TeredoAnalyzer({ idleTimeoutSeconds: idle, maxFindingsPerKind: 5 });
        let t = 0;
        specs.forEach((spec, index) => {
          t += spec.gap;
          analyzer.add(
            packet({
              frame: index + 1,
              t,
              from: spec.from,
              to: spec.to,
              kind: spec.kind,
              src: spec.src,
              dst: spec.dst,
              nonce: spec.nonce,
              origin: spec.origin,
              prefix: spec.prefix,
              anomalies: spec.anomaly === undefined ? [] : [{ kind: spec.anomaly, message: spec.anomaly }],
            }),
          );
        });
        const analysis = analyzer.finish();
        const report = buildReport({ captures: [{ file: 'x.pcap', format: 'pcap', packets: specs.length, teredoPackets: specs.length, truncated: false }], analysis });
        const json: unknown = JSON.parse(renderReportJson(report));
        expect(checkJsonSchema(json, REPORT_JSON_SCHEMA)).toEqual([]);
        renderReportTable(report, { color: true });
        renderReportMarkdown(report);
        for (const finding of report.findings) {
          expect(finding.frames.length).toBeGreaterThan(0);
          expect(finding.frames.every((f) => f >= 1 && f <= specs.length)).toBe(true);
          expect(finding.displayFilter).toBe(frameDisplayFilter(finding.frames));
        }
        let packets = 0;
        for (const client of report.clients) {
          packets += client.packets;
          expect(client.holePunches.every((p) => p.frames.every((f) => f >= 1 && f <= specs.length))).toBe(true);
        }
        // Each packet counts once per client it concerns (twice at most: sender and receiver).
        expect(packets).toBeLessThanOrEqual(2 * specs.length);
      }),
      { numRuns: 300 },
    );
  });
});
