import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../../src/cli/render/control-escape.js';

describe('escapeControl', () => {
  it('leaves printable text, including non-ASCII letters, as it is', () => {
    expect(escapeControl('ring_00001.pcap')).toBe('ring_00001.pcap');
    expect(escapeControl('capture-é→ü.pcapng')).toBe('capture-é→ü.pcapng');
  });

  it('makes terminal escape sequences visible', () => {
    expect(escapeControl('a\u001b]0;pwned\u0007b')).toBe('a\\x1b]0;pwned\\x07b');
    expect(escapeControl('\u001b[2J')).toBe('\\x1b[2J');
    expect(escapeControl('x\u009by')).toBe('x\\x9by');
    expect(escapeControl('del\u007f')).toBe('del\\x7f');
  });

  it('keeps a line one line', () => {
    expect(escapeControl('one\ntwo\r\tthree')).toBe('one\\ntwo\\r\\tthree');
  });

  it('shows bidirectional overrides instead of letting them reorder the text', () => {
    expect(escapeControl('evil\u202egpj.pcap')).toBe('evil\\u202egpj.pcap');
  });

  it('escapes every occurrence, also on a second call', () => {
    expect(escapeControl('\u0000\u0000')).toBe('\\x00\\x00');
    expect(escapeControl('\u0000\u0000')).toBe('\\x00\\x00');
  });
});
