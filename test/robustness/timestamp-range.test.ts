import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { formatIsoTime } from '../../src/capture/timestamp.js';
import { runCli } from './support/measured-cli.js';
import { lines, scratchDirectory, SOLICITATION } from './support/scratch-files.js';

/*
 * Regression: formatIsoTime went through Date, which only covers ±8.64e15 ms. A pcapng timestamp is
 * a 64-bit count of units (with if_tsresol 0, of whole seconds), so a damaged or crafted file made
 * `dissect` and `analyze` die with "internal error: Invalid time value" (exit 70). And from the year
 * 10000 on, Date writes a six-digit signed year, which the fixed-width cut turned into a time
 * without seconds. Times are now written like Wireshark shows them: proleptic Gregorian, any year.
 */

const file = scratchDirectory('timestamps');

describe('timestamps outside the usual years', () => {
  it('keep their seconds after the year 9999 and before year 0', () => {
    expect(formatIsoTime({ seconds: 253402300799, nanos: 5, precision: 9 })).toBe('9999-12-31T23:59:59.000000005Z');
    expect(formatIsoTime({ seconds: 253402300800 + 61, nanos: 0, precision: 0 })).toBe('+010000-01-01T00:01:01Z');
    expect(formatIsoTime({ seconds: -62167219201, nanos: 250_000_000, precision: 3 })).toBe('-000001-12-31T23:59:59.250Z');
  });

  it('beyond the range of Date are still written, not thrown', () => {
    // Wireshark 4.0: "Dec  6, 142715360 03:48:16.000000000 UTC" for 2^52 s. The others were worked
    // out with Date after moving the time by whole 400-year Gregorian cycles (12 622 780 800 s).
    expect(formatIsoTime({ seconds: 2 ** 52, nanos: 0, precision: 6 })).toBe('+142715360-12-06T03:48:16.000000Z');
    expect(formatIsoTime({ seconds: 8.64e12 + 1, nanos: 0, precision: 0 })).toBe('+275760-09-13T00:00:01Z');
    expect(formatIsoTime({ seconds: -(2 ** 52), nanos: 0, precision: 0 })).toBe('-142711421-01-25T20:11:44Z');
    // 2^64 - 1 s, the largest pcapng count at 1 s units (as a double it is 2^64).
    expect(formatIsoTime({ seconds: 2 ** 64, nanos: 999_999_999, precision: 9 })).toMatch(/^\+584554051223-11-09T06:\d\d:\d\d\.999999999Z$/);
  });

  it('a pcapng packet stamped 2^52 seconds after 1970 is dissected and analysed (it made the CLI fail with exit 70)', async () => {
    const path = file('far-future.pcapng');
    writeFileSync(
      path,
      captureToBuffer((sink) => new PcapngWriter(sink, { interfaces: [{ linkType: 1, tsresol: 0 }] }).write({ seconds: 2 ** 52, nanos: 0, data: SOLICITATION })),
    );
    const dissect = await runCli(['dissect', path]);
    expect(lines(dissect.stdout)).toEqual([expect.stringMatching(/^1 {2}\+142715360-12-06T03:48:16Z {2}192\.0\.2\.16:40000 > 198\.51\.100\.80:3544 /)]);
    expect(dissect.status).toBe(0);
    const analyze = await runCli(['analyze', '--format', 'json', path]);
    expect(analyze.status).toBe(0);
    expect(JSON.parse(analyze.stdout).captures[0]).toMatchObject({ start: '+142715360-12-06T03:48:16Z', end: '+142715360-12-06T03:48:16Z' });
  });
});
