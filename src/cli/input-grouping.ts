import type { Timestamp } from '../capture/timestamp.js';
import type { GroupingChoice } from './commands/analyze-command.js';

/**
 * Which inputs `analyze` analyses as one timeline. Merging captures that are not one capture makes
 * clients on the same socket one client and loses findings without a word; analysing rotated
 * files apart loses every exchange that spans two files. So the inputs are merged only where they
 * look like one capture:
 * - consecutive: one starts at most MAX_GAP_SECONDS after the other ends, and both show a common
 *   address in their Teredo traffic (a client, its NAT, a server or relay), as rotated files do;
 * - overlapping: both show the same client from the two sides of its NAT (one's client socket is
 *   the other's origin indication, the mapped socket) and no client socket in common, as
 *   captures taken inside and outside a NAT do. Two overlapping captures that both show one socket
 *   are two recordings of it (or of look-alike test networks): merged, they would be confused.
 * Everything else is analysed per file. `--merge` and `--per-file` override the choice.
 */

/** A gap longer than this between two files is two captures (a Teredo client refreshes every 30 s). */
export const MAX_GAP_SECONDS = 300;

export interface CaptureSketch {
  file: string;
  /** Times of the first and last frame; null when the file has no readable frame (or is standard input). */
  first: Timestamp | null;
  last: Timestamp | null;
  /** Outer IPv4 addresses of Teredo packets, and those of origin indications. */
  addresses: Set<number>;
  /** Client sockets (address × 65536 + port) talking to a server. */
  clientSockets: Set<number>;
  /** Mapped sockets announced in origin indications. */
  mappedSockets: Set<number>;
}

export interface GroupingDecision {
  /** Indexes into the sketches, each group in time order, groups in the order of their first file. */
  groups: number[][];
  /** Why the inputs are not one timeline (shown on standard error); null when they are, or when the user chose. */
  reason: string | null;
}

export function groupInputs(sketches: readonly CaptureSketch[], choice: GroupingChoice): GroupingDecision {
  const order = sketches.map((_, index) => index).sort((a, b) => compareFirst(sketches[a], sketches[b]) || a - b);
  if (choice === 'merge' || sketches.length < 2) return { groups: [order], reason: null };
  if (choice === 'per-file') return { groups: order.map((index) => [index]), reason: null };

  const groups: number[][] = [];
  // Files without frames add nothing to a timeline: they join the first group, where their error shows.
  const empty = order.filter((index) => sketches[index].first === null && sketches[index].file !== '-');
  const isEmpty = new Set(empty);
  let reason: string | null = null;
  for (const index of order) {
    if (isEmpty.has(index)) continue;
    const sketch = sketches[index];
    const home = sketch.file === '-' ? undefined : recent(groups, RECENT).find((group) => fits(recent(group, RECENT).map((i) => sketches[i]), sketch));
    if (home !== undefined) home.push(index);
    else {
      if (groups.length > 0 && reason === null) reason = whyApart(groups.flat().map((i) => sketches[i]), sketch);
      groups.push([index]);
    }
  }
  if (groups.length === 0) groups.push([]);
  groups[0].unshift(...empty);
  const stdin = sketches.some((sketch) => sketch.file === '-');
  const why = stdin ? 'standard input is analysed on its own (it cannot be looked at before it is read)' : reason;
  return { groups, reason: groups.length > 1 ? why : null };
}

/**
 * Groups, and members of a group, that a new file is compared with: the latest few, so that a ring
 * of ten thousand files costs linear time (a rotated file follows the one before it).
 */
const RECENT = 32;

function recent<T>(items: readonly T[], count: number): readonly T[] {
  return items.length <= count ? items : items.slice(items.length - count);
}

/** May `next` (starting no earlier than any member) join the group? */
function fits(group: readonly CaptureSketch[], next: CaptureSketch): boolean {
  let joined = false;
  for (const member of group) {
    if (member.first === null || member.last === null || next.first === null) continue;
    const overlapping = seconds(next.first) <= seconds(member.last);
    if (overlapping && intersects(member.clientSockets, next.clientSockets)) return false;
    if (overlapping ? sameClientBothSides(member, next) : consecutive(member, next)) joined = true;
  }
  return joined;
}

function consecutive(earlier: CaptureSketch, later: CaptureSketch): boolean {
  if (seconds(later.first!) - seconds(earlier.last!) > MAX_GAP_SECONDS) return false;
  // A file without Teredo packets has no client to confuse with another.
  return earlier.addresses.size === 0 || later.addresses.size === 0 || intersects(earlier.addresses, later.addresses);
}

function sameClientBothSides(a: CaptureSketch, b: CaptureSketch): boolean {
  return intersects(a.clientSockets, b.mappedSockets) || intersects(b.clientSockets, a.mappedSockets);
}

function whyApart(earlier: readonly CaptureSketch[], sketch: CaptureSketch): string {
  const name = (s: CaptureSketch): string => (s.file === '-' ? 'standard input' : s.file);
  for (const other of earlier) {
    if (other.first === null || other.last === null || sketch.first === null) continue;
    const gap = seconds(sketch.first) - seconds(other.last);
    if (gap > MAX_GAP_SECONDS && intersects(other.addresses, sketch.addresses)) return `${name(sketch)} starts ${formatGap(gap)} after ${name(other)} ends`;
    if (gap <= 0 && intersects(other.clientSockets, sketch.clientSockets)) return `${name(sketch)} and ${name(other)} overlap in time and both show the same client socket`;
  }
  return `${name(sketch)} shares no Teredo client or server address with the captures before it`;
}

function formatGap(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

function intersects(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const value of small) if (large.has(value)) return true;
  return false;
}

function seconds(time: Timestamp): number {
  return time.seconds + time.nanos / 1e9;
}

function compareFirst(a: CaptureSketch, b: CaptureSketch): number {
  if (a.first === null || b.first === null) return a.first === b.first ? 0 : a.first === null ? -1 : 1;
  return seconds(a.first) - seconds(b.first);
}
