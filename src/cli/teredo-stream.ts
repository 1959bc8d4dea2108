import { CaptureError } from '../capture/capture-error.js';
import type { CaptureSummary } from '../capture/capture-summary.js';
import { readCapture } from '../capture/reader.js';
import { PacketDecoder, type DecodeStats } from '../decode/packet-decoder.js';
import { TeredoDissector, type DissectStats } from '../teredo/dissector.js';
import type { TeredoPacket } from '../teredo/packet.js';

/** Everything the pipeline learned about one capture file besides the packets themselves. */
export interface TeredoStreamResult {
  file: string;
  summary: CaptureSummary | null;
  /** Frames delivered by the reader (also when it stopped on damage). */
  frames: number;
  /** Teredo packets delivered from this file. */
  teredoPackets: number;
  decode: DecodeStats;
  dissect: DissectStats;
  /** Why reading stopped early, or null when the whole file was read. */
  error: CaptureError | null;
  /** Reading was stopped on request (shouldStop) before the end of the file. */
  stopped?: boolean;
}

export interface TeredoStreamOptions {
  input?: NodeJS.ReadableStream;
  onMalformed?: (frame: number, reason: string) => void;
  /** Bytes consumed (compressed bytes for gzip input) and frames read so far. */
  onProgress?: (bytesConsumed: number, frames: number) => void;
  /** Called between input chunks; the reader waits for it (lets a slow output consumer catch up). */
  afterChunk?: () => Promise<void>;
  /** Asked between input chunks: true stops reading quietly (the output was closed, or -c N was reached). */
  shouldStop?: () => boolean;
}

/** Thrown between chunks to leave the reader when shouldStop says so; never escapes this file. */
class StopReading extends Error {}

/**
 * capture → decode → Teredo dissect for one file: the assembly of the first three stages. Each
 * stage only sees the one before it; this function is where they meet. `onPacket` gets the
 * dissector's reused packet: it is overwritten by the next one, so a consumer that keeps it
 * copies it (clonePacket).
 */
export async function streamTeredoPackets(
  file: string,
  onPacket: (packet: TeredoPacket) => void,
  options: TeredoStreamOptions = {},
): Promise<TeredoStreamResult> {
  const decoder = new PacketDecoder();
  const dissector = new TeredoDissector({ onMalformed: options.onMalformed });
  const onProgress = options.onProgress;
  let frames = 0;
  let teredoPackets = 0;
  let summary: CaptureSummary | null = null;
  let error: CaptureError | null = null;
  try {
    summary = await readCapture(
      file,
      (record) => {
        frames = record.frame;
        const datagram = decoder.decode(record);
        if (datagram === null) return;
        const packet = dissector.dissectInPlace(datagram);
        if (packet !== null) {
          teredoPackets++;
          onPacket(packet);
        }
      },
      {
        input: options.input,
        onProgress: onProgress === undefined ? undefined : (bytes) => onProgress(bytes, frames),
        afterChunk: stopBetweenChunks(options),
      },
    );
    frames = summary.frames;
  } catch (caught) {
    if (caught instanceof StopReading) return { file, summary: null, frames, teredoPackets, decode: decoder.stats, dissect: dissector.stats, error: null, stopped: true };
    if (!(caught instanceof CaptureError)) throw caught;
    error = caught;
    frames = caught.framesRead;
  }
  return { file, summary, frames, teredoPackets, decode: decoder.stats, dissect: dissector.stats, error };
}

function stopBetweenChunks(options: TeredoStreamOptions): (() => Promise<void>) | undefined {
  const { afterChunk, shouldStop } = options;
  if (shouldStop === undefined) return afterChunk;
  return async () => {
    if (afterChunk !== undefined) await afterChunk();
    if (shouldStop()) throw new StopReading();
  };
}
