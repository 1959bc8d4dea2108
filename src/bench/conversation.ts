import type { Prng } from './prng.js';
import { DONE } from './session.js';

/** Sends one packet of a conversation; TCP fields are ignored by datagram transports. */
export type FlowSend = (time: number, fromClient: boolean, flags: number, seq: number, ack: number, payloadLength: number) => void;

/**
 * download / upload: a TCP handshake, a request, a bulk transfer acknowledged every second
 * segment, and a FIN exchange. interactive: small TCP segments both ways (ssh, chat).
 * datagram: UDP both ways (games, voice).
 */
export type FlowShape = 'download' | 'upload' | 'interactive' | 'datagram';

export interface FlowSpec {
  shape: FlowShape;
  /** Data segments of the bulk part (or packets of an interactive or datagram flow). */
  segments: number;
  /** Packets per second while data flows. */
  rate: number;
  /** Round-trip time between the two ends, seconds. */
  rtt: number;
  /** Largest payload of one segment (MSS). */
  maxSegment: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const HANDSHAKE = 0;
const SYN_ACK = 1;
const REQUEST = 2;
const BULK = 3;
const FIN_FIRST = 4;
const FIN_SECOND = 5;
const LAST_ACK = 6;

/** A flow's packets, one per step, with realistic sizes, flags, sequence numbers and gaps. */
export class ConversationFlow {
  private readonly prng: Prng;
  private readonly spec: FlowSpec;
  private readonly send: FlowSend;
  private phase = HANDSHAKE;
  private remaining: number;
  private clientSeq: number;
  private serverSeq: number;
  private unacked = 0;

  constructor(prng: Prng, spec: FlowSpec, send: FlowSend) {
    this.prng = prng;
    this.spec = spec;
    this.send = send;
    this.remaining = Math.max(1, spec.segments);
    this.clientSeq = prng.uint32();
    this.serverSeq = prng.uint32();
    if (spec.shape === 'interactive' || spec.shape === 'datagram') this.phase = BULK;
  }

  /** Sends the next packet at `time`; returns the delay to the one after, or DONE. */
  step(time: number): number {
    const { prng, spec } = this;
    const halfRtt = spec.rtt / 2;
    switch (this.phase) {
      case HANDSHAKE:
        this.send(time, true, TCP_SYN, this.clientSeq++, 0, 0);
        this.phase = SYN_ACK;
        return halfRtt * 2;
      case SYN_ACK:
        this.send(time, false, TCP_SYN | TCP_ACK, this.serverSeq++, this.clientSeq, 0);
        this.phase = REQUEST;
        return halfRtt;
      case REQUEST: {
        const length = prng.range(180, 620);
        this.send(time, true, TCP_PSH | TCP_ACK, this.clientSeq, this.serverSeq, length);
        this.clientSeq = (this.clientSeq + length) >>> 0;
        this.phase = BULK;
        return spec.rtt;
      }
      case BULK:
        return this.bulk(time);
      case FIN_FIRST:
        this.send(time, true, TCP_FIN | TCP_ACK, this.clientSeq++, this.serverSeq, 0);
        this.phase = FIN_SECOND;
        return halfRtt * 2;
      case FIN_SECOND:
        this.send(time, false, TCP_FIN | TCP_ACK, this.serverSeq++, this.clientSeq, 0);
        this.phase = LAST_ACK;
        return halfRtt;
      default:
        this.send(time, true, TCP_ACK, this.clientSeq, this.serverSeq, 0);
        return DONE;
    }
  }

  private bulk(time: number): number {
    const { prng, spec } = this;
    const gap = prng.exponential(1 / spec.rate);
    if (spec.shape === 'interactive' || spec.shape === 'datagram') {
      const fromClient = prng.chance(0.55);
      const length = spec.shape === 'datagram' ? prng.range(40, 320) : prng.range(1, 180);
      this.sendData(time, fromClient, length);
      return --this.remaining > 0 ? gap : this.finish();
    }
    const senderIsClient = spec.shape === 'upload';
    if (this.unacked >= 2 || (this.remaining === 0 && this.unacked > 0)) {
      // The receiver acknowledges every second segment (RFC 9293 §3.8.6.3) and the last one.
      this.unacked = 0;
      this.sendAck(time, !senderIsClient);
      return this.remaining > 0 ? gap : this.finish();
    }
    const length = prng.chance(0.55) ? spec.maxSegment : prng.range(1, spec.maxSegment);
    this.sendData(time, senderIsClient, length);
    this.unacked++;
    this.remaining--;
    return this.remaining > 0 ? gap : prng.exponential(0.002);
  }

  private finish(): number {
    if (this.spec.shape === 'datagram') return DONE;
    this.phase = FIN_FIRST;
    return this.prng.exponential(0.05);
  }

  private sendData(time: number, fromClient: boolean, length: number): void {
    if (fromClient) {
      this.send(time, true, TCP_PSH | TCP_ACK, this.clientSeq, this.serverSeq, length);
      this.clientSeq = (this.clientSeq + length) >>> 0;
    } else {
      this.send(time, false, TCP_PSH | TCP_ACK, this.serverSeq, this.clientSeq, length);
      this.serverSeq = (this.serverSeq + length) >>> 0;
    }
  }

  private sendAck(time: number, fromClient: boolean): void {
    if (fromClient) this.send(time, true, TCP_ACK, this.clientSeq, this.serverSeq, 0);
    else this.send(time, false, TCP_ACK, this.serverSeq, this.clientSeq, 0);
  }
}

/** Segments of a flow: Pareto-distributed (many mice, a few elephants), at least `min`, at most `max`. */
export function flowSegments(prng: Prng, min: number, max: number, alpha = 1.5): number {
  const value = min / Math.pow(1 - prng.float(), 1 / alpha);
  return Math.min(max, Math.floor(value));
}
