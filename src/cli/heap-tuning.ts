import { setFlagsFromString } from 'node:v8';

/** The flags tuneHeapForStreaming sets, in order (tests apply subsets of them). */
export const STREAMING_HEAP_FLAGS: readonly string[] = [
  '--semi-space-growth-factor=1',
  '--heap-growing-percent=50',
  '--optimize-for-size',
  '--incremental-marking-hard-trigger=60',
];

/**
 * Sizes V8's heap for `analyze`, a streaming pipeline that keeps little alive, so that peak RSS stays
 * flat with capture size. Measurements and what was tried: docs/performance-history.md.
 */
export function tuneHeapForStreaming(): void {
  if (applied) return;
  applied = true;
  for (const flag of STREAMING_HEAP_FLAGS) setFlagsFromString(flag);
}

let applied = false;
