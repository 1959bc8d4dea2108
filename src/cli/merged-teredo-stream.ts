import { statSync } from 'node:fs';
import { fileSystemPath } from '../capture/file-name.js';
import { MAX_DECODE_WORKERS, MAX_FILES_OPEN_WHILE_ORDERING, MIN_WORKER_FILE_BYTES } from '../capture/input-limits.js';
import type { Timestamp } from '../capture/timestamp.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { clonePacket } from '../teredo/packet-copy.js';
import { mapLimited } from './map-limited.js';
import { compareTimestamps, peekFirstTimestamp } from './peek-first-timestamp.js';
import { streamTeredoPackets, type TeredoStreamOptions, type TeredoStreamResult } from './teredo-stream.js';
import { streamTeredoPacketsInWorker } from './worker-teredo-stream.js';

export interface MergedStreamOptions {
  stdin?: NodeJS.ReadableStream;
  onMalformed?: (source: number, frame: number, reason: string) => void;
  onProgress?: (source: number, bytesConsumed: number, frames: number) => void;
  /** Awaited between input chunks (lets a slow output consumer catch up). */
  afterChunk?: () => Promise<void>;
  /**
   * Decode files (not standard input) in worker threads; see worker-teredo-stream.ts. At most
   * MAX_DECODE_WORKERS at once, and among several files only those of MIN_WORKER_FILE_BYTES or more.
   */
  workers?: boolean;
  /** Asked between input chunks of every file: true stops all reading quietly. */
  shouldStop?: () => boolean;
  /** These files are a few of many inputs (read in several calls): small ones get no worker either. */
  amongMany?: boolean;
  /** Each file's first timestamp, when the caller already peeked (see peekFirstTimestamps). */
  firstTimestamps?: readonly (Timestamp | null)[];
}

/** Packets queued per source before its reader is paused: bounds memory to a few chunks' worth. */
const QUEUE_HIGH_WATER = 4096;

interface Source {
  index: number;
  file: string;
  first: Timestamp | null;
  queue: TeredoPacket[];
  head: number;
  done: boolean;
  resume: (() => void) | null;
}

/** The first timestamp of each file ('-' and files without a readable frame: null), a few files open at a time. */
export function peekFirstTimestamps(files: readonly string[]): Promise<(Timestamp | null)[]> {
  return mapLimited(files, MAX_FILES_OPEN_WHILE_ORDERING, (file) => (file === '-' ? Promise.resolve(null) : peekFirstTimestamp(file)));
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
 *
 * Cost: per packet, a look at the files being read side by side (one, for rotated files); per
 * file, a constant. Nothing here walks every file per packet or per file, so a ring of ten
 * thousand files costs ten thousand times one file.
 */
export async function streamMergedTeredoPackets(
  files: readonly string[],
  onPacket: (packet: TeredoPacket, source: number) => void,
  options: MergedStreamOptions = {},
): Promise<TeredoStreamResult[]> {
  const workers = new WorkerBudget(options.workers === true, options.amongMany === true ? Number.POSITIVE_INFINITY : files.length);
  if (files.length === 1) {
    return [await workers.streamFor(files[0], 0)(files[0], (packet) => onPacket(packet, 0), streamOptions(0, files[0], options, options.afterChunk))];
  }

  const firsts = options.firstTimestamps ?? (await peekFirstTimestamps(files));
  const sources: Source[] = files.map((file, index) => ({ index, file, first: firsts[index] ?? null, queue: [], head: 0, done: false, resume: null }));
  // Unreadable files (no first timestamp) go first: their errors are reported straight away.
  const pending = [...sources].sort((a, b) => (a.first === null ? (b.first === null ? a.index - b.index : -1) : b.first === null ? 1 : compareTimestamps(a.first, b.first) || a.index - b.index));
  let started = 0;
  /** Started sources that still owe packets (reading, or with packets queued). */
  const live: Source[] = [];
  const results: TeredoStreamResult[] = new Array<TeredoStreamResult>(files.length);
  let finished = 0;
  let succeed: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const completion = new Promise<void>((resolve, reject) => {
    succeed = resolve;
    fail = reject;
  });

  const queued = (s: Source): number => s.queue.length - s.head;
  const retireIfSpent = (s: Source): void => {
    if (!s.done || queued(s) > 0) return;
    const at = live.indexOf(s);
    if (at >= 0) live.splice(at, 1);
  };
  /** Whether the next file not yet started begins at or before `time` (it must join the merge first). */
  const nextDueBy = (time: Timestamp): boolean => {
    const next = pending[started];
    return next !== undefined && (next.first === null || compareTimestamps(next.first, time) <= 0);
  };
  const activate = (s: Source): void => {
    started++;
    live.push(s);
    workers
      .streamFor(s.file, s.index)(
        s.file,
        (packet) => {
          // Rotated files: while this is the only live file and nothing else is due before this
          // packet, queueing would only feed the garbage collector, so the packet goes straight on.
          if (queued(s) === 0 && live.length === 1 && !nextDueBy(packet.time)) onPacket(packet, s.index);
          else s.queue.push(clonePacket(packet));
        },
        streamOptions(s.index, s.file, options, async () => {
          drain();
          if (options.afterChunk !== undefined) await options.afterChunk();
          if (queued(s) >= QUEUE_HIGH_WATER) await new Promise<void>((resolve) => (s.resume = resolve));
        }),
      )
      .then((result) => {
        results[s.index] = result;
        s.done = true;
        workers.release(s.index);
        retireIfSpent(s);
        drain();
        if (++finished === files.length) succeed();
      })
      .catch(fail);
  };

  /** Emits while every live source has a packet queued; starts sources whose time has come. */
  const drain = (): void => {
    for (;;) {
      let earliest: Source | null = null;
      for (const s of live) {
        if (queued(s) === 0) return; // a reader still owes packets
        if (earliest === null || compareTimestamps(s.queue[s.head].time, earliest.queue[earliest.head].time) < 0) earliest = s;
      }
      const next = pending[started];
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
      retireIfSpent(earliest);
      if (earliest.resume !== null && queued(earliest) < QUEUE_HIGH_WATER / 2) {
        const resume = earliest.resume;
        earliest.resume = null;
        resume();
      }
    }
  };

  drain();
  await completion;
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

/**
 * Which files get a decode worker: a worker costs about 50 ms to start, more than a small file
 * takes to read, and three hundred of them at once on two cores took 26 s where one thread took
 * 0.8 s. So at most MAX_DECODE_WORKERS run at once and, among several files, only large ones get one.
 */
class WorkerBudget {
  private readonly enabled: boolean;
  private readonly severalFiles: boolean;
  private running = 0;
  /** Indexes of the sources being read in a worker. */
  private readonly inWorker = new Set<number>();

  constructor(enabled: boolean, files: number) {
    this.enabled = enabled;
    this.severalFiles = files > 1;
  }

  streamFor(file: string, source: number): typeof streamTeredoPackets {
    if (!this.enabled || file === '-' || this.running >= MAX_DECODE_WORKERS) return streamTeredoPackets;
    if (this.severalFiles && fileSize(file) < MIN_WORKER_FILE_BYTES) return streamTeredoPackets;
    this.running++;
    this.inWorker.add(source);
    return streamTeredoPacketsInWorker;
  }

  release(source: number): void {
    if (this.inWorker.delete(source)) this.running--;
  }
}

function fileSize(file: string): number {
  try {
    return statSync(fileSystemPath(file)).size;
  } catch {
    return 0;
  }
}
