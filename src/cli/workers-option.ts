/**
 * `--workers`: decode each capture file in a worker thread of its own while the main thread
 * analyses or renders. Off by default: on the 2-vCPU machines we measure on it is no faster (the
 * second vCPU already runs V8's concurrent GC and compiler for the single thread, and moving
 * packets between threads costs about as much as it saves; docs/performance-history.md,
 * row analyze-workers). Machines with more cores may gain.
 */
export const WORKERS_OPTION = {
  type: 'boolean',
  default: false,
  describe: 'decode each file in a worker thread beside the main thread (measured no faster on 2 vCPUs; see docs/performance-history.md)',
} as const;
