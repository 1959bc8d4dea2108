/** RSs remembered for nonce matching: a whole qualification (2 phases × 3 tries + probe) fits. */
export const RS_HISTORY = 8;

const FRAME = 0;
const TIME = 1;
const NONCE_HI = 2;
const NONCE_LO = 3;
const FLAGS = 4;
const FIELDS = 5;

const HAS_NONCE = 1;
const CONE = 2;
const ANSWERED = 4;

const EMPTY: number[] = [];

/** `match()` found no RS: the client has sent none that the capture shows. */
export const NO_SOLICITATIONS = -1;
/** `match()` found no RS the advertisement answers although there are some. */
export const NO_MATCH = -2;

/**
 * The last RS_HISTORY Router Solicitations of one client, oldest first, in one flat array of
 * numbers (FIELDS per RS). Every live client keeps one; as objects (one per RS, its time a boxed
 * double) they took about 480 bytes a client and were the largest source of garbage that outlives
 * the young generation. The nonce halves are int32 (small integers to V8, never boxed).
 */
export class SolicitationHistory {
  /**
   * Sized by hand (2, 4, then RS_HISTORY RSs): pushing onto an array would reserve room for 16
   * more numbers at a time, and most clients send three RSs or fewer.
   */
  private fields: number[] = EMPTY;
  private size = 0;

  get count(): number {
    return this.size;
  }

  add(frame: number, time: number, nonce: Uint8Array | null, cone: boolean): void {
    if (this.size === RS_HISTORY) {
      // A loop, not copyWithin: on a JS array that is a generic builtin, ~1 µs a call (17 % of a server capture's profile).
      const fields = this.fields;
      for (let i = 0; i < (RS_HISTORY - 1) * FIELDS; i++) fields[i] = fields[i + FIELDS];
      this.size--;
    } else if ((this.size + 1) * FIELDS > this.fields.length) {
      this.grow();
    }
    const at = this.size * FIELDS;
    this.size++;
    this.fields[at + FRAME] = frame;
    this.fields[at + TIME] = time;
    this.fields[at + NONCE_HI] = nonce !== null ? nonceHalf(nonce, 0) : 0;
    this.fields[at + NONCE_LO] = nonce !== null ? nonceHalf(nonce, 4) : 0;
    this.fields[at + FLAGS] = (nonce !== null ? HAS_NONCE : 0) | (cone ? CONE : 0);
  }

  private grow(): void {
    const fields = new Array<number>(Math.min(RS_HISTORY, Math.max(2, this.size * 2)) * FIELDS).fill(0);
    for (let i = 0; i < this.size * FIELDS; i++) fields[i] = this.fields[i];
    this.fields = fields;
  }

  /**
   * The RS an RA answers, newest first: the one with its nonce, or without a nonce the newest RS
   * still unanswered and sent without one, else the newest RS. NO_MATCH when a nonce answers none.
   */
  match(nonce: Uint8Array | null): number {
    const count = this.count;
    if (count === 0) return NO_SOLICITATIONS;
    if (nonce !== null) {
      const hi = nonceHalf(nonce, 0);
      const lo = nonceHalf(nonce, 4);
      for (let i = count - 1; i >= 0; i--) {
        const at = i * FIELDS;
        if ((this.fields[at + FLAGS] & HAS_NONCE) !== 0 && this.fields[at + NONCE_HI] === hi && this.fields[at + NONCE_LO] === lo) return i;
      }
      return NO_MATCH;
    }
    for (let i = count - 1; i >= 0; i--) if ((this.fields[i * FIELDS + FLAGS] & (HAS_NONCE | ANSWERED)) === 0) return i;
    return count - 1;
  }

  frame(index: number): number {
    return this.fields[index * FIELDS + FRAME];
  }

  time(index: number): number {
    return this.fields[index * FIELDS + TIME];
  }

  isCone(index: number): boolean {
    return (this.fields[index * FIELDS + FLAGS] & CONE) !== 0;
  }

  isAnswered(index: number): boolean {
    return (this.fields[index * FIELDS + FLAGS] & ANSWERED) !== 0;
  }

  markAnswered(index: number): void {
    this.fields[index * FIELDS + FLAGS] |= ANSWERED;
  }
}

/** Four bytes of a nonce as a signed 32-bit integer. */
function nonceHalf(nonce: Uint8Array, offset: number): number {
  return (nonce[offset] << 24) | (nonce[offset + 1] << 16) | (nonce[offset + 2] << 8) | nonce[offset + 3];
}
