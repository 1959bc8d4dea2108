import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ProgressBar, progressText } from '../../src/cli/progress-bar.js';

describe('progress text', () => {
  it('shows the share of the file, packets, rate and ETA', () => {
    const text = progressText('big.pcap', 250e6, 1_000_000, 1000e6, 2);
    expect(text).toContain('big.pcap');
    expect(text).toContain('[#####...............]  25%');
    expect(text).toContain('250/1000 MB');
    expect(text).toContain('1,000,000 packets');
    expect(text).toContain('0.50 M/s');
    expect(text).toContain('ETA 6s');
  });

  it('shows bytes without a bar when the size is unknown (standard input)', () => {
    const text = progressText('standard input', 5e6, 10, null, 1);
    expect(text).not.toContain('%');
    expect(text).not.toContain('ETA');
    expect(text).toContain('5.0 MB');
  });
});

describe('progress bar', () => {
  it('stays silent during the first second and clears its line at the end', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    });
    const bar = new ProgressBar(stream, 'x.pcap', 100);
    bar.update(10, 1);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1500);
    bar.update(50, 5);
    bar.update(51, 6); // within 100 ms of the last draw: skipped
    bar.finish();
    vi.useRealTimers();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\rx\.pcap +\[#{10}\.{10}\] +50%/);
    expect(written[1]).toBe('\r\u001b[K');
  });
});

describe('progress line on a narrow terminal', () => {
  const long = '/tmp/captures/a-rather-long-capture-file-name-from-a-ring-buffer-of-a-busy-teredo-relay.pcap';
  it.each([40, 60, 80, 120])('stays within %i columns, rate and packets kept', (columns) => {
    const text = progressText(long, 25e6, 100_000, 57e6, 2, columns);
    expect([...text].length).toBeLessThan(columns);
    expect(text).toContain('M/s');
    expect(text).toContain('100,000 packets');
  });
  it('drops the bar first, then shortens the label from the left', () => {
    expect(progressText(long, 25e6, 100_000, 57e6, 2, 80)).toMatch(/^…[^[]*\.pcap {2}25\.0\/57\.0 MB/);
    expect(progressText('big.pcap', 25e6, 100_000, 57e6, 2, 200)).toBe(progressText('big.pcap', 25e6, 100_000, 57e6, 2));
  });
});
