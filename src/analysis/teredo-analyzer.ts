import { timestampSeconds, type Timestamp } from '../capture/timestamp.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { isSnapCut } from '../teredo/snap-cut.js';
import type { AnalysisResult, AnalyzerOptions, CaptureAnalysis, ClientSummaryList } from './analysis-result.js';
import { ClientDirectory } from './client-directory.js';
import { closeClient } from './client-closer.js';
import type { ClientState } from './client-state.js';
import type { ClientSummary } from './client-summary.js';
import { FINDING_CATALOG, MAX_FINDING_FRAMES, type FindingKind } from './finding.js';
import { FindingLog } from './finding-log.js';
import type { ClientFinding, FindingReporter } from './finding-reporter.js';
import { frameNamer, referenceCapture, referenceFrame, type FrameNamer } from './frame-reference.js';
import { FrameSample } from './frame-sample.js';
import { PacketRouter } from './packet-router.js';
import { DEFAULT_REORDER_PACKETS, DEFAULT_REORDER_SECONDS, ReorderBuffer } from './reorder-buffer.js';
import { ATTEMPT_STALE_S, DEFAULT_IDLE_TIMEOUT_S, DEFAULT_MAX_LIVE_CLIENTS } from './protocol-timing.js';
import { ServerPairing } from './server-pairing.js';

/** Distinct malformation reasons kept apart; further ones are pooled. */
const MAX_MALFORMED_REASONS = 32;

/**
 * The `analyze` stage: feed it every TeredoPacket of a capture in frame order, then `finish()`.
 * It never keeps a packet or its byte arrays past `add`, so the dissector's reused packet will do.
 *
 * Per client it reconstructs qualification (RS/RA by nonce, cone probe, secondary-address probe,
 * NAT type), relay discovery and hole punching toward native hosts, and client-to-client bubbles,
 * and reports findings with the frames that prove them. State is per client and compact; clients
 * idle for `idleTimeoutSeconds` of capture time are closed out into a summary row, so memory is
 * bounded by the clients active at once, while every client still appears in the result.
 *
 * Several captures form one timeline when their packets are fed in time order with frame
 * references (frame-reference.ts) as their `frame`: a client seen across rotated files is one
 * client, and every frame it reports still says which capture it belongs to. A plain frame number
 * is a frame of capture 0, so a single capture needs nothing special.
 */
export class TeredoAnalyzer {
  private readonly idleTimeout: number;
  private readonly maxLiveClients: number;
  /** Clients closed by the live-client cap while still active (less than ATTEMPT_STALE_S idle). */
  private earlyClosed = 0;
  private earlyClosedFrames: number[] = [];
  private readonly directory = new ClientDirectory();
  private readonly log: FindingLog;
  private readonly pairing = new ServerPairing();
  private readonly router: PacketRouter;
  private readonly reporter: FindingReporter;
  /** The reporter while a client closed early by the live-client cap is judged: its findings are counted, not reported. */
  private readonly withholding: FindingReporter;
  private withheld = 0;
  private readonly captures: CaptureAnalysis[] = [];
  private readonly frameText: FrameNamer;
  private readonly captureNames: readonly string[];
  private lastTime = 0;
  private nextIdleCheck = Number.NEGATIVE_INFINITY;
  private malformed = new Map<string, FrameSample>();
  private unattributedAnomalies = new Map<string, FrameSample>();
  /** Packets stamped more than CLOCK_BACKWARDS_S before the latest time seen so far. */
  private readonly clockJumps = new FrameSample();
  private largestClockJump = 0;
  private largestClockJumpFrame = 0;
  /** Packets cut by the capture's snap length (dissected as far as they go). */
  private readonly snapCut = new FrameSample();
  private finished = false;
  /** Puts mildly reordered packets back in time order before `analyse` sees them. */
  private readonly reorder: ReorderBuffer;
  private readonly reorderSeconds: number;

  constructor(options: AnalyzerOptions = {}) {
    this.reorderSeconds = options.reorderWindowSeconds ?? DEFAULT_REORDER_SECONDS;
    this.reorder = new ReorderBuffer(options.reorderWindowPackets ?? DEFAULT_REORDER_PACKETS, this.reorderSeconds, (packet) => this.analyse(packet));
    this.idleTimeout = options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_S;
    this.maxLiveClients = Math.max(1, options.maxLiveClients ?? DEFAULT_MAX_LIVE_CLIENTS);
    this.log = new FindingLog(options.maxFindingsPerKind ?? 1000);
    this.captureNames = options.captureNames ?? [];
    this.frameText = frameNamer(this.captureNames);
    this.reporter = {
      report: (client: ClientState | null, finding: ClientFinding) => {
        if (client !== null) client.noteFinding(finding.kind);
        this.log.add({ ...finding, severity: finding.severity ?? FINDING_CATALOG[finding.kind].severity, client: client?.id ?? null });
      },
      accepts: (kind: FindingKind) => this.log.accepts(kind),
      tally: (client: ClientState | null, kind: FindingKind) => {
        if (client !== null) client.noteFinding(kind);
        this.log.omit(kind);
      },
      frameText: this.frameText,
    };
    this.withholding = {
      report: (client: ClientState | null, finding: ClientFinding) => {
        if (client === null) this.reporter.report(null, finding);
        else this.withheld++;
      },
      accepts: (kind: FindingKind) => this.log.accepts(kind),
      tally: (client: ClientState | null, kind: FindingKind) => {
        if (client === null) this.reporter.tally(null, kind);
        else this.withheld++;
      },
      frameText: this.frameText,
    };
    this.router = new PacketRouter(this.directory, this.reporter, this.pairing, (packet) => this.noteUnattributed(packet));
    this.captures.push(emptyCapture());
  }

  add(packet: TeredoPacket): void {
    this.assertOpen();
    const stats = this.captureStats(packet.frame);
    stats.teredoPackets++;
    // Copied, not kept: the stream hands over a reused packet.
    const t = packet.time;
    const first = stats.firstTime;
    // The earliest, not the first: a capture whose clock jumped back still spans from its earliest packet.
    if (first === null) stats.firstTime = { seconds: t.seconds, nanos: t.nanos, precision: t.precision };
    else if (compareTime(t, first) < 0) {
      first.seconds = t.seconds;
      first.nanos = t.nanos;
      first.precision = t.precision;
    }
    const last = stats.lastTime;
    if (last === null) stats.lastTime = { seconds: t.seconds, nanos: t.nanos, precision: t.precision };
    else if (compareTime(t, last) >= 0) {
      last.seconds = t.seconds;
      last.nanos = t.nanos;
      last.precision = t.precision;
    }
    this.reorder.add(packet);
  }

  /** A packet in time order (within the reorder window), from the reorder buffer. */
  private analyse(packet: TeredoPacket): void {
    const t = packet.time;
    if (this.advanceClock(t, packet.frame)) this.closeIdle();
    if (packet.anomalies.length !== 0 && isSnapCut(packet.anomalies)) this.snapCut.add(packet.frame);
    this.router.route(packet);
    if (this.directory.liveCount > this.maxLiveClients) this.closeLeastRecentlyActive();
  }

  /**
   * Moves the analysis clock to the packet's time; true when idle clients are due to be checked.
   * Apart from add() so that the packet's time, a double, stays inside one small function: next to
   * the closeIdle() call V8 boxed it on the heap for every packet.
   */
  private advanceClock(t: Timestamp, frame: number): boolean {
    const time = timestampSeconds(t);
    if (time > this.lastTime) this.lastTime = time;
    else if (time < this.lastTime - CLOCK_BACKWARDS_S) this.clockWentBack(frame, this.lastTime - time);
    return this.lastTime >= this.nextIdleCheck;
  }

  /** A packet stamped well before one already seen: reordered, or the capture's clock was set back. */
  private clockWentBack(frame: number, seconds: number): void {
    this.clockJumps.add(frame);
    if (seconds > this.largestClockJump) {
      this.largestClockJump = seconds;
      this.largestClockJumpFrame = frame;
    }
  }

  /** A datagram that looked like Teredo but could not be dissected (`frame`: a frame reference). */
  noteMalformed(frame: number, reason: string): void {
    this.assertOpen();
    this.captureStats(frame).malformed++;
    let sample = this.malformed.get(reason);
    if (sample === undefined) {
      if (this.malformed.size >= MAX_MALFORMED_REASONS) reason = 'other reasons';
      sample = this.malformed.get(reason) ?? new FrameSample();
      this.malformed.set(reason, sample);
    }
    sample.add(frame);
  }

  /** A capture ended early (truncated or damaged) after `afterFrame`, a frame reference (frame 0: before its first frame). */
  noteTruncated(afterFrame: number, message: string): void {
    this.assertOpen();
    const capture = referenceCapture(afterFrame);
    this.captureStats(afterFrame).truncated = true;
    const name = this.captureNames.length > 1 && capture < this.captureNames.length ? this.captureNames[capture] : 'The capture';
    this.reporter.report(null, {
      kind: 'truncated-capture',
      frames: [afterFrame],
      capture,
      message: `${name} ends early after frame ${referenceFrame(afterFrame)} (${message}); exchanges still open are reported as pending`,
    });
  }

  finish(): AnalysisResult {
    this.assertOpen();
    this.reorder.close();
    this.closeAtEnd();
    this.finished = true;
    const store = this.directory.store;
    const clients: ClientSummaryList = {
      get size() {
        return store.size;
      },
      get: (index: number): ClientSummary => store.get(index),
      *[Symbol.iterator]() {
        for (let i = 0; i < store.size; i++) yield store.get(i);
      },
    };
    return { clients, findings: this.log.sorted(), findingsOmitted: this.log.omitted(), captures: this.captures.map((c) => ({ ...c })) };
  }

  /** Live clients right now (for tests of the eviction). */
  get liveClients(): number {
    return this.directory.liveCount;
  }

  private closeIdle(): void {
    this.nextIdleCheck = this.lastTime + Math.min(1, this.idleTimeout / 4);
    for (const client of this.directory.idleClients(this.lastTime - this.idleTimeout)) this.closeOut(client, false);
  }

  /** Gives the client its verdicts and summary row, and drops it from the live indexes. */
  private closeOut(client: ClientState, atCaptureEnd: boolean): void {
    closeClient(client, this.lastTime, atCaptureEnd, this.reporter, this.directory.store);
    this.directory.remove(client);
  }

  /** Over the live-client cap: the client quiet for longest is closed out now rather than at its idle timeout. */
  private closeLeastRecentlyActive(): void {
    const client = this.directory.leastRecentlyActive();
    if (client === null) return;
    if (this.lastTime - client.lastSeen >= ATTEMPT_STALE_S) {
      this.closeOut(client, false);
      return;
    }
    // Still active: whatever it has open is judged on partial evidence. Such a client is marked
    // (client-limit among its findings), its open exchanges stay pending and its findings are
    // withheld, so that no verdict reported as such depends on the memory setting.
    this.earlyClosed++;
    if (this.earlyClosedFrames.length < MAX_FINDING_FRAMES) this.earlyClosedFrames.push(client.lastFrame);
    client.noteFinding('client-limit');
    closeClient(client, this.lastTime, true, this.withholding, this.directory.store);
    this.directory.remove(client);
  }

  /** The end of the timeline: every client still live is closed out, pooled observations become findings. */
  private closeAtEnd(): void {
    for (const client of this.directory.liveClients()) this.closeOut(client, true);
    for (const [reason, sample] of this.malformed) {
      this.reporter.report(null, {
        kind: 'malformed-teredo',
        frames: sample.frames,
        message: `${sample.total} datagram${sample.total === 1 ? '' : 's'} looked like Teredo but could not be dissected: ${reason}`,
      });
    }
    const late = this.reorder.late;
    if (this.clockJumps.total > 0 || late > 0) {
      const total = this.clockJumps.total;
      const jumps = total === 0
        ? `The capture's packets are out of time order`
        : `The capture's clock runs backwards: ${total} packet${total === 1 ? ' is' : 's are'} stamped more than ${CLOCK_BACKWARDS_S} s before a packet already seen (the largest jump ${formatJump(this.largestClockJump)} at frame ${this.frameText(this.largestClockJumpFrame)})`;
      const lateText = late === 0
        ? ''
        : `; ${late} packet${late === 1 ? ' came' : 's came'} too late for the reorder window (${this.reorderSeconds} s; first: frame ${this.frameText(this.reorder.lateFrame)}) and ${late === 1 ? 'was' : 'were'} analysed in arrival order`;
      this.reporter.report(null, {
        kind: 'clock-jump',
        severity: 'warning',
        frames: total > 0 ? this.clockJumps.frames : [this.reorder.lateFrame],
        message: `${jumps}${lateText}: reordered packets or a clock set back; times, round trips and timeouts around them are unreliable`,
      });
    }
    if (this.snapCut.total > 0) {
      const total = this.snapCut.total;
      this.reporter.report(null, {
        kind: 'snap-limited',
        severity: 'info',
        frames: this.snapCut.frames,
        message: `${total} Teredo packet${total === 1 ? ' was' : 's were'} cut by the capture's snap length ([Packet size limited during capture]); ${total === 1 ? 'it was' : 'they were'} dissected and analysed as far as ${total === 1 ? 'it goes' : 'they go'}. Capture with a larger snap length (tcpdump -s 0) to see whole packets`,
      });
    }
    for (const [message, sample] of this.unattributedAnomalies) {
      this.reporter.report(null, {
        kind: message.startsWith('bubble-with-payload') ? 'bubble-with-payload' : 'malformed-teredo',
        frames: sample.frames,
        message: `${sample.total} Teredo packet${sample.total === 1 ? '' : 's'} of no known client: ${message}`,
      });
    }
    if (this.earlyClosed > 0) {
      this.reporter.report(null, {
        kind: 'client-limit',
        frames: [...this.earlyClosedFrames].sort((a, b) => a - b),
        message: `more than ${this.maxLiveClients} clients were active at once: ${this.earlyClosed} client${this.earlyClosed === 1 ? ' was' : 's were'} closed out while still active (the frames are their last packets before that). Their exchanges were cut short, so they carry client-limit among their findings, what they had open stays pending and ${this.withheld} finding${this.withheld === 1 ? '' : 's'} about them ${this.withheld === 1 ? 'was' : 'were'} withheld; raise --memory-budget (or --max-live-clients) for an exact analysis`,
      });
    }
    this.malformed = new Map();
    this.unattributedAnomalies = new Map();
  }

  /** Anomalies of packets that belong to no client are still findings. */
  private noteUnattributed(packet: TeredoPacket): void {
    for (const anomaly of packet.anomalies) {
      if (anomaly.kind === 'snap-cut') continue;
      const key = `${anomaly.kind}: ${anomaly.message}`;
      let sample = this.unattributedAnomalies.get(key);
      if (sample === undefined) {
        if (this.unattributedAnomalies.size >= MAX_MALFORMED_REASONS) continue;
        sample = new FrameSample();
        this.unattributedAnomalies.set(key, sample);
      }
      sample.add(packet.frame);
    }
  }

  /** What the analysis saw of the capture a frame reference points into. */
  private captureStats(frame: number): CaptureAnalysis {
    const capture = referenceCapture(frame);
    while (this.captures.length <= capture) this.captures.push(emptyCapture());
    return this.captures[capture];
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('TeredoAnalyzer: finish() was already called');
  }
}

/** A packet stamped this much before the latest seen is a clock jump, not capture jitter. */
const CLOCK_BACKWARDS_S = 1;

function formatJump(seconds: number): string {
  return seconds < 120 ? `${seconds.toFixed(3)} s` : seconds < 172800 ? `${(seconds / 3600).toFixed(1)} h` : `${(seconds / 86400).toFixed(1)} days`;
}

function emptyCapture(): CaptureAnalysis {
  return { teredoPackets: 0, firstTime: null, lastTime: null, malformed: 0, truncated: false };
}

function compareTime(a: Timestamp, b: Timestamp): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}
