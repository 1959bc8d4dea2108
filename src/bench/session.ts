import type { FrameComposer } from './frame-composer.js';
import type { NetworkPlan } from './network-plan.js';
import type { Prng } from './prng.js';

/** What a generated frame is, for the generator's own counts (the truth a test checks against). */
export type PacketClass = 'teredo-control' | 'teredo-data' | 'background';

/** Everything a session needs: randomness, the frame writer, the network, and where frames go. */
export interface TrafficContext {
  readonly prng: Prng;
  readonly composer: FrameComposer;
  readonly plan: NetworkPlan;
  /** Takes the frame the composer just wrote (its first `length` bytes) at capture time `time`. */
  emit(time: number, length: number, kind: PacketClass): void;
}

/**
 * One simulated conversation (a Teredo client's life, a DNS lookup, a TCP download). The
 * generator calls step() at the times the session asks for, in global time order.
 */
export interface Session {
  /** Emits at most one frame at `time`; returns the absolute time of the next call, or -1 when done. */
  step(time: number): number;
}

/**
 * One step of a scripted session: run() sends what happens at `time` and returns -1 to move on to
 * the next action, or a delay ≥ 0 to be run again after it (a data flow is one repeating action).
 */
export interface Action {
  /** Seconds after the previous action's last packet. */
  delay: number;
  run(time: number): number;
}

export const DONE = -1;

/** Runs a list of actions in order. */
export class ScriptedSession implements Session {
  private readonly actions: Action[];
  private index = 0;

  constructor(actions: Action[]) {
    this.actions = actions;
  }

  /** Time of the first step for a session starting at `time`, or -1 when it has nothing to do. */
  firstStep(time: number): number {
    return this.actions.length === 0 ? DONE : time + this.actions[0].delay;
  }

  step(time: number): number {
    const again = this.actions[this.index].run(time);
    if (again >= 0) return time + again;
    this.index++;
    if (this.index >= this.actions.length) return DONE;
    return time + this.actions[this.index].delay;
  }
}

/** An action that sends one packet. */
export function once(delay: number, send: (time: number) => void): Action {
  return {
    delay,
    run: (time) => {
      send(time);
      return DONE;
    },
  };
}
