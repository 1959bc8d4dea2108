import { describe, expect, it } from 'vitest';
import { LayerCursor } from '../../src/decode/layer-cursor.js';
import { LINK_ANALYZERS } from '../../src/decode/link-dispatch.js';
import { ETHERTYPE_IPV4 } from '../../src/decode/next-layer.js';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import type { LinkEncapsulation } from '../../src/synth/frame-builder.js';
import { teredoLikeSpec } from './support/frames.js';

describe('link dispatch table', () => {
  it('covers exactly the supported link types', () => {
    expect([...LINK_ANALYZERS.keys()].sort((a, b) => a - b)).toEqual([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);
  });

  it.each([0, 1, 12, 14, 101, 108, 113, 228, 276])('link type %i leads to IPv4 at the IP header', (linkType) => {
    const packet = buildIpv4Udp(teredoLikeSpec());
    const frame = encapsulate(packet, { linkType } as LinkEncapsulation);
    const cursor = new LayerCursor();
    cursor.reset(frame, 0, frame.length, false);
    expect(LINK_ANALYZERS.get(linkType)!(cursor)).toBe(ETHERTYPE_IPV4);
    expect(cursor.offset).toBe(frame.length - packet.length);
  });
});
