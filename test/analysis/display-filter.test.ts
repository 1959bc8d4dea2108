import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { frameDisplayFilter } from '../../src/analysis/display-filter.js';

describe('frameDisplayFilter', () => {
  it('lists single frames and folds runs of three or more into ranges', () => {
    expect(frameDisplayFilter([7])).toBe('frame.number == 7');
    expect(frameDisplayFilter([7, 6])).toBe('frame.number == 6 || frame.number == 7');
    expect(frameDisplayFilter([33, 30, 31, 32, 6, 7, 7])).toBe('frame.number == 6 || frame.number == 7 || (frame.number >= 30 && frame.number <= 33)');
  });

  it('never produces an empty filter', () => {
    expect(frameDisplayFilter([])).toBe('frame.number == 0');
  });

  // tshark judges the syntax when installed (CI installs it); otherwise the two term shapes are evaluated here.
  it('selects exactly those frames (in tshark when it is installed)', () => {
    const filter = frameDisplayFilter([6, 7, 30, 31, 32, 33]);
    const selected = tsharkInstalled
      ? execFileSync('tshark', ['-r', 'fixtures/real/wireshark-teredo.pcap', '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
          .trim()
          .split('\n')
          .map(Number)
      : Array.from({ length: 78 }, (_, i) => i + 1).filter((frame) => evaluate(filter, frame));
    expect(selected).toEqual([6, 7, 30, 31, 32, 33]);
  });
});

const tsharkInstalled = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

function evaluate(filter: string, frame: number): boolean {
  return filter.split(' || ').some((term) => {
    const single = /^frame\.number == (\d+)$/.exec(term);
    if (single !== null) return frame === Number(single[1]);
    const range = /^\(frame\.number >= (\d+) && frame\.number <= (\d+)\)$/.exec(term);
    if (range === null) throw new Error(`unexpected term ${term}`);
    return frame >= Number(range[1]) && frame <= Number(range[2]);
  });
}
