import { describe, expect, it } from 'vitest';
import { erasureSubjects, shopUserIdOf } from './erasure-subjects.js';
import { normalizeFieldNamesSubject, redisKeyRule } from './redis-rules.js';

const subjects = erasureSubjects('42', ['00aa11bb22cc33dd']);

describe('erasure subjects', () => {
  it('are the user, an anon id per linked visitor, and the prefix of their stitched events', () => {
    expect(subjects).toEqual({ user: '42', visitors: ['00aa11bb22cc33dd'], subjects: ['42', 'anon:00aa11bb22cc33dd'], stitchedPrefix: 'stitch:42:' });
  });

  it('take only a shop user id and well-formed visitor pseudonyms', () => {
    for (const bad of ['', '042', 'anon:00aa11bb22cc33dd', '4 2', '*', '1'.repeat(20)]) expect(() => shopUserIdOf(bad)).toThrow(/--user/);
    expect(() => erasureSubjects('42', ['nothex'])).toThrow(/malformed visitor/);
  });
});

describe('which Redis keys the erasure touches', () => {
  it('deletes every key of the user and of their anonymous ids, in any state version and partition', () => {
    expect(redisKeyRule('sr:v3:{p2}:user:42:counts', subjects)).toEqual({ kind: 'delete' });
    expect(redisKeyRule('sr:v9:{p0}:user:anon:00aa11bb22cc33dd:cooc-window', subjects)).toEqual({ kind: 'delete' });
    expect(redisKeyRule('sr:v3:{p2}:user:42:profile', subjects)).toEqual({ kind: 'delete' });
  });

  it('keeps other users’ keys, including ids that merely start or end like theirs', () => {
    for (const key of ['sr:v3:{p2}:user:421:counts', 'sr:v3:{p2}:user:142:counts', 'sr:v3:{p2}:user:anon:00aa11bb22cc33de:recent', 'sr:v3:{p1}:item:42:counts']) {
      expect(redisKeyRule(key, subjects)).toEqual({ kind: 'keep' });
    }
  });

  it('removes them from items’ recent users, and scans seen-sets for their guard ids and stitched events', () => {
    expect(redisKeyRule('sr:v3:{p1}:item:7:recent-users', subjects)).toEqual({ kind: 'remove-members', members: ['42', 'anon:00aa11bb22cc33dd'] });
    expect(redisKeyRule('sr:v3:{p1}:seen:2026-12-01:features-user', subjects)).toEqual({ kind: 'scan-members', patterns: ['42|*', 'anon:00aa11bb22cc33dd|*', 'stitch:42:*'] });
    expect(redisKeyRule('sr:v3:{normalize}:visitors', subjects)).toEqual({ kind: 'normalize-store', store: 'visitors' });
    expect(redisKeyRule('sr:v3:offsets:features', subjects)).toEqual({ kind: 'keep' });
  });

  it('finds them in normalize’s stores by field or value, and nobody else', () => {
    expect(normalizeFieldNamesSubject('visitors', '00aa11bb22cc33dd', '{"userId":"42","at":1}', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('visitors', 'ffaa11bb22cc33dd', '{"userId":"42","at":1}', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('visitors', 'ffaa11bb22cc33dd', '{"userId":"421","at":1}', subjects)).toBe(false);
    expect(normalizeFieldNamesSubject('anonymousHistory', '00aa11bb22cc33dd', '{"seq":1,"events":[]}', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('orders', '9', '{"state":"open","userId":42,"paidAt":null}', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('orders', '9', '{"state":"open","userId":420,"paidAt":null}', subjects)).toBe(false);
    expect(normalizeFieldNamesSubject('emitted', 'stitch:42:matomo:lva:1', '3', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('emitted', 'stitch:421:matomo:lva:1', '3', subjects)).toBe(false);
    expect(normalizeFieldNamesSubject('ringSlots', 'visitors:3', '"00aa11bb22cc33dd"', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('parked', 'shop:favorites:1:2', '{"job":{"row":{"user_id":42}}}', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('parked', 'shop:favorites:1:2', '{"job":{"row":{"user_id":4200}}}', subjects)).toBe(false);
    expect(normalizeFieldNamesSubject('versions', 'user:42', '17', subjects)).toBe(true);
    expect(normalizeFieldNamesSubject('versions', 'item:42', '17', subjects)).toBe(false);
    expect(normalizeFieldNamesSubject('actions', '42', '{"type":1,"name":"42"}', subjects)).toBe(false);
  });
});
