import { describe, expect, it } from 'vitest';
import { DEFAULT_FAIL_POLICY, failsOn, FailPolicyError, parseFailPolicy } from '../../src/check/fail-policy.js';

describe('--fail-on', () => {
  it('fails on errors by default', () => {
    expect(failsOn(DEFAULT_FAIL_POLICY, { kind: 'missing-relay', severity: 'error' })).toBe(true);
    expect(failsOn(DEFAULT_FAIL_POLICY, { kind: 'symmetric-nat', severity: 'warning' })).toBe(false);
  });

  it('takes kinds, comma-separated or repeated', () => {
    const policy = parseFailPolicy(['symmetric-nat,missing-relay', 'offline']);
    expect([...policy.kinds].sort()).toEqual(['missing-relay', 'offline', 'symmetric-nat']);
    expect(failsOn(policy, { kind: 'symmetric-nat', severity: 'warning' })).toBe(true);
    expect(failsOn(policy, { kind: 'hole-punch-failed', severity: 'error' })).toBe(false);
  });

  it('takes a severity as that one and every more severe one', () => {
    const warning = parseFailPolicy(['warning']);
    expect(failsOn(warning, { kind: 'offline', severity: 'error' })).toBe(true);
    expect(failsOn(warning, { kind: 'mapping-changed', severity: 'warning' })).toBe(true);
    expect(failsOn(warning, { kind: 'bubble-with-payload', severity: 'info' })).toBe(false);
    expect(failsOn(parseFailPolicy(['info']), { kind: 'bubble-with-payload', severity: 'info' })).toBe(true);
  });

  it('fails on nothing with none', () => {
    expect(failsOn(parseFailPolicy(['none']), { kind: 'offline', severity: 'error' })).toBe(false);
  });

  it('rejects unknown words and none mixed with others', () => {
    expect(() => parseFailPolicy(['symetric-nat'])).toThrow(FailPolicyError);
    expect(() => parseFailPolicy(['symetric-nat'])).toThrow(/unknown 'symetric-nat'.*symmetric-nat/);
    expect(() => parseFailPolicy(['none,error'])).toThrow(FailPolicyError);
    expect(() => parseFailPolicy([''])).toThrow(FailPolicyError);
  });
});
