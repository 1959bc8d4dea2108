import { setFlagsFromString } from 'node:v8';

/**
 * Turns off TurboFan's inlining once `analyze` has read its captures and turns to the report.
 *
 * Why: the report code runs once per client. When it gets hot, TurboFan builds large graphs for it
 * (reportJsonLines → reportClient → the summary store's get → the extras arena and its readers,
 * all inlined). Their compile zones, several MB allocated outside the JS heap, arrive at the worst
 * moment: the end of a long capture, when the heap is at its largest. On the 5M-packet benchmark mix
 * this was the run's peak: 94.4, 93.9 and 90.5 MiB with inlining, 90.9, 91.4 and 92.2 without.
 * Time did not suffer: a million-client report rendered in 3.74–3.79 s either way, and the 5M mix's
 * 13,780 clients no slower. (Turning TurboFan off altogether saved 1–2 MB more, but made the
 * million-client report 60 % slower.)
 *
 * Like the heap flags (heap-tuning.ts) this is set while Node runs, which V8 honours for flags it
 * reads at each compilation; nothing else runs in the process after the report.
 */
export function tuneCompilerForReport(): void {
  setFlagsFromString('--no-turbo-inlining');
}
