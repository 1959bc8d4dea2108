import { setFlagsFromString } from 'node:v8';

/**
 * Turns off TurboFan's inlining once `analyze` has read its captures and turns to the report: its
 * compile zones set the peak RSS of long captures. Measurements: docs/performance-history.md.
 */
export function tuneCompilerForReport(): void {
  setFlagsFromString('--no-turbo-inlining');
}
