import { describe, expect, it } from 'vitest';
import { COMMENT_DISPLAY_FILTER, stepComments } from '../../src/ladder/step-comments.js';
import type { ReportFinding } from '../../src/report/report.js';
import { laddersOf } from './support/ladders-of.js';

describe('stepComments', () => {
  it('names every step packet of wireshark-teredo.pcap, a data run on its first frame', async () => {
    const { ladders, report } = await laddersOf('fixtures/real/wireshark-teredo.pcap');
    const comments = stepComments(ladders, report.findings);
    expect([...comments.keys()]).toEqual([6, 7, 29, 30, 31, 32, 33, 34]);
    expect(comments.get(6)).toEqual(['teredoscope: qualification: RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88']);
    expect(comments.get(31)).toEqual(['teredoscope: hole punch: relay bubble via server, origin 83.170.1.38:32900']);
    expect(comments.get(34)).toEqual(['teredoscope: data: 22 data packets (TCP), frames 34–57']);
    expect(COMMENT_DISPLAY_FILTER).toBe('frame.comment contains "teredoscope"');
  });

  it('comments findings on their frames next to the step, and failures in the step text', async () => {
    const { ladders, report } = await laddersOf('fixtures/real/miredo/miredo-offline-inside.pcap');
    const comments = stepComments(ladders, report.findings);
    expect(comments.get(3)).toEqual([
      'teredoscope: qualification: RS to primary 192.0.2.10, nonce 033d814ff55c7846 [unanswered: no RA with this nonce]',
      expect.stringMatching(/^teredoscope: finding offline \(error\), client 192\.168\.1\.10:48403: 3 Router Solicitations/),
    ]);
    expect([...comments.keys()]).toEqual([3, 4, 5]);
  });

  it('puts a missing step on the frame before it and a capture-wide finding on its frames', () => {
    const ladder = {
      client: 'c',
      parties: [],
      steps: [
        { frame: 8, lastFrame: 8, time: 0, phase: 'hole punch' as const, from: 0, to: 1, label: 'client bubble', count: 1, bothWays: false, failure: null, failureNote: '' },
        { frame: null, lastFrame: null, time: 0, phase: 'hole punch' as const, from: 1, to: 0, label: 'no delivery', count: 1, bothWays: false, failure: 'unanswered' as const, failureNote: 'never' },
      ],
      omittedSteps: 0,
    };
    const finding: ReportFinding = { kind: 'truncated-capture', severity: 'warning', client: null, frames: [9], message: 'cut', displayFilter: 'frame.number == 9', capture: 0 };
    const comments = stepComments([ladder], [finding]);
    expect(comments.get(8)).toEqual(['teredoscope: hole punch: client bubble', 'teredoscope: hole punch: no delivery [unanswered: never]']);
    expect(comments.get(9)).toEqual(['teredoscope: finding truncated-capture (warning): cut']);
  });
});
