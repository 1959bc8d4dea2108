import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandContext } from '../../src/cli/command-context.js';
import { ProgressDisplay } from '../../src/cli/progress-display.js';

/* Issue 16, class 5: a file name in the progress line must not reach the terminal raw. */

afterEach(() => {
  vi.useRealTimers();
});

describe('progress display', () => {
  it('shows a file name with terminal escapes escaped', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const stderr = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written.push(chunk.toString());
          done();
        },
      }),
      { isTTY: true },
    );
    const context = { stderr } as unknown as CommandContext;
    const display = new ProgressDisplay(context, ['/nonexistent/evil\u001b]0;pwned\u0007\u001b[2J\n.pcap'], false);
    vi.advanceTimersByTime(1500);
    display.update(0, 1000, 10);
    display.finish();
    const line = written.join('');
    expect(line).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\n.pcap');
    // Only the display's own carriage returns and erase-line sequences remain.
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    expect(line.replace(/\r|\u001b\[K/g, '')).not.toMatch(/[\u0000-\u001f]/);
  });
});
