import type { Session } from './session.js';

interface Entry {
  time: number;
  /** Insertion number: sessions due at the same time run in the order they were scheduled. */
  order: number;
  session: Session;
}

/** A binary min-heap of sessions by the time of their next step. */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private inserted = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, session: Session): void {
    const heap = this.heap;
    const entry: Entry = { time, order: this.inserted++, session };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  /** Time of the earliest entry (the queue must not be empty). */
  peekTime(): number {
    return this.heap[0].time;
  }

  /** Removes and returns the earliest session. */
  pop(): Session {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top.session;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}
