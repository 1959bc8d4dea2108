import { describe, expect, it } from 'vitest';
import { bytesHex, hexBytes } from '../../src/synth/teredo-hex.js';
import { authenticationElement } from '../../src/synth/teredo-payload.js';
import { authenticationLength, readAuthentication } from '../../src/teredo/authentication.js';
import { realBytes, WIRESHARK_RA, WIRESHARK_RS } from './support/real-payloads.js';

describe('authentication element', () => {
  it('reads the 13-byte element of the wireshark-teredo RS (frame 6)', () => {
    const bytes = realBytes(WIRESHARK_RS);
    expect(authenticationLength(bytes, 0, bytes.length)).toBe(13);
    const auth = readAuthentication(bytes, 0);
    expect(bytesHex(auth.nonce)).toBe('cd5669400b22df88');
    expect(auth).toMatchObject({ idLength: 0, authLength: 0, confirmation: 0 });
    expect(auth.clientId.length).toBe(0);
    expect(auth.authValue.length).toBe(0);
  });

  it('echoes the same nonce in the RA (frame 7)', () => {
    expect(bytesHex(readAuthentication(realBytes(WIRESHARK_RA), 0).nonce)).toBe('cd5669400b22df88');
  });

  it('reads client id, auth value, nonce and confirmation at an offset', () => {
    const element = authenticationElement({ nonce: hexBytes('1122334455667788'), clientId: hexBytes('c1c2'), authValue: hexBytes('a1a2a3'), confirmation: 7 });
    const buffer = new Uint8Array(5 + element.length);
    buffer.set(element, 5);
    expect(authenticationLength(buffer, 5, buffer.length)).toBe(18);
    const auth = readAuthentication(buffer, 5);
    expect(auth).toMatchObject({ idLength: 2, authLength: 3, confirmation: 7 });
    expect(bytesHex(auth.clientId)).toBe('c1c2');
    expect(bytesHex(auth.authValue)).toBe('a1a2a3');
    expect(bytesHex(auth.nonce)).toBe('1122334455667788');
  });

  it('returns -1 when the length bytes are missing', () => {
    expect(authenticationLength(Uint8Array.of(0, 1, 0), 0, 3)).toBe(-1);
    expect(authenticationLength(Uint8Array.of(0, 1, 0, 0), 0, 3)).toBe(-1);
  });

  it('copies its bytes: later changes to the buffer do not show through', () => {
    const bytes = realBytes(WIRESHARK_RS);
    const auth = readAuthentication(bytes, 0);
    bytes.fill(0);
    expect(bytesHex(auth.nonce)).toBe('cd5669400b22df88');
  });
});
