import { MAX_CAPTURED_LENGTH } from '../capture/capture-parser.js';
import type { CaptureRecord } from '../capture/record.js';
import type { UdpDatagram } from '../decode/datagram.js';
import { PacketDecoder } from '../decode/packet-decoder.js';
import { TeredoAnalyzer } from '../analysis/teredo-analyzer.js';
import { TeredoDissector } from '../teredo/dissector.js';
import { isDeepStrictEqual } from 'node:util';
import { PacketBatchReader, PacketBatchWriter } from '../teredo/packet-batch.js';
import { clonePacket } from '../teredo/packet-copy.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { OutcomeDigest } from './outcome-digest.js';
import { renderPacket } from './render-check.js';

/** A stage threw: carried out of the reader's callback to be reported, never swallowed. */
export class StageFailure extends Error {
  constructor(
    readonly stage: string,
    readonly frame: number,
    override readonly cause: unknown,
  ) {
    super(`${stage} threw on frame ${frame}: ${describeError(cause)}`);
    this.name = 'StageFailure';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.stack ? `\n${error.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(error);
}

/** Violations kept per run (the first few tell the story). */
const MAX_VIOLATIONS = 20;
/** Bytes of each record and payload folded into the digest. */
const DIGEST_BYTES = 96;

/**
 * Runs one capture's records through decoder → dissector → analyzer (and renders each packet as
 * `dissect` does), checking on the way what the stages promise about each record, datagram and
 * packet. Checks that need the whole run are made
 * by the caller (pipeline-check.ts) with the counters kept here.
 */
export class PipelineProbe {
  readonly violations: string[] = [];
  readonly digest = new OutcomeDigest();
  readonly decoder = new PacketDecoder();
  readonly analyzer = new TeredoAnalyzer();
  readonly dissector: TeredoDissector;
  /** Each packet also crosses a packet batch (the --workers path) and must come back equal. */
  private readonly batchWriter = new PacketBatchWriter(4096);
  private readonly batchReader = new PacketBatchReader();
  records = 0;
  lastFrame = 0;
  datagrams = 0;
  packets = 0;
  malformedNotes = 0;
  /** A classic pcap file numbers every record, one after the other (pcapng may skip numbers). */
  readonly classicPcapFile: boolean;
  readonly analyzing: boolean;

  constructor(classicPcapFile: boolean, analyzing: boolean) {
    this.classicPcapFile = classicPcapFile;
    this.analyzing = analyzing;
    this.dissector = new TeredoDissector({
      onMalformed: (frame, reason) => {
        this.malformedNotes++;
        this.digest.number(frame).text(reason);
        if (this.analyzing) this.analyzer.noteMalformed(frame, reason);
      },
    });
  }

  violation(message: string): void {
    if (this.violations.length < MAX_VIOLATIONS) this.violations.push(message);
  }

  /** The reader's callback. */
  readonly onRecord = (record: CaptureRecord): void => {
    this.records++;
    this.checkRecord(record);
    this.lastFrame = record.frame;
    let datagram: UdpDatagram | null;
    try {
      datagram = this.decoder.decode(record);
    } catch (error) {
      throw new StageFailure('decoder', record.frame, error);
    }
    if (datagram === null) return;
    this.datagrams++;
    this.checkDatagram(record, datagram);
    let packet: TeredoPacket | null;
    try {
      packet = this.dissector.dissect(datagram);
    } catch (error) {
      throw new StageFailure('dissector', record.frame, error);
    }
    if (packet === null) return;
    this.packets++;
    this.checkPacket(record, datagram, packet);
    if (!this.analyzing) return;
    let problems: string[];
    try {
      problems = renderPacket(packet);
    } catch (error) {
      throw new StageFailure('packet renderer', record.frame, error);
    }
    for (const problem of problems) this.violation(`frame ${record.frame}: ${problem}`);
    try {
      this.analyzer.add(packet);
    } catch (error) {
      throw new StageFailure('analyzer', record.frame, error);
    }
  };

  private checkRecord(record: CaptureRecord): void {
    const { frame, offset, capturedLength, buffer } = record;
    if (this.classicPcapFile ? frame !== this.lastFrame + 1 : !(Number.isInteger(frame) && frame > this.lastFrame)) {
      this.violation(`frame ${frame} follows frame ${this.lastFrame}`);
    }
    if (!Number.isInteger(offset) || !Number.isInteger(capturedLength) || offset < 0 || capturedLength < 0 || offset + capturedLength > buffer.length) {
      this.violation(`frame ${frame}: bytes [${offset}, +${capturedLength}) lie outside its ${buffer.length}-byte buffer`);
    }
    if (capturedLength > MAX_CAPTURED_LENGTH) this.violation(`frame ${frame}: captured length ${capturedLength} over the reader's limit`);
    if (!Number.isInteger(record.nanos) || record.nanos < 0 || record.nanos > 999_999_999) this.violation(`frame ${frame}: nanos ${record.nanos}`);
    if (!Number.isInteger(record.seconds)) this.violation(`frame ${frame}: seconds ${record.seconds}`);
    if (!Number.isInteger(record.precision) || record.precision < 0 || record.precision > 9) this.violation(`frame ${frame}: precision ${record.precision}`);
    if (!Number.isInteger(record.linkType) || record.linkType < 0 || record.linkType > 0xffff) this.violation(`frame ${frame}: link type ${record.linkType}`);
    if (!Number.isInteger(record.interfaceId) || record.interfaceId < 0) this.violation(`frame ${frame}: interface ${record.interfaceId}`);
    if (!Number.isInteger(record.originalLength) || record.originalLength < 0 || record.originalLength > 0xffffffff) {
      this.violation(`frame ${frame}: original length ${record.originalLength}`);
    }
    this.digest
      .number(frame)
      .number(record.seconds)
      .number(record.nanos)
      .number(record.precision)
      .number(record.linkType)
      .number(record.interfaceId)
      .number(record.originalLength)
      .bytes(buffer, offset, offset + capturedLength, DIGEST_BYTES);
  }

  private checkDatagram(record: CaptureRecord, d: UdpDatagram): void {
    const where = `frame ${record.frame}: datagram`;
    const end = d.payloadOffset + d.payloadLength;
    if (d.frame !== record.frame) this.violation(`${where} carries frame ${d.frame}`);
    if (!(d.payloadOffset >= 0 && d.payloadLength >= 0 && end <= d.buffer.length)) {
      this.violation(`${where} payload [${d.payloadOffset}, +${d.payloadLength}) lies outside its ${d.buffer.length}-byte buffer`);
    }
    if (d.fragmentFrames.length === 0) {
      const recordEnd = record.offset + record.capturedLength;
      if (d.buffer === record.buffer && (d.payloadOffset < record.offset || end > recordEnd)) {
        this.violation(`${where} payload [${d.payloadOffset}, ${end}) reaches outside the record [${record.offset}, ${recordEnd})`);
      }
    } else if (d.fragmentFrames.at(-1) !== record.frame || d.fragmentFrames.some((f) => !(f >= 1 && f <= record.frame))) {
      this.violation(`${where} rebuilt from frames ${d.fragmentFrames.join(',')}`);
    }
    this.digest
      .number(d.srcIp)
      .number(d.dstIp)
      .number(d.srcPort)
      .number(d.dstPort)
      .number(d.ttl)
      .number(d.tunnelDepth)
      .number(d.fragmentFrames.length)
      .bytes(d.buffer, d.payloadOffset, end, DIGEST_BYTES);
  }

  private checkPacket(record: CaptureRecord, d: UdpDatagram, packet: TeredoPacket): void {
    const where = `frame ${record.frame}: Teredo packet`;
    if (packet.frame !== record.frame) this.violation(`${where} carries frame ${packet.frame}`);
    if (packet.time.seconds !== record.seconds || packet.time.nanos !== record.nanos) this.violation(`${where} has another time than its record`);
    if (packet.ipv6.src.length !== 16 || packet.ipv6.dst.length !== 16) this.violation(`${where} IPv6 addresses are not 16 bytes`);
    const shared = sharedBytes(packet, [record.buffer.buffer, d.buffer.buffer]);
    if (shared !== null) this.violation(`${where} field ${shared} is a view into the reader's or decoder's reused memory, not a copy`);
    const digest = this.digest.text(packet.kind).text(packet.detection).bytes(packet.ipv6.src).bytes(packet.ipv6.dst);
    digest.number(packet.ipv6.payloadLength).number(packet.ipv6.nextHeader).number(packet.trailers.length);
    digest.number(packet.auth === null ? -1 : packet.auth.confirmation).number(packet.origin === null ? -1 : packet.origin.address);
    digest.number(packet.icmp === null ? -1 : packet.icmp.type).number(packet.data === null ? -1 : packet.data.length);
    for (const anomaly of packet.anomalies) digest.text(anomaly.message);
    this.batchWriter.writePacket(packet);
    let crossed: TeredoPacket | null = null;
    this.batchReader.read(this.batchWriter.take(null), { onPacket: (p) => (crossed = clonePacket(p)), onMalformed: () => undefined });
    if (crossed === null || !isDeepStrictEqual(crossed, packet)) this.violation(`${where} differs after crossing a packet batch`);
  }
}

/** The path of the first byte array inside `value` whose memory is one of `buffers`, or null. */
function sharedBytes(value: unknown, buffers: ArrayBufferLike[], path = 'packet', depth = 0): string | null {
  if (value instanceof Uint8Array) return buffers.includes(value.buffer) ? path : null;
  if (value === null || typeof value !== 'object' || depth > 6) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = sharedBytes(child, buffers, `${path}.${key}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
