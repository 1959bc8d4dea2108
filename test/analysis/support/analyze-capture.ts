import type { AnalysisResult, AnalyzerOptions } from '../../../src/analysis/analysis-result.js';
import { TeredoAnalyzer } from '../../../src/analysis/teredo-analyzer.js';
import { streamTeredoPackets, type TeredoStreamResult } from '../../../src/cli/teredo-stream.js';

export interface AnalyzedCapture {
  stream: TeredoStreamResult;
  analysis: AnalysisResult;
}

/** reader → decoder → dissector → analyzer for one file, as the `analyze` command chains them. */
export async function analyzeCapture(file: string, options: AnalyzerOptions = {}): Promise<AnalyzedCapture> {
  const analyzer = new TeredoAnalyzer(options);
  const stream = await streamTeredoPackets(file, (packet) => analyzer.add(packet), {
    onMalformed: (frame, reason) => analyzer.noteMalformed(frame, reason),
  });
  if (stream.error !== null && (stream.error.kind === 'truncated' || stream.error.kind === 'damaged')) {
    analyzer.noteTruncated(stream.frames, stream.error.message);
  }
  return { stream, analysis: analyzer.finish() };
}
