import { describe, expect, it } from 'vitest';
import { toHex } from './hash.js';
import { Rng } from './rng.js';
import { VISITOR_ID_BYTES, anonymousVisitor, userVisitor } from './visitor.js';

describe('visitor profiles', () => {
  it('has an 8-byte idvisitor and config_id (BINARY(8) in matomo_log_visit)', () => {
    const visitor = userVisitor('li42.1@qq.com', 0, 'CN');
    expect(VISITOR_ID_BYTES).toBe(8);
    expect(visitor.idvisitor).toBeInstanceOf(Uint8Array);
    expect(visitor.idvisitor.length).toBe(8);
    expect(visitor.configId.length).toBe(8);
  });

  it('gives a person the same device id in every run, and different devices different ids', () => {
    const first = userVisitor('emma.smith.7@gmail.com', 0, 'US');
    expect(toHex(userVisitor('emma.smith.7@gmail.com', 0, 'US').idvisitor)).toBe(toHex(first.idvisitor));
    expect(toHex(userVisitor('emma.smith.7@gmail.com', 1, 'US').idvisitor)).not.toBe(toHex(first.idvisitor));
    expect(first.country.code).toBe('us');
  });

  it('stores IPv4 addresses anonymised to two bytes', () => {
    const visitor = anonymousVisitor(new Rng(1));
    expect(visitor.ip.length).toBe(4);
    expect([...visitor.ip.slice(2)]).toEqual([0, 0]);
  });
});
