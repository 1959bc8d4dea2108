/**
 * Why a capture could not be read (fully). Each kind maps to one documented exit code:
 * `unreadable` and `not-a-capture` → 3, `truncated` and `damaged` → 4 (frames before the damage
 * were delivered).
 */
export type CaptureErrorKind = 'unreadable' | 'not-a-capture' | 'truncated' | 'damaged';

export class CaptureError extends Error {
  readonly kind: CaptureErrorKind;
  /** Frames delivered before the error (the last frame number reached, as in CaptureSummary.frames). */
  readonly framesRead: number;
  /** The format of the file, when the error came after its header told it (set by the reader). */
  format: 'pcap' | 'pcapng' | null;

  constructor(kind: CaptureErrorKind, message: string, framesRead: number, format: 'pcap' | 'pcapng' | null = null) {
    super(message);
    this.name = 'CaptureError';
    this.kind = kind;
    this.framesRead = framesRead;
    this.format = format;
  }

  get exitCode(): 3 | 4 {
    return this.kind === 'truncated' || this.kind === 'damaged' ? 4 : 3;
  }
}
