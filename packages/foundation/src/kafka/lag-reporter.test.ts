import { describe, expect, it } from 'vitest';
import { partitionLag } from './lag-reporter.js';

describe('partition lag', () => {
  it('is the records between the next offset to apply and the high watermark', () => {
    expect(partitionLag(100n, 90n)).toBe(10);
    expect(partitionLag(100n, 100n)).toBe(0);
    expect(partitionLag(100n, 105n)).toBe(0);
  });

  it('counts the whole partition when nothing was applied yet', () => {
    expect(partitionLag(42n, undefined)).toBe(42);
  });
});
