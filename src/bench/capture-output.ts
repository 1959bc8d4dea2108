import { closeSync, openSync, writeSync } from 'node:fs';
import type { CaptureSink, PacketToWrite } from '../capture/packet-to-write.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';

export type BenchFormat = 'pcap' | 'pcapng';

const BATCH_SIZE = 1024 * 1024;
const ETHERNET = 1;

/**
 * Streams a capture to a file through the project's own writers, batching their small chunks into
 * 1 MiB writes: memory stays at one batch whatever the capture size.
 */
export class CaptureFileOutput {
  /** Bytes handed to the file so far (headers included). */
  bytesWritten = 0;
  private readonly fd: number;
  private readonly batch = Buffer.allocUnsafe(BATCH_SIZE);
  private used = 0;
  private readonly writer: PcapWriter | PcapngWriter;
  private readonly packet: PacketToWrite = { seconds: 0, nanos: 0, data: new Uint8Array(0) };

  constructor(path: string, format: BenchFormat) {
    this.fd = openSync(path, 'w');
    const sink: CaptureSink = (chunk) => this.append(chunk);
    this.writer = format === 'pcap' ? new PcapWriter(sink, { linkType: ETHERNET }) : new PcapngWriter(sink, { interfaces: [{ linkType: ETHERNET, name: 'eth0' }] });
  }

  write(seconds: number, nanos: number, data: Uint8Array): void {
    const packet = this.packet;
    packet.seconds = seconds;
    packet.nanos = nanos;
    packet.data = data;
    this.writer.write(packet);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private append(chunk: Uint8Array): void {
    this.bytesWritten += chunk.length;
    if (chunk.length > BATCH_SIZE - this.used) this.flush();
    if (chunk.length > BATCH_SIZE) {
      writeAll(this.fd, chunk);
      return;
    }
    this.batch.set(chunk, this.used);
    this.used += chunk.length;
  }

  private flush(): void {
    if (this.used > 0) writeAll(this.fd, this.batch.subarray(0, this.used));
    this.used = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
