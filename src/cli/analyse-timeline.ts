import type { Readable } from 'node:stream';
import type { AnalysisResult } from '../analysis/analysis-result.js';
import { frameReference } from '../analysis/frame-reference.js';
import { TeredoAnalyzer } from '../analysis/teredo-analyzer.js';
import type { Timestamp } from '../capture/timestamp.js';
import type { CaptureReportEntry } from '../report/report.js';
import { streamMergedTeredoPackets } from './merged-teredo-stream.js';
import type { ProgressDisplay } from './progress-display.js';
import type { TeredoStreamResult } from './teredo-stream.js';

export interface TimelineOptions {
  stdin: Readable;
  progress: ProgressDisplay;
  /** Index in the report of the first of these files: frame references and progress name it. */
  firstCapture: number;
  /** Every capture of the report, by index (empty for a report of one capture). */
  captureNames: string[];
  maxLiveClients: number;
  workers: boolean;
  /** These files are some of many inputs (see MergedStreamOptions.amongMany). */
  amongMany: boolean;
  /** Each file's first timestamp, when the caller already peeked. */
  firstTimestamps?: readonly (Timestamp | null)[];
  /** Teredo packets still to analyse (`-c N`, shared by the timelines of one run); past it reading stops. */
  budget?: { left: number };
}

export interface AnalysedTimeline {
  /** Per file, in the order given. */
  results: TeredoStreamResult[];
  captures: CaptureReportEntry[];
  analysis: AnalysisResult;
}

/**
 * One timeline, one analysis: the files merged by timestamp, so that a client seen across rotated
 * files is one client. Each packet carries a frame reference (capture, frame), capture being its
 * index in the whole report. Earlier packets of a broken file are analysed and the files after it
 * still read. Used by `analyze` for each timeline and by `check` for each trace.
 */
export async function analyseTimeline(files: readonly string[], options: TimelineOptions): Promise<AnalysedTimeline> {
  const first = options.firstCapture;
  const budget = options.budget ?? { left: Number.POSITIVE_INFINITY };
  const analyzer = new TeredoAnalyzer({ captureNames: options.captureNames, maxLiveClients: options.maxLiveClients });
  const results = await streamMergedTeredoPackets(
    files,
    (packet, source) => {
      if (budget.left <= 0) return;
      budget.left--;
      packet.frame = frameReference(first + source, packet.frame);
      analyzer.add(packet);
    },
    {
      stdin: options.stdin,
      onMalformed: (source, frame, reason) => analyzer.noteMalformed(frameReference(first + source, frame), reason),
      onProgress: (source, bytes, frames) => options.progress.update(first + source, bytes, frames),
      workers: options.workers,
      amongMany: options.amongMany,
      shouldStop: () => budget.left <= 0,
      firstTimestamps: options.firstTimestamps,
    },
  );
  for (const [source, result] of results.entries()) {
    if (result.error !== null && (result.error.kind === 'truncated' || result.error.kind === 'damaged')) {
      analyzer.noteTruncated(frameReference(first + source, result.frames), result.error.message);
    }
  }
  return { results, captures: results.map(captureEntry), analysis: analyzer.finish() };
}

function captureEntry(result: TeredoStreamResult): CaptureReportEntry {
  const entry: CaptureReportEntry = {
    file: result.file,
    format: result.summary?.format ?? result.error?.format ?? null,
    packets: result.frames,
    teredoPackets: result.teredoPackets,
    truncated: result.error !== null,
  };
  if (result.error !== null) entry.error = result.error.message;
  return entry;
}
