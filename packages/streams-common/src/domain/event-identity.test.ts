import { describe, expect, it } from 'vitest';
import { originalEventId, userEventGuardId } from './ids.js';

describe('event identity for the user stages', () => {
  it('strips a stitched copy down to its source interaction', () => {
    expect(originalEventId('stitch:42:matomo:lva:7')).toBe('matomo:lva:7');
    expect(originalEventId('matomo:lva:7')).toBe('matomo:lva:7');
    expect(originalEventId('stitch:broken')).toBe('stitch:broken');
  });

  it('names the user too: the anonymous original and the stitched copy count once each', () => {
    expect(userEventGuardId('42', 'stitch:42:matomo:lva:7')).toBe(userEventGuardId('42', 'matomo:lva:7'));
    expect(userEventGuardId('anon:00ff00ff00ff00ff', 'matomo:lva:7')).not.toBe(userEventGuardId('42', 'stitch:42:matomo:lva:7'));
  });
});
