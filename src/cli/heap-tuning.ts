import { setFlagsFromString } from 'node:v8';

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
 * - even at 50 %, V8 lets the old generation grow at least 8 MB past what is live before its next
 *   full collection, so a long capture's heap settled 8 MB above a short one's. `--optimize-for-size`
 *   makes that step 2 MB (V8 reads it in ShouldOptimizeForMemoryUsage each time it sets the limit)
 *   and compacts at full collections: the 5M run's peak fell by about 8 MB, the 200k run's by 1–2,
 *   in the same time within the noise of the benchmark (2M mix, five runs each way).
 * These flags are read by V8 each time it resizes the heap, which is why they work when set at run
 * time (the size limits, such as --max-semi-space-size, are fixed at start-up and would not).
 * `dissect` does without: it builds an output line per packet, so a small young generation made it
 * 25 % slower, and its peak RSS is flat anyway (1.17× from 200k to 5M packets).
 */
export function tuneHeapForStreaming(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--optimize-for-size');
}

let applied = false;
