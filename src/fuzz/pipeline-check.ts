import { gzipSync } from 'node:zlib';
import { FINDING_KINDS, MAX_FINDING_FRAMES } from '../analysis/finding.js';
import { CaptureError, type CaptureErrorKind } from '../capture/capture-error.js';
import type { CaptureSummary } from '../capture/capture-summary.js';
import { isPcapMagic } from '../capture/pcap-parser-state.js';
import { readCapture } from '../capture/reader.js';
import { describeError, PipelineProbe, StageFailure } from './pipeline-probe.js';
import { plainStream, RecyclingStream } from './recycling-stream.js';
import { renderReport } from './render-check.js';

export interface PipelineRunOptions {
  /** Size of the pieces the reader parses (default: the reader's 1 MiB). */
  chunkSize?: number;
  /**
   * Hand the input over as stream chunks of this size, each overwritten once the next is pulled
   * (as the file reader recycles its buffers). Default: one chunk.
   */
  streamChunkSize?: number;
  /** Gzip the input first (the reader must sniff and inflate it; chunks are then not recycled). */
  gzip?: boolean;
  /** Feed the Teredo packets to the analyzer and check its result (default true). */
  analyze?: boolean;
}

export interface PipelineOutcome {
  /** Broken promises; empty when the run behaved. */
  violations: string[];
  records: number;
  teredoPackets: number;
  summary: CaptureSummary | null;
  error: CaptureError | null;
  /** Fingerprint of what reader, decoder and dissector produced (records, datagrams, packets, counters, error). */
  digest: string;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const DOCUMENTED_KINDS: readonly CaptureErrorKind[] = ['unreadable', 'not-a-capture', 'truncated', 'damaged'];

/**
 * Reads `input` as a capture through reader → decoder → dissector → analyzer and checks the
 * robustness properties:
 * - nothing throws but CaptureError, of a documented kind, with a one-line message;
 * - records are well-formed (frame numbers increase, by one in classic pcap; bytes inside their
 *   buffer; timestamps and lengths in range), also those delivered before an error;
 * - datagrams and packets stay inside their record and own their bytes;
 * - the counters of every stage add up with each other and with the analysis;
 * - every packet renders as `dissect` prints it, and the `analyze` report as JSON (valid against
 *   its schema), table and Markdown, with no control characters from the capture in the text.
 */
export async function runPipeline(input: Uint8Array, options: PipelineRunOptions = {}): Promise<PipelineOutcome> {
  const magic = input.length >= 4 ? ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) | input[3]) >>> 0 : 0;
  const probe = new PipelineProbe(isPcapMagic(magic), options.analyze !== false);
  // Gzip input is never recycled: the inflater may still hold a chunk the reader has moved past.
  const compressed = options.gzip === true || (input[0] === GZIP_MAGIC_0 && input[1] === GZIP_MAGIC_1);
  const bytes = options.gzip === true ? gzipSync(input) : input;
  const stream = compressed
    ? plainStream(bytes, options.streamChunkSize)
    : new RecyclingStream(bytes, options.streamChunkSize ?? Math.max(1, bytes.length));
  let summary: CaptureSummary | null = null;
  let error: CaptureError | null = null;
  try {
    summary = await readCapture('-', probe.onRecord, { input: stream, chunkSize: options.chunkSize });
  } catch (caught) {
    if (caught instanceof CaptureError) error = caught;
    else if (caught instanceof StageFailure) probe.violation(caught.message);
    else probe.violation(`the reader threw ${describeError(caught)}`);
  }
  if (error !== null) checkError(probe, error);
  if (summary !== null) checkSummary(probe, summary, compressed && options.gzip !== true ? null : input.length, compressed);
  checkCounters(probe);
  if (error !== null) probe.digest.text(error.kind).text(error.message).number(error.framesRead);
  if (summary !== null) probe.digest.text(summary.format).number(summary.frames).number(summary.bytes);
  const digest = probe.digest.toString();
  if (probe.analyzing) checkAnalysis(probe, error, summary);
  return { violations: probe.violations, records: probe.records, teredoPackets: probe.packets, summary, error, digest };
}

function checkError(probe: PipelineProbe, error: CaptureError): void {
  if (!DOCUMENTED_KINDS.includes(error.kind)) probe.violation(`CaptureError of undocumented kind ${error.kind}`);
  if (error.message.length === 0 || error.message.includes('\n')) probe.violation(`CaptureError message ${JSON.stringify(error.message)} is not one line`);
  if (error.exitCode !== (error.kind === 'truncated' || error.kind === 'damaged' ? 4 : 3)) probe.violation(`${error.kind} maps to exit code ${error.exitCode}`);
  if (error.framesRead < probe.lastFrame) probe.violation(`error says ${error.framesRead} frames were read, but frame ${probe.lastFrame} was delivered`);
  if (probe.classicPcapFile && error.framesRead !== probe.records) probe.violation(`error says ${error.framesRead} frames were read, ${probe.records} were delivered`);
  if (error.kind === 'not-a-capture' && probe.records > 0) probe.violation(`not-a-capture after ${probe.records} records`);
}

/** `captureBytes`: the length of the capture inside (null when the input came gzipped and it is unknown). */
function checkSummary(probe: PipelineProbe, summary: CaptureSummary, captureBytes: number | null, compressed: boolean): void {
  if (summary.compressed !== compressed) probe.violation(`summary says compressed ${summary.compressed}`);
  if (captureBytes !== null && summary.bytes !== captureBytes) probe.violation(`summary counts ${summary.bytes} bytes of ${captureBytes}`);
  if (summary.frames < probe.lastFrame || (probe.classicPcapFile && summary.frames !== probe.records)) {
    probe.violation(`summary counts ${summary.frames} frames; ${probe.records} records delivered, the last numbered ${probe.lastFrame}`);
  }
  let byLinkType = 0;
  for (const count of summary.linkTypes.values()) byLinkType += count;
  if (byLinkType !== probe.records) probe.violation(`link type counts add up to ${byLinkType}, ${probe.records} records delivered`);
  probe.digest.number(summary.linkTypes.size);
}

function checkCounters(probe: PipelineProbe): void {
  const decode = probe.decoder.stats;
  const dissect = probe.dissector.stats;
  let unsupported = 0;
  for (const count of decode.unsupportedLinkTypes.values()) unsupported += count;
  const ended = decode.udp + decode.ipv6 + decode.other + decode.malformed + unsupported;
  const pendingFragments = decode.frames - ended;
  if (decode.frames !== probe.records) probe.violation(`decoder counted ${decode.frames} frames of ${probe.records}`);
  if (decode.udp !== probe.datagrams) probe.violation(`decoder counted ${decode.udp} datagrams, returned ${probe.datagrams}`);
  if (pendingFragments < 0 || pendingFragments > decode.fragments) {
    probe.violation(`decoder outcomes do not add up: ${decode.frames} frames, ${ended} ended, ${decode.fragments} fragments`);
  }
  if (decode.ipv4 > decode.frames || decode.reassembled > decode.fragments || decode.fragmentsDropped > decode.fragments) {
    probe.violation(`decoder IPv4 counters inconsistent: ${JSON.stringify({ ...decode, unsupportedLinkTypes: unsupported })}`);
  }
  if (dissect.examined !== probe.datagrams) probe.violation(`dissector examined ${dissect.examined} of ${probe.datagrams} datagrams`);
  const detected = dissect.byDetection['port-3544'] + dissect.byDetection['learned-endpoint'] + dissect.byDetection.structure;
  if (dissect.teredo !== probe.packets || detected !== probe.packets) probe.violation(`dissector counted ${dissect.teredo} (${detected} by detection), returned ${probe.packets}`);
  if (dissect.malformed !== probe.malformedNotes) probe.violation(`dissector counted ${dissect.malformed} malformed, reported ${probe.malformedNotes}`);
  if (dissect.teredo + dissect.malformed > dissect.examined) probe.violation('dissector counted more outcomes than datagrams');
  const digest = probe.digest;
  for (const value of [decode.ipv4, decode.ipv6, decode.udp, decode.other, decode.malformed, decode.fragments, decode.reassembled, decode.fragmentsDropped, decode.tunnels, unsupported]) {
    digest.number(value);
  }
  digest.number(dissect.teredo).number(dissect.malformed).number(dissect.byDetection.structure).number(dissect.byDetection['learned-endpoint']);
}

function checkAnalysis(probe: PipelineProbe, error: CaptureError | null, summary: CaptureSummary | null): void {
  const analyzer = probe.analyzer;
  try {
    const endedEarly = error !== null && error.exitCode === 4;
    if (endedEarly) analyzer.noteTruncated(error.framesRead, error.message);
    const result = analyzer.finish();
    const capture = result.captures[0];
    if (result.captures.length !== 1 || capture.teredoPackets !== probe.packets || capture.malformed !== probe.malformedNotes || capture.truncated !== endedEarly) {
      probe.violation(`analysis counted ${JSON.stringify(result.captures)}; ${probe.packets} packets, ${probe.malformedNotes} malformed, ended early ${endedEarly}`);
    }
    const lastFrame = Math.max(probe.lastFrame, error?.framesRead ?? 0);
    for (const client of result.clients) {
      if (!(client.packets >= 1 && client.packets <= probe.packets && client.firstFrame >= 1 && client.firstFrame <= client.lastFrame && client.lastFrame <= lastFrame)) {
        probe.violation(`client ${client.id}: ${client.packets} packets, frames ${client.firstFrame}..${client.lastFrame} (last frame ${lastFrame})`);
      }
    }
    for (const finding of result.findings) {
      const frames = finding.frames;
      const ordered = frames.every((frame, i) => frame >= 1 && frame <= lastFrame && (i === 0 || frame > frames[i - 1]));
      if (!FINDING_KINDS.includes(finding.kind) || !ordered || frames.length > MAX_FINDING_FRAMES || finding.message.length === 0 || finding.capture !== 0) {
        probe.violation(`finding ${finding.kind} with frames ${frames.join(',')} (last frame ${lastFrame}): ${finding.message}`);
      }
    }
    const entry = { file: 'fuzz.pcap', format: summary?.format ?? null, packets: lastFrame, teredoPackets: probe.packets, truncated: error !== null };
    try {
      for (const problem of renderReport(entry, result)) probe.violation(problem);
    } catch (caught) {
      probe.violation(`building or rendering the report threw ${describeError(caught)}`);
    }
  } catch (caught) {
    probe.violation(`the analyzer threw while finishing: ${describeError(caught)}`);
  }
}
