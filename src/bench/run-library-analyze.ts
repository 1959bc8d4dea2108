import { openSync, writeSync } from 'node:fs';
import { TeredoAnalyzer } from '../analysis/teredo-analyzer.js';
import { reportJsonLines } from '../cli/render/report-json.js';
import { streamTeredoPackets } from '../cli/teredo-stream.js';
import { buildReport } from '../report/build-report.js';

/**
 * Child-process probe standing in for `teredoscope analyze --format json` while the CLI does not
 * have that command: the same chain (reader → decoder → dissector → analyzer → report → JSON) with
 * the JSON written to /dev/null. Prints frames and Teredo packets as one JSON line.
 */
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: run-library-analyze.js FILE\n');
  process.exit(2);
}
const analyzer = new TeredoAnalyzer();
const stream = await streamTeredoPackets(file, (packet) => analyzer.add(packet), {
  onMalformed: (frame, reason) => analyzer.noteMalformed(frame, reason),
});
if (stream.error !== null) analyzer.noteTruncated(stream.frames, stream.error.message);
const report = buildReport({
  captures: [{ file, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.dissect.teredo, truncated: stream.error !== null }],
  analysis: analyzer.finish(),
});
const out = openSync('/dev/null', 'w');
let jsonBytes = 0;
for (const line of reportJsonLines(report)) jsonBytes += writeSync(out, `${line}\n`);
process.stdout.write(`${JSON.stringify({ frames: stream.frames, teredo: stream.dissect.teredo, clients: report.clients.size, jsonBytes })}\n`);
