import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { defaultNormalizeSettings, FactSource, resolveNormalizeSettings, type NormalizeSettings } from './settings.js';

describe('normalize settings', () => {
  it('takes the shop as the source of favourites and purchases by default', () => {
    expect(resolveNormalizeSettings()).toEqual(defaultNormalizeSettings);
    expect(resolveNormalizeSettings().purchaseSource).toBe(FactSource.Shop);
  });

  it('lists every invalid value in one ConfigInvalid error', () => {
    let caught: unknown;
    try {
      resolveNormalizeSettings({ dedupWindow: 0, stitchMaxEvents: 1.5, purchaseSource: 'crm' as NormalizeSettings['purchaseSource'] });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid)).toBe(true);
    expect((caught as Error).message).toMatch(/dedupWindow.*stitchMaxEvents.*purchaseSource/);
  });
});
