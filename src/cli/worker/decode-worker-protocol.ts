import { CaptureError } from '../../capture/capture-error.js';
import type { PacketBatch } from '../../teredo/packet-batch.js';
import type { TeredoStreamResult } from '../teredo-stream.js';

/** What the decode worker is started with. */
export interface DecodeWorkerInput {
  file: string;
}

/** Worker → main thread. */
export type DecodeWorkerMessage =
  | { type: 'batch'; batch: PacketBatch; bytes: number; frames: number }
  | { type: 'done'; result: TransferredStreamResult };

/** Main thread → worker: a batch was consumed; its buffer comes back for reuse. */
export interface BatchAck {
  type: 'ack';
  buffer: ArrayBuffer;
}

/** A TeredoStreamResult as structured clone carries it (a CaptureError would arrive as a plain Error). */
export type TransferredStreamResult = Omit<TeredoStreamResult, 'error'> & {
  error: Pick<CaptureError, 'kind' | 'message' | 'framesRead' | 'format'> | null;
};

export function toTransferred(result: TeredoStreamResult): TransferredStreamResult {
  const error = result.error;
  return { ...result, error: error === null ? null : { kind: error.kind, message: error.message, framesRead: error.framesRead, format: error.format } };
}

export function fromTransferred(result: TransferredStreamResult): TeredoStreamResult {
  const error = result.error;
  return { ...result, error: error === null ? null : new CaptureError(error.kind, error.message, error.framesRead, error.format) };
}
