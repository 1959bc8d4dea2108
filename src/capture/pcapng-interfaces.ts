import { CaptureError } from './capture-error.js';
import { MAX_INTERFACES_PER_SECTION } from './input-limits.js';
import { MICROSECOND_RESOLUTION, resolutionFromTsresol, type TimestampResolution } from './timestamp-resolution.js';

/** One interface description (IDB) of the current pcapng section. */
export interface PcapngInterfaceInfo {
  readonly linkType: number;
  /** 0 = no limit. */
  readonly snapLength: number;
  readonly resolution: TimestampResolution;
  /** if_tsoffset: seconds added to every timestamp of this interface. */
  readonly secondsOffset: number;
  /** Records delivered from the interfaces with this description (folded into the per-link-type counts). */
  frames: number;
}

const OPTION_END = 0;
const OPTION_TSRESOL = 9;
const OPTION_TSOFFSET = 14;
const TWO_POW_32 = 4294967296;

/**
 * The interfaces of the current section, indexed by interface id. A new section header forgets
 * them (ids restart at 0), so their record counts are folded into the per-link-type totals first.
 *
 * Bounded: a section may declare at most MAX_INTERFACES_PER_SECTION interfaces, and interfaces
 * described alike share one description, so that the usual flood (the same IDB over and over)
 * costs a slot each, not an object each.
 */
export class PcapngInterfaceTable {
  private interfaces: PcapngInterfaceInfo[] = [];
  /** This section's distinct descriptions, by their fields (see descriptionKey). */
  private distinct = new Map<string, PcapngInterfaceInfo>();
  private readonly linkTypeFrames = new Map<number, number>();

  get(id: number): PcapngInterfaceInfo | undefined {
    return this.interfaces[id];
  }

  /** Starts a new section. */
  reset(): void {
    this.foldCounts();
    this.interfaces = [];
    this.distinct = new Map();
  }

  linkTypeCounts(): Map<number, number> {
    const counts = new Map(this.linkTypeFrames);
    for (const description of this.distinct.values()) {
      if (description.frames > 0) {
        counts.set(description.linkType, (counts.get(description.linkType) ?? 0) + description.frames);
      }
    }
    return counts;
  }

  /**
   * Adds the interface described by the IDB at `start` (block of `length` bytes, trailer
   * included, already checked to be at least 20 bytes). `framesRead` only goes into an error.
   */
  describe(
    view: DataView,
    start: number,
    length: number,
    littleEndian: boolean,
    blockOffset: number,
    framesRead: number,
  ): void {
    if (this.interfaces.length >= MAX_INTERFACES_PER_SECTION) {
      throw new CaptureError(
        'damaged',
        `block at byte offset ${blockOffset}: the section declares more than ${MAX_INTERFACES_PER_SECTION} interfaces (the limit)`,
        framesRead,
      );
    }
    const linkType = view.getUint16(start + 8, littleEndian);
    const snapLength = view.getUint32(start + 12, littleEndian);
    let resolution = MICROSECOND_RESOLUTION;
    let secondsOffset = 0;
    const optionsEnd = start + length - 4;
    let position = start + 16;
    while (optionsEnd - position >= 4) {
      const code = view.getUint16(position, littleEndian);
      const valueLength = view.getUint16(position + 2, littleEndian);
      if (code === OPTION_END) break;
      const value = position + 4;
      if (value + valueLength > optionsEnd) {
        throw new CaptureError(
          'damaged',
          `block at byte offset ${blockOffset}: interface option ${code} of ${valueLength} bytes runs past the end of its block`,
          framesRead,
        );
      }
      if (code === OPTION_TSRESOL && valueLength >= 1) {
        resolution = resolutionFromTsresol(view.getUint8(value));
      } else if (code === OPTION_TSOFFSET && valueLength === 8) {
        const high = view.getInt32(littleEndian ? value + 4 : value, littleEndian);
        const low = view.getUint32(littleEndian ? value : value + 4, littleEndian);
        secondsOffset = high * TWO_POW_32 + low;
      }
      position = value + ((valueLength + 3) & ~3);
    }
    const key = `${linkType} ${snapLength} ${resolution.binary ? 'b' : 'd'}${resolution.exponent} ${secondsOffset}`;
    let description = this.distinct.get(key);
    if (description === undefined) {
      description = { linkType, snapLength, resolution, secondsOffset, frames: 0 };
      this.distinct.set(key, description);
    }
    this.interfaces.push(description);
  }

  private foldCounts(): void {
    for (const description of this.distinct.values()) {
      if (description.frames > 0) {
        const total = (this.linkTypeFrames.get(description.linkType) ?? 0) + description.frames;
        this.linkTypeFrames.set(description.linkType, total);
      }
    }
  }
}
