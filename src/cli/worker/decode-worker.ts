import { parentPort, workerData } from 'node:worker_threads';
import { PacketBatchWriter } from '../../teredo/packet-batch.js';
import { streamTeredoPackets } from '../teredo-stream.js';
import { toTransferred, type BatchAck, type DecodeWorkerInput, type DecodeWorkerMessage } from './decode-worker-protocol.js';

/*
 * Worker thread entry: capture → decode → Teredo dissect for one file, the packets packed into
 * batches for the main thread (worker-teredo-stream.ts). At most MAX_IN_FLIGHT batches (1 MiB
 * each) wait for the main thread before the reader pauses, so a slow consumer holds memory bounded.
 */

const MAX_IN_FLIGHT = 8;

const port = parentPort;
if (port === null) throw new Error('decode-worker.js runs as a worker thread');
const { file } = workerData as DecodeWorkerInput;

const writer = new PacketBatchWriter();
const spares: ArrayBuffer[] = [];
let inFlight = 0;
let wake: (() => void) | null = null;
let bytes = 0;
let frames = 0;

port.on('message', (ack: BatchAck) => {
  inFlight--;
  spares.push(ack.buffer);
  const resume = wake;
  wake = null;
  resume?.();
});

function flush(): void {
  if (writer.isEmpty) return;
  const batch = writer.take(spares.pop() ?? null);
  inFlight++;
  const message: DecodeWorkerMessage = { type: 'batch', batch, bytes, frames };
  port!.postMessage(message, [batch.buffer]);
}

const result = await streamTeredoPackets(
  file,
  (packet) => {
    writer.writePacket(packet);
    if (writer.isFull) flush();
  },
  {
    onMalformed: (frame, reason) => {
      writer.writeMalformed(frame, reason);
      if (writer.isFull) flush();
    },
    onProgress: (bytesConsumed, framesRead) => {
      bytes = bytesConsumed;
      frames = framesRead;
    },
    // Batches go when full (or at the end): flushing every input chunk would send small ones.
    afterChunk: async () => {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    },
  },
);
flush();
const done: DecodeWorkerMessage = { type: 'done', result: toTransferred(result) };
port.postMessage(done);
