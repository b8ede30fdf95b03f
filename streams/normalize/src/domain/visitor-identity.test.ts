import { describe, expect, it } from 'vitest';
import { InteractionAction, InteractionSource } from '@streamrec/schemas';
import { anonymousUserId, itemId, shopUserId, visitorId, type InteractionUserId } from './ids.js';
import type { InteractionDraft } from './interaction.js';
import { createInMemoryState } from './normalize-state.js';
import { resolveNormalizeSettings } from './settings.js';
import { OTHER_VISITOR, T0, VISITOR } from './testing/cdc-fixtures.js';
import { visitorIdentity } from './visitor-identity.js';

const HOUR = 3_600_000;
const visitor = visitorId(VISITOR);
const anon = anonymousUserId(visitor);
const alice = shopUserId(7);
const bob = shopUserId(8);

const anonymousView = (n: number, at: number, user: InteractionUserId = anon): InteractionDraft => ({
  event_id: `matomo:lva:${n}`,
  user_id: user,
  visitor_id: visitor,
  item_id: itemId(40 + n),
  action: InteractionAction.View,
  event_time: at,
  source: InteractionSource.Matomo,
  session_id: '7',
  price: null,
  quantity: null,
});

function setup(overrides = {}) {
  const state = createInMemoryState();
  return { state, identity: visitorIdentity(state, resolveNormalizeSettings({ stitchWindowMs: 24 * HOUR, stitchMaxEvents: 3, ...overrides })) };
}

describe('visitor identity', () => {
  it('credits a visitor nobody logged in with to anon:<idvisitor>', () => {
    expect(setup().identity.userOf(visitor)).toBe('anon:a1b2c3d4e5f60718');
  });

  it('credits the linked user once the visitor logged in, and re-emits the remembered history under the user with derived ids', () => {
    const { identity } = setup();
    identity.rememberAnonymous(visitor, anonymousView(1, T0 - HOUR));
    identity.rememberAnonymous(visitor, anonymousView(2, T0 - 30 * 60_000));
    const outcome = identity.link(visitor, alice, T0);
    expect(outcome).toMatchObject({ kind: 'stitched', stitch: { visitorId: visitor, userId: '7', previousUserId: null, at: T0, reemitted: 2 } });
    if (outcome.kind !== 'stitched') throw new TypeError('expected a stitch');
    expect(outcome.copies.map((copy) => [copy.event_id, copy.user_id, copy.visitor_id, copy.event_time])).toEqual([
      ['stitch:7:matomo:lva:1', '7', VISITOR, T0 - HOUR],
      ['stitch:7:matomo:lva:2', '7', VISITOR, T0 - 30 * 60_000],
    ]);
    expect(identity.userOf(visitor)).toBe('7');
  });

  it('re-emits only history within the window before the login, at most stitchMaxEvents, newest kept', () => {
    const { identity } = setup();
    identity.rememberAnonymous(visitor, anonymousView(1, T0 - 48 * HOUR));
    for (let n = 2; n <= 5; n += 1) identity.rememberAnonymous(visitor, anonymousView(n, T0 - (10 - n) * HOUR));
    const outcome = identity.link(visitor, alice, T0);
    if (outcome.kind !== 'stitched') throw new TypeError('expected a stitch');
    expect(outcome.copies.map((copy) => copy.event_id)).toEqual(['stitch:7:matomo:lva:3', 'stitch:7:matomo:lva:4', 'stitch:7:matomo:lva:5']);
  });

  it('stitches nothing twice: a re-delivered visit of the same user changes nothing', () => {
    const { identity, state } = setup();
    identity.rememberAnonymous(visitor, anonymousView(1, T0 - HOUR));
    identity.link(visitor, alice, T0);
    expect(identity.link(visitor, alice, T0)).toEqual({ kind: 'skipped', reason: 'visitor_already_linked' });
    expect(state.snapshot().anonymousHistory).toEqual({});
  });

  it('moves a device to the user of a later login, but not of an earlier one', () => {
    const { identity } = setup();
    identity.link(visitor, alice, T0);
    expect(identity.link(visitor, bob, T0 - HOUR)).toEqual({ kind: 'skipped', reason: 'stale_visitor_link' });
    expect(identity.link(visitor, bob, T0 + HOUR)).toMatchObject({ kind: 'stitched', stitch: { userId: '8', previousUserId: '7', reemitted: 0 } });
    expect(identity.userOf(visitor)).toBe('8');
  });

  it('remembers an anonymous interaction once however often it is offered', () => {
    const { identity, state } = setup();
    identity.rememberAnonymous(visitor, anonymousView(1, T0));
    identity.rememberAnonymous(visitor, anonymousView(1, T0));
    expect(state.anonymousHistory.get(visitor)?.events).toHaveLength(1);
  });

  it('forgets the history of the oldest anonymous visitor beyond anonymousVisitorCapacity', () => {
    const { identity, state } = setup({ anonymousVisitorCapacity: 1 });
    identity.rememberAnonymous(visitor, anonymousView(1, T0));
    identity.rememberAnonymous(visitorId(OTHER_VISITOR), { ...anonymousView(2, T0), visitor_id: visitorId(OTHER_VISITOR) });
    expect(state.anonymousHistory.get(visitor)).toBeUndefined();
    expect(identity.link(visitor, alice, T0)).toMatchObject({ stitch: { reemitted: 0 } });
  });
});
