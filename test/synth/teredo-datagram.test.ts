import { describe, expect, it } from 'vitest';
import { teredoDatagram } from '../../src/synth/teredo-datagram.js';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';

describe('teredoDatagram', () => {
  it('places the payload in a larger buffer like a window into a frame', () => {
    const d = teredoDatagram(hexBytes('60000000'), { srcIp: 1, srcPort: 2, dstIp: 3, dstPort: 3544, headroom: 5, tailroom: 2, frame: 9 });
    expect(d.buffer.length).toBe(11);
    expect(d.payloadOffset).toBe(5);
    expect(d.payloadLength).toBe(4);
    expect(bytesHex(d.buffer.subarray(d.payloadOffset, d.payloadOffset + d.payloadLength))).toBe('60000000');
    expect(d.buffer[10]).toBe(0xee);
    expect(d).toMatchObject({ frame: 9, srcIp: 1, srcPort: 2, dstIp: 3, dstPort: 3544, tunnelDepth: 0, fragmentFrames: [] });
  });

  it('keeps addresses unsigned', () => {
    expect(teredoDatagram(new Uint8Array(0), { srcIp: -1, srcPort: 0, dstIp: 0xc0a80001, dstPort: 0 }).srcIp).toBe(0xffffffff);
  });
});

describe('hex helpers', () => {
  it('read hex with separators and write plain lower case', () => {
    expect(bytesHex(hexBytes('DE:ad be\nEF'))).toBe('deadbeef');
    expect(() => hexBytes('abc')).toThrow(RangeError);
    expect(() => hexBytes('zz')).toThrow(RangeError);
  });
});
