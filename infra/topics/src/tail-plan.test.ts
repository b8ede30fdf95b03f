import { describe, expect, it } from 'vitest';
import { renderRecord, tailWindows } from './tail-plan.js';

describe('tailWindows', () => {
  it('starts count records before the high watermark, never below the low one, and skips empty partitions', () => {
    const windows = tailWindows(
      [
        { partition: 2, low: '0', high: '100' },
        { partition: 0, low: '95', high: '100' },
        { partition: 1, low: '7', high: '7' },
      ],
      10,
    );
    expect(windows).toEqual([
      { partition: 0, from: 95n, until: 100n },
      { partition: 2, from: 90n, until: 100n },
    ]);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => tailWindows([], 0)).toThrow(/positive integer/);
    expect(() => tailWindows([], 1.5)).toThrow(/positive integer/);
  });
});

describe('renderRecord', () => {
  const base = { partition: 1, offset: '42', timestampMs: Date.UTC(2026, 10, 25), key: Buffer.from('u1') };

  it('prints JSON values as JSON', () => {
    const line = JSON.parse(renderRecord({ ...base, value: Buffer.from('{"reason":"bad"}') }, undefined)) as Record<string, unknown>;
    expect(line).toEqual({ partition: 1, offset: '42', time: '2026-11-25T00:00:00.000Z', key: 'u1', value: { reason: 'bad' } });
  });

  it('decodes other values with the topic codec, and says why when it cannot', () => {
    const decoded = JSON.parse(renderRecord({ ...base, value: Buffer.from([0xc3, 0x01]) }, () => ({ big: 1n, price: Buffer.from([4, 226]) }))) as { value: unknown };
    expect(decoded.value).toEqual({ big: '1', price: '0x04e2' });
    const failed = JSON.parse(
      renderRecord({ ...base, value: Buffer.from([0xc3, 0x01]) }, () => {
        throw new Error('unknown fingerprint');
      }),
    ) as { value: { undecodable: string; base64: string } };
    expect(failed.value).toEqual({ undecodable: 'unknown fingerprint', base64: 'wwE=' });
  });

  it('falls back to base64 without a codec, and keeps tombstones null', () => {
    expect(JSON.parse(renderRecord({ ...base, value: Buffer.from([0xff]) }, undefined))).toMatchObject({ value: { base64: '/w==' } });
    expect(JSON.parse(renderRecord({ ...base, key: null, value: null }, undefined))).toMatchObject({ key: null, value: null });
  });
});
