import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EndpointTable } from '../../src/teredo/endpoint-table.js';

describe('EndpointTable', () => {
  it('remembers sockets by address and port', () => {
    const table = new EndpointTable(10);
    table.learn(0xc0a80210, 3797);
    expect(table.has(0xc0a80210, 3797)).toBe(true);
    expect(table.has(0xc0a80210, 3798)).toBe(false);
    expect(table.has(0xc0a80211, 3797)).toBe(false);
    expect(table.size).toBe(1);
    table.learn(0xc0a80210, 3797);
    expect(table.size).toBe(1);
  });

  it('tells apart the extremes of the key space', () => {
    const table = new EndpointTable(4);
    table.learn(0, 0);
    table.learn(0xffffffff, 0xffff);
    expect(table.has(0, 0)).toBe(true);
    expect(table.has(0xffffffff, 0xffff)).toBe(true);
    expect(table.has(0xffffffff, 0)).toBe(false);
    expect(table.has(0, 0xffff)).toBe(false);
  });

  it('evicts the least recently learned or used socket when full', () => {
    const table = new EndpointTable(3);
    table.learn(1, 1);
    table.learn(2, 2);
    table.learn(3, 3);
    table.learn(1, 1); // refresh: 2 is now the oldest
    table.learn(4, 4);
    expect([1, 2, 3, 4].map((n) => table.has(n, n))).toEqual([true, false, true, true]);
    expect(table.touch(3, 3)).toBe(true); // 1 is now the oldest
    expect(table.touch(9, 9)).toBe(false);
    table.learn(5, 5);
    expect([1, 3, 4, 5].map((n) => table.has(n, n))).toEqual([false, true, true, true]);
    expect(table.size).toBe(3);
  });

  it('learns nothing with limit 0 and rejects invalid limits', () => {
    const table = new EndpointTable(0);
    table.learn(1, 1);
    expect(table.has(1, 1)).toBe(false);
    expect(table.size).toBe(0);
    expect(() => new EndpointTable(-1)).toThrow(RangeError);
    expect(() => new EndpointTable(1.5)).toThrow(RangeError);
  });

  it('grows past its initial storage and keeps every entry up to the limit', () => {
    const table = new EndpointTable(5000);
    for (let i = 0; i < 5000; i++) table.learn(0x0a000000 + i, 1000 + (i % 7));
    expect(table.size).toBe(5000);
    let found = 0;
    for (let i = 0; i < 5000; i++) if (table.has(0x0a000000 + i, 1000 + (i % 7))) found++;
    expect(found).toBe(5000);
    table.learn(1, 1);
    expect(table.has(0x0a000000, 1000)).toBe(false);
    expect(table.size).toBe(5000);
  });

  it('behaves like a reference LRU set under any sequence of operations', () => {
    const socket = fc.record({ ip: fc.integer({ min: 0, max: 30 }).map((n) => (n * 0x1000193) >>> 0), port: fc.integer({ min: 0, max: 3 }) });
    const op = fc.record({ kind: fc.constantFrom('learn', 'touch', 'has'), socket });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (limit, ops) => {
        const table = new EndpointTable(limit);
        const model: string[] = [];
        for (const { kind, socket: s } of ops) {
          const key = `${s.ip}:${s.port}`;
          const at = model.indexOf(key);
          if (kind === 'has') {
            expect(table.has(s.ip, s.port)).toBe(at >= 0);
          } else if (kind === 'touch') {
            expect(table.touch(s.ip, s.port)).toBe(at >= 0);
            if (at >= 0) model.push(...model.splice(at, 1));
          } else {
            table.learn(s.ip, s.port);
            if (at >= 0) model.splice(at, 1);
            model.push(key);
            if (model.length > limit) model.shift();
          }
          expect(table.size).toBe(model.length);
        }
      }),
    );
  });
});
