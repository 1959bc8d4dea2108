import { frameReference as ref } from '../../../src/analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../../src/analysis/teredo-analyzer.js';
import { buildReport } from '../../../src/report/build-report.js';
import type { CaptureReportEntry, Report } from '../../../src/report/report.js';
import { packet, ra, rs, teredo } from '../../analysis/support/packet-factory.js';

export const P = '198.51.100.80';
export const CLIENT = '192.168.1.10:40000';
export const MAPPED = '203.0.113.7:40000';
export const RELAY = '192.0.2.38:32900';
export const HOST = '2001:db8:0:2001::68';
export const ME = teredo(P, MAPPED);
export const RING_FILES = ['ring_1.pcap', 'ring_2.pcap'];

export const captureEntry = (file: string): CaptureReportEntry => ({ file, format: 'pcap', packets: 10, teredoPackets: 5, truncated: false });

/**
 * Two rotated captures: a client qualifies in the first (frames 3, 4), starts a relay hole punch
 * there (echo test 8, relay bubble 9), and sends its `clientBubbles` bubbles to the relay from
 * frame 1 of the second, 2 s apart; the relay never delivers. A refresh RS at frame 7 ends it.
 */
export function rotatedPunchReport(clientBubbles: number, captures: CaptureReportEntry[] = RING_FILES.map(captureEntry)): Report {
  const analyzer = new TeredoAnalyzer({ captureNames: captures.map((c) => c.file) });
  analyzer.add(rs(ref(0, 3), 0, CLIENT, P, '0000000000000001'));
  analyzer.add(ra(ref(0, 4), 0.1, P, CLIENT, '0000000000000001', MAPPED));
  analyzer.add(packet({ frame: ref(0, 8), t: 1, from: CLIENT, to: `${P}:3544`, kind: 'echo-request', src: ME, dst: HOST }));
  analyzer.add(packet({ frame: ref(0, 9), t: 1.2, from: `${P}:3544`, to: CLIENT, kind: 'bubble', src: 'fe80::1', dst: ME, origin: RELAY }));
  for (let i = 0; i < clientBubbles; i++) {
    analyzer.add(packet({ frame: ref(1, i + 1), t: 1.3 + 2 * i, from: CLIENT, to: RELAY, kind: 'bubble', src: ME, dst: 'fe80::1' }));
  }
  analyzer.add(rs(ref(1, 7), 60, CLIENT, P, '0000000000000002'));
  return buildReport({ captures, analysis: analyzer.finish() });
}
