import type { ClientLadderDrawer } from '../render/client-ladder.js';

/** What every output of `check` may need besides the verdicts. */
export interface CheckRenderOptions {
  color: boolean;
  /** Draws a failing client's exchange in the --summary Markdown (see client-ladder.ts). */
  ladder: ClientLadderDrawer;
}
