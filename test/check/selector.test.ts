import { describe, expect, it } from 'vitest';
import { parseSelector, select, SelectorError } from '../../src/check/selector.js';

const REPORT = {
  clients: [
    { id: 'a', natType: 'cone', qualified: true, mapped: { address: '70.55.215.234', port: 3797 }, teredoAddress: '2001:0:4137:9e50:8000:f12a:b9c8:2815', findings: [] },
    { id: 'b', natType: 'symmetric', qualified: false, mapped: null, teredoAddress: null, findings: ['symmetric-nat'] },
  ],
  findings: [{ kind: 'symmetric-nat', client: 'b', frames: [5, 7] }],
};

const pick = (path: string): unknown[] => select(parseSelector(path), REPORT);

describe('report selectors', () => {
  it('walks names, indexes and wildcards', () => {
    expect(pick('clients')).toEqual([REPORT.clients]);
    expect(pick('clients[0].natType')).toEqual(['cone']);
    expect(pick('clients[-1].id')).toEqual(['b']);
    expect(pick('clients[*].id')).toEqual(['a', 'b']);
    expect(pick('clients.id')).toEqual(['a', 'b']);
    expect(pick('clients[5].id')).toEqual([]);
    expect(pick('nothing.here')).toEqual([]);
    expect(pick('findings[0].frames[1]')).toEqual([7]);
  });

  it('filters by a field in the forms the issue writes', () => {
    expect(pick('clients[?teredoAddress=="2001:0:4137:9e50:8000:f12a:b9c8:2815"].natType')).toEqual(['cone']);
    expect(pick('findings[kind=symmetric-nat].client')).toEqual(['b']);
    expect(pick('findings[kind=missing-relay]')).toEqual([]);
    expect(pick("clients[?natType!='cone'].id")).toEqual(['b']);
    expect(pick('clients[?qualified==true].id')).toEqual(['a']);
    expect(pick('clients[?mapped.port==3797].id')).toEqual(['a']);
    expect(pick('clients[?mapped==null].id')).toEqual(['b']);
    expect(pick('clients[?id=="x]y"]')).toEqual([]);
  });

  it('keeps a present null apart from a missing key', () => {
    expect(pick('clients[1].mapped')).toEqual([null]);
    expect(pick('clients[1].lastCapture')).toEqual([]);
  });

  it('rejects what it cannot read, saying where', () => {
    for (const bad of ['', 'clients[', 'clients[?natType]', 'clients..id', 'clients.', 'clients]']) expect(() => parseSelector(bad), bad).toThrow(SelectorError);
    expect(() => parseSelector('clients[0')).toThrow(/'\[' without '\]'/);
  });
});
