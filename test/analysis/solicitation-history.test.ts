import { describe, expect, it } from 'vitest';
import { NO_MATCH, NO_SOLICITATIONS, RS_HISTORY, SolicitationHistory } from '../../src/analysis/solicitation-history.js';

function nonce(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

describe('solicitation history', () => {
  it('says so when there is no RS to match', () => {
    const history = new SolicitationHistory();
    expect(history.count).toBe(0);
    expect(history.match(null)).toBe(NO_SOLICITATIONS);
    expect(history.match(nonce(1, 2, 3, 4, 5, 6, 7, 8))).toBe(NO_SOLICITATIONS);
  });

  it('matches an RA to the RS with its nonce, high bits included', () => {
    const history = new SolicitationHistory();
    history.add(10, 1.5, nonce(0xff, 0xfe, 0xfd, 0xfc, 0x80, 0, 0, 1), true);
    history.add(11, 2.25, nonce(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), false);
    history.add(12, 3, null, false);
    expect(history.match(nonce(0xff, 0xfe, 0xfd, 0xfc, 0x80, 0, 0, 1))).toBe(0);
    expect(history.match(nonce(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(1);
    expect(history.match(nonce(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe))).toBe(NO_MATCH);
    expect([history.frame(0), history.time(0), history.isCone(0)]).toEqual([10, 1.5, true]);
    expect([history.frame(1), history.time(1), history.isCone(1)]).toEqual([11, 2.25, false]);
  });

  it('without a nonce, takes the newest unanswered RS sent without one, else the newest RS', () => {
    const history = new SolicitationHistory();
    history.add(1, 0, null, false);
    history.add(2, 1, null, false);
    history.add(3, 2, nonce(1, 1, 1, 1, 1, 1, 1, 1), false);
    expect(history.match(null)).toBe(1);
    expect(history.isAnswered(1)).toBe(false);
    history.markAnswered(1);
    expect(history.isAnswered(1)).toBe(true);
    expect(history.match(null)).toBe(0);
    history.markAnswered(0);
    expect(history.match(null)).toBe(2);
  });

  it(`keeps the last ${RS_HISTORY} RSs, oldest first`, () => {
    const history = new SolicitationHistory();
    for (let i = 1; i <= RS_HISTORY + 5; i++) {
      history.add(i, i / 4, nonce(0, 0, 0, i, 0, 0, 0, i), i % 2 === 0);
      if (i === 3) history.markAnswered(2);
    }
    expect(history.count).toBe(RS_HISTORY);
    const frames = Array.from({ length: RS_HISTORY }, (_, i) => history.frame(i));
    expect(frames).toEqual(Array.from({ length: RS_HISTORY }, (_, i) => i + 6));
    expect(history.time(0)).toBe(1.5);
    expect(history.isCone(0)).toBe(true);
    expect(history.isCone(1)).toBe(false);
    expect(history.match(nonce(0, 0, 0, 5, 0, 0, 0, 5))).toBe(NO_MATCH);
    expect(history.match(nonce(0, 0, 0, 13, 0, 0, 0, 13))).toBe(RS_HISTORY - 1);
    expect(history.match(nonce(0, 0, 0, 6, 0, 0, 0, 6))).toBe(0);
  });
});
