import { Worker } from 'node:worker_threads';
import { PacketDecoder } from '../decode/packet-decoder.js';
import { TeredoDissector } from '../teredo/dissector.js';
import { PacketBatchReader } from '../teredo/packet-batch.js';
import type { TeredoPacket } from '../teredo/packet.js';
import type { TeredoStreamOptions, TeredoStreamResult } from './teredo-stream.js';
import { fromTransferred, type BatchAck, type DecodeWorkerInput, type DecodeWorkerMessage } from './worker/decode-worker-protocol.js';

const WORKER_URL = new URL('./worker/decode-worker.js', import.meta.url);

/**
 * streamTeredoPackets with capture → decode → dissect running in a worker thread, so that the
 * caller's own work on each packet (analysis, rendering) runs beside it on another core. Same
 * contract: packets in frame order through one reused packet, onMalformed in order among them,
 * afterChunk awaited between batches, the same result. Files only: standard input stays in-thread.
 */
export function streamTeredoPacketsInWorker(
  file: string,
  onPacket: (packet: TeredoPacket) => void,
  options: TeredoStreamOptions = {},
): Promise<TeredoStreamResult> {
  return new Promise((resolve, reject) => {
    const input: DecodeWorkerInput = { file };
    const worker = new Worker(WORKER_URL, { workerData: input });
    const reader = new PacketBatchReader();
    const onMalformed = options.onMalformed ?? ((): void => undefined);
    let settled = false;
    let queue = Promise.resolve();

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };

    const handle = async (message: DecodeWorkerMessage): Promise<void> => {
      if (settled) return;
      if (message.type === 'done') {
        settled = true;
        void worker.terminate();
        resolve(fromTransferred(message.result));
        return;
      }
      reader.read(message.batch, { onPacket, onMalformed });
      options.onProgress?.(message.bytes, message.frames);
      if (options.afterChunk !== undefined) await options.afterChunk();
      if (options.shouldStop?.() === true) {
        // Stopped on request: the worker's counts are not needed, only that reading ended early.
        settled = true;
        void worker.terminate();
        resolve({ file, summary: null, frames: message.frames, teredoPackets: 0, decode: new PacketDecoder().stats, dissect: new TeredoDissector().stats, error: null, stopped: true });
        return;
      }
      const ack: BatchAck = { type: 'ack', buffer: message.batch.buffer };
      worker.postMessage(ack, [message.batch.buffer]);
    };

    // Batches are handled one after the other even when afterChunk makes one wait.
    worker.on('message', (message: DecodeWorkerMessage) => {
      queue = queue.then(() => handle(message)).catch(fail);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!settled) queue = queue.then(() => fail(new Error(`decode worker for ${file} exited with code ${code} before finishing`)));
    });
  });
}
