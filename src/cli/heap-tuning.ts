import { setFlagsFromString } from 'node:v8';

/** The flags tuneHeapForStreaming sets, in order (tests apply subsets of them). */
export const STREAMING_HEAP_FLAGS: readonly string[] = [
  '--semi-space-growth-factor=1',
  '--heap-growing-percent=50',
  '--optimize-for-size',
  '--incremental-marking-hard-trigger=60',
];

/**
 * Sizes V8's heap for `analyze`, a streaming pipeline that keeps little alive, before it starts.
 *
 * Why: V8's defaults trade memory for throughput. The young generation doubles up to 32 MiB as
 * soon as a few long-lived objects (client state) survive its scavenges, and after each full
 * collection the old generation may grow to up to 4× what is live. The analysis keeps about
 * 10–20 MB alive, so on a long capture the heap settled at 70–85 MB and peak RSS rose from 86 MiB
 * (200k packets) to 150 MiB (5M packets) with no more data kept. Measured on the benchmark mix:
 * - keeping the young generation at a few MiB (V8 still doubles it once, to 2 MiB semi-spaces)
 *   cost no time: the pipeline allocates almost nothing per packet;
 * - letting the old generation grow by 50 % of what is live, not up to 300 %, cost about 2 %
 *   more time on 5M packets (more, smaller full collections).
 * - `--optimize-for-size` makes every full collection a memory-reducing one: it compacts, gives
 *   free pages back and keeps the young generation small. The 5M run's peak fell by about 8 MB, the
 *   200k run's by 1–2, in the same time within the noise (2M mix, five runs each way).
 * - Whatever the two flags above say, V8 sets the next old-generation limit at least 8 MB (plus the
 *   young generation's capacity) above what a full collection left live: `--trace-gc-verbose`
 *   prints "Limit: old size: 14226 KB, new limit: 23425 KB". A 200k-packet run ends before it
 *   reaches that limit; a 5M one climbs to it again and again, which was most of the difference
 *   between their peaks. `--incremental-marking-hard-trigger=60` starts marking once the old
 *   generation passes 60 % of its limit instead of near the limit. On the 5M mix, whose live set is
 *   above 60 % of its limit, that is right after each collection. The 5M run's peak fell from 89.2
 *   to 85.6 MiB (means of five runs), the 200k run's stayed at 71 MiB, and the 2M mix took 2–3 % more
 *   time. A capture of a million one-packet clients took about 11 % more time: its ~100 MB of
 *   summaries count against V8's global limit, so marking there runs nearly all the time.
 * These flags are read by V8 each time it resizes the heap or decides to mark, which is why they
 * work when set at run time (the size limits, such as --max-semi-space-size, are fixed at
 * start-up and would not).
 * `dissect` does without: it builds an output line per packet, so a small young generation made it
 * 25 % slower, and its peak RSS is flat anyway (1.17× from 200k to 5M packets).
 */
export function tuneHeapForStreaming(): void {
  if (applied) return;
  applied = true;
  for (const flag of STREAMING_HEAP_FLAGS) setFlagsFromString(flag);
}

let applied = false;
