import type { Timestamp } from '../capture/timestamp.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { clonePacket } from '../teredo/packet-copy.js';
import { compareTimestamps, peekFirstTimestamp } from './peek-first-timestamp.js';
import { streamTeredoPackets, type TeredoStreamOptions, type TeredoStreamResult } from './teredo-stream.js';
import { streamTeredoPacketsInWorker } from './worker-teredo-stream.js';

export interface MergedStreamOptions {
  stdin?: NodeJS.ReadableStream;
  onMalformed?: (source: number, frame: number, reason: string) => void;
  onProgress?: (source: number, bytesConsumed: number, frames: number) => void;
  /** Awaited between input chunks (lets a slow output consumer catch up). */
  afterChunk?: () => Promise<void>;
  /** Decode each file (not standard input) in a worker thread of its own; see worker-teredo-stream.ts. */
  workers?: boolean;
  /** Asked between input chunks of every file: true stops all reading quietly. */
  shouldStop?: () => boolean;
}

/** Packets queued per source before its reader is paused: bounds memory to a few chunks' worth. */
const QUEUE_HIGH_WATER = 4096;

interface Source {
  index: number;
  file: string;
  first: Timestamp | null;
  queue: TeredoPacket[];
  head: number;
  active: boolean;
  done: boolean;
  resume: (() => void) | null;
}

/**
 * Several captures merged into one timeline by timestamp, like mergecap: packets reach `onPacket`
 * in time order with the index of the file they came from, and keep that file's frame numbers.
 * A packet is only valid during the call (it may be a dissector's reused packet).
 *
 * Files are started in the order of their first timestamp and only once the merged timeline has
 * reached it, so rotated files (one after the other in time) are read one at a time, while
 * overlapping captures (two vantage points) are read side by side, each paused when it runs ahead.
 * Results come back in argument order.
 */
export async function streamMergedTeredoPackets(
  files: readonly string[],
  onPacket: (packet: TeredoPacket, source: number) => void,
  options: MergedStreamOptions = {},
): Promise<TeredoStreamResult[]> {
  if (files.length === 1) {
    return [await streamFor(files[0], options)(files[0], (packet) => onPacket(packet, 0), streamOptions(0, files[0], options, options.afterChunk))];
  }

  const sources: Source[] = [];
  for (const [index, file] of files.entries()) {
    const first = file === '-' ? null : await peekFirstTimestamp(file);
    sources.push({ index, file, first, queue: [], head: 0, active: false, done: false, resume: null });
  }
  // Unreadable files (no first timestamp) go first: their errors are reported straight away.
  const pending = [...sources].sort((a, b) => (a.first === null ? -1 : b.first === null ? 1 : compareTimestamps(a.first, b.first)));
  const results: TeredoStreamResult[] = new Array<TeredoStreamResult>(files.length);
  const running: Promise<void>[] = [];

  const queued = (s: Source): number => s.queue.length - s.head;
  const isLive = (s: Source): boolean => s.active && !(s.done && queued(s) === 0);
  const onlyLive = (source: Source): boolean => {
    for (const s of sources) if (s !== source && isLive(s)) return false;
    return true;
  };
  /** Whether a file not yet started begins at or before `time` (it must join the merge first). */
  const nextDueBy = (time: Timestamp): boolean => {
    const next = pending.find((s) => !s.active);
    return next !== undefined && (next.first === null || compareTimestamps(next.first, time) <= 0);
  };
  const activate = (s: Source): void => {
    s.active = true;
    running.push(
      streamFor(s.file, options)(
        s.file,
        (packet) => {
          // Rotated files: while this is the only live file and nothing else is due before this
          // packet, queueing would only feed the garbage collector, so the packet goes straight on.
          if (queued(s) === 0 && onlyLive(s) && !nextDueBy(packet.time)) onPacket(packet, s.index);
          else s.queue.push(clonePacket(packet));
        },
        streamOptions(s.index, s.file, options, async () => {
          drain();
          if (options.afterChunk !== undefined) await options.afterChunk();
          if (queued(s) >= QUEUE_HIGH_WATER) await new Promise<void>((resolve) => (s.resume = resolve));
        }),
      ).then((result) => {
        results[s.index] = result;
        s.done = true;
        drain();
      }),
    );
  };

  /** Emits while every active, unfinished source has a packet queued; starts sources whose time has come. */
  const drain = (): void => {
    for (;;) {
      let earliest: Source | null = null;
      for (const s of sources) {
        if (!isLive(s)) continue;
        if (queued(s) === 0) return; // a reader still owes packets
        if (earliest === null || compareTimestamps(s.queue[s.head].time, earliest.queue[earliest.head].time) < 0) earliest = s;
      }
      const next = pending.find((s) => !s.active);
      if (next !== undefined && (earliest === null || next.first === null || compareTimestamps(next.first, earliest.queue[earliest.head].time) <= 0)) {
        activate(next);
        continue;
      }
      if (earliest === null) return;
      const packet = earliest.queue[earliest.head++];
      if (earliest.head > 1024 && earliest.head * 2 > earliest.queue.length) {
        earliest.queue = earliest.queue.slice(earliest.head);
        earliest.head = 0;
      }
      onPacket(packet, earliest.index);
      if (earliest.resume !== null && queued(earliest) < QUEUE_HIGH_WATER / 2) {
        const resume = earliest.resume;
        earliest.resume = null;
        resume();
      }
    }
  };

  drain();
  // Sources are started from drain(); wait until every one has been started and has finished.
  while (running.length > 0 && (sources.some((s) => !s.done) || running.length < sources.length)) {
    await Promise.all(running.slice());
    drain();
  }
  return results;
}

function streamOptions(source: number, file: string, options: MergedStreamOptions, afterChunk: (() => Promise<void>) | undefined): TeredoStreamOptions {
  const { onMalformed, onProgress } = options;
  return {
    input: file === '-' ? options.stdin : undefined,
    onMalformed: onMalformed === undefined ? undefined : (frame, reason) => onMalformed(source, frame, reason),
    onProgress: onProgress === undefined ? undefined : (bytes, frames) => onProgress(source, bytes, frames),
    afterChunk,
    shouldStop: options.shouldStop,
  };
}

function streamFor(file: string, options: MergedStreamOptions): typeof streamTeredoPackets {
  return options.workers === true && file !== '-' ? streamTeredoPacketsInWorker : streamTeredoPackets;
}
